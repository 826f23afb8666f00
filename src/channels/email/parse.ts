// Turns a raw message (RFC 5322 / MIME) into what filing needs, best effort: any charset (undeclared
// 8-bit text falls back to Windows-1252), encoded words (RFC 2047), RFC 2231 filenames, alternatives,
// HTML-only messages, forwarded messages and TNEF kept as attachments. Throws only when nothing at all
// can be read; the caller quarantines such a message (its raw form stays available).
import crypto from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
  /** Content-ID without angle brackets, for inline (cid:) images. */
  contentId: string | null;
  inline: boolean;
}

export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  subject: string;
  date: Date | null;
  text: string;
  /** The HTML as sent (to be sanitised before display), or null. */
  html: string | null;
  attachments: ParsedAttachment[];
  /** Lower-case header name → first value as text. */
  headers: Map<string, string>;
  contentType: string;
  reportType: string | null;
  /** sha256 of sender + subject + date + body: recognises the same message arriving twice. */
  contentHash: string;
}

const MSGID_RE = /<[^<>\s]+>/g;

function ids(v: string | string[] | undefined): string[] {
  const all = (Array.isArray(v) ? v : v ? [v] : []).join(' ');
  return all.match(MSGID_RE) ?? [];
}

function addresses(v: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const walk = (list: Array<{ address?: string; group?: Array<{ address?: string }> }>) => {
    for (const a of list) {
      if (a.address) out.push(a.address.toLowerCase());
      if (a.group) walk(a.group);
    }
  };
  for (const o of Array.isArray(v) ? v : v ? [v] : []) walk(o.value);
  return out;
}

function headerText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(headerText).join(', ');
  if (typeof v === 'object') {
    const o = v as { value?: unknown; text?: string; params?: Record<string, string> };
    if (typeof o.text === 'string') return o.text;
    if (o.value !== undefined) {
      const params = o.params ? Object.entries(o.params).map(([k, p]) => `; ${k}=${p}`).join('') : '';
      return `${headerText(o.value)}${params}`;
    }
  }
  return String(v);
}

/** Declares windows-1252 on text parts that declare no charset (and on a message without Content-Type). */
function withDefaultCharset(raw: Buffer): Buffer {
  let s = raw.toString('latin1');
  s = s.replace(/^(Content-Type:[ \t]*text\/[\w.+-]+)((?:[ \t]*;[^\r\n]*)?(?:\r?\n[ \t][^\r\n]*)*)/gim, (m, a: string, b: string) =>
    /charset\s*=/i.test(b) ? m : `${a}; charset=windows-1252${b}`,
  );
  const end = s.search(/\r?\n\r?\n/);
  const head = end >= 0 ? s.slice(0, end) : s;
  if (!/^Content-Type:/im.test(head)) s = `Content-Type: text/plain; charset=windows-1252\r\n${s}`;
  return Buffer.from(s, 'latin1');
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Plain text of an HTML-only message: tags dropped, paragraphs kept as lines. */
function htmlToText(html: string): string {
  const withBreaks = html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '$&\n');
  const flat = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {}, nonTextTags: ['style', 'script', 'head', 'title', 'noscript'] });
  const decoded = flat.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return decoded.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).filter(Boolean).join('\n');
}

/** Best effort when the MIME structure yields nothing (a boundary that never appears): the body's text lines. */
function bodyFallback(raw: Buffer): string {
  const s = isUtf8(raw) ? raw.toString('utf8') : raw.toString('latin1');
  const start = s.search(/\r?\n\r?\n/);
  const body = start >= 0 ? s.slice(start).trim() : '';
  return body
    .split(/\r?\n/)
    .filter((l) => !/^--\S*$/.test(l.trim()) && !/^Content-[\w-]+:/i.test(l))
    .join('\n')
    .trim();
}

async function parseOnce(raw: Buffer): Promise<ParsedMail> {
  return (await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, keepDeliveryStatus: true, maxHtmlLengthToParse: 2_000_000 })) as ParsedMail;
}

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail = await parseOnce(raw);
  const garbled = (mail.text ?? '').includes('\uFFFD') || (typeof mail.html === 'string' && mail.html.includes('\uFFFD')) || (mail.subject ?? '').includes('\uFFFD');
  if (garbled && !isUtf8(raw)) mail = await parseOnce(withDefaultCharset(raw));
  const headers = new Map<string, string>();
  // Raw header lines first (mailparser folds List-* into one 'list' entry), decoded values as fallback.
  for (const { key, line } of mail.headerLines ?? []) {
    if (key && !headers.has(key)) headers.set(key, line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  for (const [k, v] of mail.headers) if (!headers.has(k.toLowerCase())) headers.set(k.toLowerCase(), headerText(v));
  const realHeaders = (mail.headerLines ?? []).filter((h) => h.key);
  if (!realHeaders.length && !(mail.text ?? '').trim() && !mail.attachments.length) {
    throw new Error('message illisible : ni en-têtes ni contenu');
  }
  const ctHeader = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const fromValue = (mail.from?.value ?? []).find((a) => a.address);
  const from = fromValue?.address ? { address: fromValue.address.toLowerCase(), name: fromValue.name ?? '' } : null;
  const attachments: ParsedAttachment[] = mail.attachments.map((a, i) => {
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
    const ext = contentType === 'message/rfc822' ? 'eml' : contentType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
    return {
      filename: a.filename || (contentType === 'message/rfc822' ? `message-transfere-${i + 1}.eml` : `piece-jointe-${i + 1}.${ext}`),
      contentType,
      content: a.content,
      size: a.size ?? a.content.length,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.contentDisposition === 'inline' || (!!a.contentId && a.related === true),
    };
  });
  const html = typeof mail.html === 'string' && mail.html.trim() ? mail.html : null;
  let text = (mail.text ?? '').replace(/\r\n/g, '\n');
  if (!text.trim() && html) text = htmlToText(html);
  if (!text.trim() && !html && !attachments.length) text = bodyFallback(raw);
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  const subject = (mail.subject ?? '').replace(/\s+/g, ' ').trim();
  const contentHash = crypto
    .createHash('sha256')
    .update([from?.address ?? '', subject, date?.toISOString() ?? '', text.trim(), attachments.map((a) => crypto.createHash('sha256').update(a.content).digest('hex')).join(',')].join('\u0000'))
    .digest('hex');
  return {
    messageId: ids(mail.messageId)[0] ?? null,
    inReplyTo: ids(mail.inReplyTo),
    references: ids(mail.references),
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject,
    date,
    text,
    html,
    attachments,
    headers,
    contentType: (ctHeader?.value ?? 'text/plain').toLowerCase(),
    reportType: ctHeader?.params?.['report-type']?.toLowerCase() ?? null,
    contentHash,
  };
}
