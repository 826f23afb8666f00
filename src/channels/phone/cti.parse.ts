// Reading one CTI webhook body (the generic format most PBXs and cloud telephony services can send:
// event=newCall|answer|hangup, from, to, direction, callId, user, queue, answeringNumber, cause) as JSON
// or as a form. Malformed bodies and invalid fields are told apart: 400 vs 422.
export const CTI_EVENTS = ['newCall', 'answer', 'hangup'] as const;
export type CtiEventName = (typeof CTI_EVENTS)[number];
export const HANGUP_CAUSES = ['normalClearing', 'busy', 'cancel', 'noAnswer', 'congestion', 'notFound', 'forwarded'] as const;
export type HangupCause = (typeof HANGUP_CAUSES)[number];

export interface CtiEvent {
  event: CtiEventName;
  callId: string;
  direction: 'in' | 'out' | null;
  from: string | null;
  to: string | null;
  users: string[];
  queue: string | null;
  answeringNumber: string | null;
  cause: HangupCause | null;
}

export type ParseResult =
  | { ok: true; event: CtiEvent }
  | { ok: false; status: 400; message: string; event?: undefined; callId?: undefined }
  | { ok: false; status: 422; message: string; fields: Record<string, string>; event: string | null; callId: string | null };

type Fields = Record<string, unknown>;

function readBody(raw: string, contentType: string): Fields | null {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(raw);
    const out: Fields = {};
    for (const key of new Set(params.keys())) {
      const name = key.endsWith('[]') ? key.slice(0, -2) : key;
      const values = params.getAll(key);
      const prev = out[name];
      const merged = [...(Array.isArray(prev) ? prev : prev !== undefined ? [prev] : []), ...values];
      out[name] = merged.length === 1 && !key.endsWith('[]') ? merged[0] : merged;
    }
    return Object.keys(out).length ? out : null;
  }
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    try {
      const v = JSON.parse(raw);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function text(v: unknown, max = 128): string | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.length > max) return undefined; // invalid
  return v.trim() || null;
}

export function parseCtiBody(raw: string, contentType: string): ParseResult {
  const body = raw.trim() ? readBody(raw, contentType) : null;
  if (!body) return { ok: false, status: 400, message: 'Corps illisible : JSON ou formulaire (application/x-www-form-urlencoded) attendu.' };
  const fields: Record<string, string> = {};
  const event = text(body.event, 32);
  const callId = text(body.callId, 200);
  if (!event || !(CTI_EVENTS as readonly string[]).includes(event)) fields.event = 'Événement attendu : newCall, answer ou hangup.';
  if (!callId) fields.callId = 'Identifiant d’appel (callId) obligatoire, 200 caractères au plus.';
  const direction = text(body.direction, 8);
  if (direction === undefined || (direction !== null && direction !== 'in' && direction !== 'out')) fields.direction = 'Sens attendu : in ou out.';
  else if (direction === null && event === 'newCall') fields.direction = 'Sens (in ou out) obligatoire pour un nouvel appel.';
  const from = text(body.from, 64);
  const to = text(body.to, 64);
  if (from === undefined) fields.from = 'Numéro appelant invalide.';
  if (to === undefined) fields.to = 'Numéro appelé invalide.';
  const queue = text(body.queue, 128);
  if (queue === undefined) fields.queue = 'File invalide.';
  const answeringNumber = text(body.answeringNumber, 64);
  if (answeringNumber === undefined) fields.answeringNumber = 'Numéro ou poste de l’agent invalide.';
  const cause = text(body.cause, 32);
  if (cause === undefined || (cause && !(HANGUP_CAUSES as readonly string[]).includes(cause))) {
    fields.cause = `Cause de fin d’appel inconnue (possibles : ${HANGUP_CAUSES.join(', ')}).`;
  }
  const rawUsers = body.user === undefined || body.user === null ? [] : Array.isArray(body.user) ? body.user : [body.user];
  const users: string[] = [];
  for (const u of rawUsers) {
    const t = text(u, 128);
    if (t === undefined || rawUsers.length > 100) {
      fields.user = 'Utilisateurs : texte ou liste de textes.';
      break;
    }
    if (t) users.push(t);
  }
  if (Object.keys(fields).length) {
    return { ok: false, status: 422, message: 'Événement téléphonique invalide.', fields, event: typeof event === 'string' ? event : null, callId: typeof callId === 'string' ? callId : null };
  }
  return {
    ok: true,
    event: {
      event: event as CtiEventName, callId: callId!, direction: (direction ?? null) as 'in' | 'out' | null, from: from ?? null, to: to ?? null,
      users, queue: queue ?? null, answeringNumber: answeringNumber ?? null, cause: (cause ?? null) as HangupCause | null,
    },
  };
}
