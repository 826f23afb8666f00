// Sends the portal's e-mails (address verification, password reset, notifications) through SMTP_URL with
// nodemailer. Mail is always queued as a durable job ('portal.email') inside the transaction that asked
// for it, so a crash never loses an acknowledged message, and a slow SMTP server never slows a request.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Sql } from '../../platform/db/database.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { enqueue } from '../../platform/jobs/queue.ts';

export interface PortalEmail {
  to: string;
  subject: string;
  text: string;
}

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'portal.email': PortalEmail;
  }
}

export function queuePortalEmail(sql: Sql, mail: PortalEmail, uniqueKey?: string) {
  return enqueue(sql, 'portal.email', mail, { uniqueKey, maxAttempts: 8 });
}

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    const insecure = url.startsWith('smtp://');
    t = nodemailer.createTransport({ url, pool: true, maxConnections: 2, ...(insecure ? { ignoreTLS: /[?&]ignoreTLS=true/.test(url) } : {}) } as any);
    transports.set(url, t);
  }
  return t;
}

export async function sendPortalEmail(rt: Runtime, mail: PortalEmail): Promise<void> {
  const url = rt.config.email?.smtpUrl;
  if (!url) {
    rt.log.warn({ to: mail.to, subject: mail.subject }, 'SMTP_URL absent : courriel du portail non envoyé');
    return;
  }
  await transportFor(url).sendMail({ from: rt.config.email.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
}

export function closePortalTransports() {
  for (const t of transports.values()) t.close();
  transports.clear();
}
