// The email.send job: sends one outbound_emails row through SMTP (nodemailer) with our Message-ID,
// X-Loop and threading headers. Temporary failures are retried by the job queue; a permanent refusal
// (5xx) or the last attempt marks the mail failed and reports it on the case.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Runtime } from '../../platform/runtime.ts';
import type { JobContext } from '../../platform/jobs/registry.ts';
import { insertCaseEvent } from '../../modules/cases/cases.repository.ts';
import { loopValue } from './classify.ts';
import { intakeActor } from './intake.ts';

const transports = new Map<string, Transporter>();

function transport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    // Pooled: a few kept-alive connections instead of one per message. Plain smtp:// is used as given
    // (no opportunistic STARTTLS to a relay on the local network); smtps:// is TLS from the start.
    t = nodemailer.createTransport({ url, pool: true, maxConnections: 3, ...(url.startsWith('smtps:') ? {} : { ignoreTLS: true }) });
    transports.set(url, t);
  }
  return t;
}

interface OutboundRow {
  id: string;
  kind: 'ack' | 'reply';
  case_id: string;
  interaction_id: string | null;
  recipient: string;
  message_id: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
  attachments: Array<{ sha256: string; filename: string }>;
  status: string;
}

export async function sendOutboundEmail(rt: Runtime, outboundId: string, ctx: Pick<JobContext, 'attempt'> & { maxAttempts: number }): Promise<void> {
  const { rows } = await rt.db.query<OutboundRow>('SELECT * FROM outbound_emails WHERE id = $1', [outboundId]);
  const m = rows[0];
  if (!m || m.status !== 'queued') return;
  const url = rt.config.email.smtpUrl;
  let error: (Error & { responseCode?: number }) | null = null;
  if (!url) error = new Error("Aucun serveur d'envoi configuré (SMTP_URL).");
  else {
    try {
      await transport(url).sendMail({
        from: rt.config.email.mailFrom,
        to: m.recipient,
        subject: m.subject,
        text: m.body,
        messageId: m.message_id,
        headers: { ...m.headers, 'X-Loop': loopValue(rt.config.email.domain) },
        attachments: await Promise.all(m.attachments.map(async (a) => ({ filename: a.filename, content: await rt.files.read(a.sha256) }))),
      });
    } catch (err) {
      error = err as Error & { responseCode?: number };
    }
  }
  if (!error) {
    // An acknowledgement's audit event was written with it, by the filing transaction: its delivery is
    // only the outbox row's state (one statement). A reply is audited as sent.
    if (m.kind === 'ack') {
      await rt.db.query(`UPDATE outbound_emails SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [m.id]);
      return;
    }
    await rt.db.tx(async (tx) => {
      await tx.query(`UPDATE outbound_emails SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [m.id]);
      if (m.interaction_id) await tx.query(`UPDATE interactions SET metadata = metadata || '{"delivery":"sent"}'::jsonb WHERE id = $1`, [m.interaction_id]);
      tx.audit({ actor: intakeActor, action: 'email.sent', objectType: 'case', objectId: m.case_id, after: { outboundId: m.id, messageId: m.message_id } });
    });
    return;
  }
  const permanent = (error.responseCode ?? 0) >= 500;
  if (!permanent && ctx.attempt < ctx.maxAttempts) {
    await rt.db.query('UPDATE outbound_emails SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [m.id, error.message.slice(0, 500)]);
    throw error; // retried with backoff by the job queue
  }
  await rt.db.tx(async (tx) => {
    await tx.query(`UPDATE outbound_emails SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [m.id, error.message.slice(0, 500)]);
    if (m.interaction_id) {
      await tx.query(`UPDATE interactions SET metadata = metadata || $2::jsonb WHERE id = $1`, [m.interaction_id, JSON.stringify({ delivery: 'failed', deliveryError: error.message.slice(0, 500) })]);
    }
    await insertCaseEvent(tx, m.case_id, intakeActor, { kind: 'delivery_failed', to: m.recipient, reason: `Courriel non envoyé : ${error.message.slice(0, 300)}` });
    tx.audit({ actor: intakeActor, action: 'email.failed', objectType: 'case', objectId: m.case_id, after: { outboundId: m.id, error: error.message.slice(0, 300) } });
  });
}

export function closeTransports() {
  for (const t of transports.values()) t.close();
  transports.clear();
}
