// Recognises mail that no person wrote (RFC 3834 and vendor practice): auto-replies, lists and bulk,
// bounces, loops. Such mail is filed but never acknowledged; our own mail coming back is not filed.
import type { ParsedEmail } from './parse.ts';
import { isOurMessageId } from './message-ids.ts';

export type Automatic = 'auto_submitted' | 'auto_reply' | 'bulk' | 'list' | 'loop' | 'null_sender' | 'daemon' | 'bounce';

export const LOOP_HEADER = 'x-loop';

export function loopValue(domain: string): string {
  return `guichet@${domain}`;
}

export function isOwnMail(p: ParsedEmail, domain: string): boolean {
  const loop = p.headers.get(LOOP_HEADER)?.toLowerCase() ?? '';
  return loop.includes(loopValue(domain)) || isOurMessageId(domain, p.messageId);
}

export function isBounce(p: ParsedEmail): boolean {
  return p.contentType === 'multipart/report' && p.reportType === 'delivery-status';
}

/** Why this message is automatic, or null for mail written by a person. */
export function automaticKind(p: ParsedEmail, envelopeFrom: string | null | undefined): Automatic | null {
  const h = (k: string) => p.headers.get(k)?.trim().toLowerCase() ?? '';
  if (isBounce(p)) return 'bounce';
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return 'auto_submitted';
  if (p.headers.has('x-autoreply') || p.headers.has('x-autorespond') || p.headers.has('x-auto-response-suppress')) return 'auto_reply';
  const precedence = h('precedence') || h('x-precedence');
  if (/^(bulk|junk|list|auto_reply)/.test(precedence)) return precedence.startsWith('list') ? 'list' : precedence.startsWith('auto') ? 'auto_reply' : 'bulk';
  if (p.headers.has('list-unsubscribe') || p.headers.has('list-id')) return 'list';
  if (p.headers.has(LOOP_HEADER)) return 'loop';
  if (envelopeFrom !== undefined && envelopeFrom !== null && envelopeFrom.trim() === '') return 'null_sender';
  const returnPath = p.headers.get('return-path');
  if (returnPath !== undefined && /^\s*<?\s*>?\s*$/.test(returnPath)) return 'null_sender';
  const local = p.from?.address.split('@')[0] ?? '';
  if (/^(mailer-daemon|postmaster)$/i.test(local)) return 'daemon';
  return null;
}

const NO_REPLY_RE = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre|mailer-daemon|postmaster|bounces?)([+-].*)?$/i;

export function isNoReplyAddress(address: string): boolean {
  return NO_REPLY_RE.test(address.split('@')[0] ?? '');
}

/** For a bounce: the failing recipient, the reason, and the Message-ID of the mail that bounced. */
export function bounceFacts(p: ParsedEmail): { recipient: string | null; reason: string; originalMessageId: string | null } {
  const status = p.attachments.find((a) => a.contentType === 'message/delivery-status')?.content.toString('utf8') ?? p.text;
  const recipient = /Final-Recipient:\s*(?:rfc822;)?\s*<?([^\s>]+@[^\s>]+)>?/i.exec(status)?.[1]?.toLowerCase() ?? null;
  const code = /Status:\s*([0-9.]+)/i.exec(status)?.[1];
  const diag = /Diagnostic-Code:\s*(?:smtp;)?\s*([^\r\n]+)/i.exec(status)?.[1]?.trim();
  const original = p.attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers')?.content.toString('utf8') ?? '';
  const originalMessageId = /^Message-ID:\s*(<[^>]+>)/im.exec(original)?.[1] ?? null;
  return { recipient, reason: [code, diag].filter(Boolean).join(' ') || 'Adresse en échec', originalMessageId };
}
