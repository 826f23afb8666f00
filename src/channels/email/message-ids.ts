// Our own Message-IDs: `<case.<case id>.<hmac>@guichet.<domain>>`. The HMAC (installation secret) makes
// them unforgeable, so a reply whose In-Reply-To/References carries one belongs to that case.
import crypto from 'node:crypto';
import type { Sql } from '../../platform/db/database.ts';

let cachedSecret: string | null = null;

export async function installationSecret(sql: Sql): Promise<string> {
  if (cachedSecret) return cachedSecret;
  const { rows } = await sql.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = 'secret'`);
  const v = rows[0]?.value;
  if (typeof v !== 'string' || !v) throw new Error('installation secret missing (settings.secret)');
  cachedSecret = v;
  return v;
}

function tag(secret: string, caseId: string): string {
  return crypto.createHmac('sha256', secret).update(`case:${caseId}`).digest('hex').slice(0, 20);
}

export function messageIdDomain(domain: string): string {
  return `guichet.${domain}`;
}

/** A fresh Message-ID for a mail about `caseId` (unique per mail thanks to the random part). */
export function newCaseMessageId(secret: string, domain: string, caseId: string): string {
  return `<case.${caseId}.${tag(secret, caseId)}.${crypto.randomBytes(6).toString('hex')}@${messageIdDomain(domain)}>`;
}

const OURS_RE = /^<?case\.([0-9a-f-]{36})\.([0-9a-f]{20})(?:\.[0-9a-f]+)?@([^>\s]+)>?$/i;

/** The case id carried by one of our Message-IDs, or null when forged or foreign. */
export function caseIdFromMessageId(secret: string, domain: string, id: string): string | null {
  const m = OURS_RE.exec(id.trim());
  if (!m || m[3].toLowerCase() !== messageIdDomain(domain)) return null;
  const expected = tag(secret, m[1].toLowerCase());
  const given = m[2].toLowerCase();
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given)) ? m[1].toLowerCase() : null;
}

/** Whether a Message-ID was minted by this installation's domain (our own mail coming back). */
export function isOurMessageId(domain: string, id: string | null | undefined): boolean {
  return !!id && id.trim().replace(/>$/, '').toLowerCase().endsWith(`@${messageIdDomain(domain)}`);
}

/** The reference `[Réf. 2026-000123]` in a subject, if any. */
export function referenceInSubject(subject: string | null | undefined): string | null {
  const m = /\[\s*R[ée]f\.?\s*:?\s*(\d{4}-\d{6,})\s*\]/i.exec(subject ?? '');
  return m ? m[1] : null;
}

export function subjectWithReference(subject: string, reference: string): string {
  return referenceInSubject(subject) === reference ? subject : `${subject} [Réf. ${reference}]`;
}
