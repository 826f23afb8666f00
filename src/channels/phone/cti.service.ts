// The CTI webhook: every request is stored raw (cti_events) before it is answered; valid events are then
// folded into the call record (call-state.ts) by one statement that also marks the raw event's outcome,
// moves presence and the callback list. Repeated events change nothing; events in any order converge on
// the same record.
import crypto from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { DomainError, Invalid, Unauthorized } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { parseCtiBody, type CtiEvent } from './cti.parse.ts';
import { applyCtiEvent, type CallState } from './call-state.ts';
import { callerE164 } from './identify.ts';
import { isOpen } from './hours.ts';
import { publishPhoneNotice, type PhoneNotice } from './phone-bus.ts';

export const SIGNATURE_HEADER = 'x-guichet-signature';
const KEPT_HEADERS = ['content-type', 'user-agent', SIGNATURE_HEADER, 'x-request-id', 'x-forwarded-for'];

export interface CtiRequest {
  body: Buffer;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface CtiOptions {
  hmacSecret: string | null;
  rejectWhenClosed: boolean;
  bus: EventEmitter;
}

export type CtiAnswer = Record<string, never> | { action: 'reject'; reason: 'closed' };

export function signBody(secret: string, body: Buffer | string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
}

function signatureValid(secret: string, body: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(signBody(secret, body));
  const sent = Buffer.from(given.trim().toLowerCase());
  return sent.length === expected.length && crypto.timingSafeEqual(sent, expected);
}

async function mark(db: Database, id: number, outcome: string, error: string | null) {
  await db.query(`UPDATE cti_events SET outcome = $2, error = $3, processed_at = now() WHERE id = $1`, [id, outcome, error]);
}

/** Who sent a raw event, and how: the columns every stored event has. */
interface RawEvent {
  tokenId: string | null;
  contentType: string | null;
  headers: string;
  body: string;
}

/**
 * A refused event is stored with its outcome in one statement, committed synchronously: the refusal (4xx)
 * is answered only once the raw body is on disk.
 */
async function storeRefused(db: Database, r: RawEvent, outcome: 'bad_signature' | 'malformed' | 'invalid', error: string, e?: { event: string | null; callId: string | null }) {
  await db.query(
    `INSERT INTO cti_events (token_id, content_type, headers, raw_body, outcome, error, processed_at, event, call_id)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8)`,
    [r.tokenId, r.contentType, r.headers, r.body, outcome, error, e?.event ?? null, e?.callId ?? null],
  );
}

/**
 * POST /api/v1/cti/events: every request is stored raw before it is answered, whatever its fate. Refused
 * requests (401 bad signature, 400 malformed, 422 invalid) are stored with their outcome; valid events are
 * stored, then folded into their call. Three round trips per event in all (token, store + read, write).
 */
export async function receiveCtiEvent(db: Database, actor: Actor, req: CtiRequest, opts: CtiOptions): Promise<CtiAnswer> {
  authorize(actor, 'cti.events');
  const body = req.body.toString('utf8');
  const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
  const raw: RawEvent = { tokenId: actor.kind === 'token' ? actor.id : null, contentType: req.contentType || null, headers: JSON.stringify(headers), body };
  if (opts.hmacSecret && !signatureValid(opts.hmacSecret, req.body, req.headers[SIGNATURE_HEADER])) {
    await storeRefused(db, raw, 'bad_signature', 'signature absente ou invalide');
    throw new Unauthorized('Signature X-Guichet-Signature absente ou invalide.', 'bad_signature');
  }
  const parsed = parseCtiBody(body, req.contentType);
  if (!parsed.ok) {
    if (parsed.status === 400) {
      await storeRefused(db, raw, 'malformed', parsed.message);
      throw new DomainError(400, 'malformed', parsed.message);
    }
    await storeRefused(db, raw, 'invalid', JSON.stringify(parsed.fields), { event: parsed.event, callId: parsed.callId });
    throw new Invalid(parsed.fields, parsed.message);
  }
  const stored: { id: number | null } = { id: null };
  try {
    return await applyEvent(db, actor, raw, parsed.event, opts, stored);
  } catch (err) {
    if (stored.id !== null) await mark(db, stored.id, 'error', err instanceof Error ? err.message.slice(0, 500) : String(err)).catch(() => undefined);
    throw err;
  }
}

interface CallRow extends CallState {
  id: string;
  /** The row version read (xmin): the write applies only if nobody changed the call since. */
  version: string;
}

const CALL_COLUMNS = `k.id, k.xmin::text AS version, k.direction, k.from_number AS "fromNumber", k.to_number AS "toNumber", k.party_e164 AS "partyE164", k.queue,
  k.started_at AS "startedAt", k.answered_at AS "answeredAt", k.ended_at AS "endedAt", k.agent_id AS "agentId",
  k.answering_number AS "answeringNumber", k.hangup_cause AS "hangupCause", k.out_of_hours AS "outOfHours", k.outcome`;

interface Loaded {
  eventId: number;
  receivedAt: Date;
  call: CallRow | null;
  extensionAgentId: string | null;
  ringingAgentIds: string[];
}

/**
 * Stores the raw event (first time) and reads the call as known so far with the agents the event names (by
 * extension; those it rings), in one statement. The raw insert commits asynchronously (no disk flush): the
 * answer to the PBX follows the synchronous commit of the write, and PostgreSQL flushes the WAL in order, so
 * no acknowledged event is lost; an event cut off before its answer stays 'received' and the PBX retries it.
 * (PGlite, one in-process backend, has no flush to save: the setting is harmless there.)
 */
async function storeAndLoad(db: Database, raw: RawEvent, e: CtiEvent, storedId: number | null): Promise<Loaded> {
  const users = e.event === 'newCall' ? e.users : [];
  const params: unknown[] = [e.callId, e.answeringNumber, users, users.map((u) => u.toLowerCase())];
  const source = storedId === null
    ? `WITH raw AS (
         INSERT INTO cti_events (token_id, content_type, headers, raw_body, event, call_id)
         SELECT $5, $6, $7, $8, $9, $1 FROM (SELECT set_config('synchronous_commit', 'off', true)) async_commit
         RETURNING id, received_at)
       SELECT raw.id AS "eventId", raw.received_at AS "receivedAt",`
    : `SELECT $5::bigint AS "eventId", NULL::timestamptz AS "receivedAt",`;
  if (storedId === null) params.push(raw.tokenId, raw.contentType, raw.headers, raw.body, e.event);
  else params.push(storedId);
  const { rows } = await db.query<CallRow & { eventId: number; receivedAt: Date; extensionAgentId: string | null; ringingAgentIds: string[] }>(
    `${source}
            (SELECT a.id FROM agents a WHERE a.extension = $2 AND a.active LIMIT 1) AS "extensionAgentId",
            CASE WHEN cardinality($3::text[]) = 0 THEN '{}'::uuid[]
                 ELSE ARRAY(SELECT a.id FROM agents a WHERE a.active AND (a.extension = ANY($3::text[]) OR lower(a.email) = ANY($4::text[]))) END AS "ringingAgentIds",
            ${CALL_COLUMNS}
       FROM ${storedId === null ? 'raw' : '(SELECT 1) one'} LEFT JOIN calls k ON k.call_id = $1`,
    params,
  );
  const { eventId, receivedAt, extensionAgentId, ringingAgentIds, ...call } = rows[0];
  return { eventId, receivedAt, call: call.id ? call : null, extensionAgentId, ringingAgentIds };
}

/** A piece of SQL run as a CTE of the call's write (same statement), with its parameters. */
interface Part {
  sql: (p: (value: unknown) => string) => string;
}

/** The raw event is marked applied in the same statement as the call write (if the write happens). */
const markApplied = (eventId: number): Part => ({
  sql: (p) => `UPDATE cti_events SET outcome = 'applied', error = NULL, processed_at = now() WHERE id = ${p(eventId)}::bigint AND EXISTS (SELECT 1 FROM call)`,
});

/** Presence from the telephony: wrap-up only replaces the "on call" of this same call; an agent's own pause or away is kept. */
const presencePart = (agentId: string, status: 'on_call' | 'wrap_up'): Part => ({
  sql: (p) => `INSERT INTO agent_presence (agent_id, status, call_id, since, set_by) SELECT ${p(agentId)}::uuid, ${p(status)}::text, call.id, now(), 'cti' FROM call
     ON CONFLICT (agent_id) DO UPDATE SET status = EXCLUDED.status, call_id = EXCLUDED.call_id, since = now(), set_by = 'cti'
      WHERE EXCLUDED.status = 'on_call' OR agent_presence.call_id = EXCLUDED.call_id OR agent_presence.status = 'available'`,
});

/** Inbound calls nobody answered (abandoned, missed, out of hours) go on the callback list, one line per number. */
const callbackPart = (partyE164: string, reason: 'abandoned' | 'missed' | 'out_of_hours'): Part => ({
  sql: (p) => `INSERT INTO callbacks (party_e164, contact_id, reason, first_call_id, last_call_id)
     SELECT ${p(partyE164)}::text, call.contact_id, ${p(reason)}::text, call.id, call.id FROM call
     ON CONFLICT (party_e164) WHERE status = 'pending'
     DO UPDATE SET calls_count = callbacks.calls_count + 1, last_call_id = EXCLUDED.last_call_id,
                   contact_id = coalesce(callbacks.contact_id, EXCLUDED.contact_id)`,
});

/**
 * The caller got through (an answered call, either way): their pending callbacks for unanswered calls are
 * satisfied. Promised callbacks ('requested': level 2 owes an answer) stay on the list.
 */
const satisfyCallbacksPart = (partyE164: string): Part => ({
  sql: (p) => `UPDATE callbacks b SET status = 'done', closed_reason = 'called_again', satisfied_by_call_id = call.id, done_at = now(), reached = true
       FROM call
      WHERE b.party_e164 = ${p(partyE164)}::text AND b.status = 'pending' AND b.reason <> 'requested'
     RETURNING b.id, b.reason, b.calls_count AS "callsCount"`,
});

function callbackReason(c: CallState): 'abandoned' | 'missed' | 'out_of_hours' | null {
  if (c.direction !== 'inbound' || !c.partyE164 || c.answeredAt) return null;
  return c.outcome === 'out_of_hours' ? 'out_of_hours' : c.outcome === 'abandoned' ? 'abandoned' : c.outcome === 'missed' ? 'missed' : null;
}

/** Audit of the callbacks closed by this event, appended in the same statement (audit_append, as tx.audit does). */
const auditSatisfiedPart = (actor: Actor, e: CtiEvent, direction: string): Part => ({
  sql: (p) => `SELECT audit_append(${p(actor.kind)}::text, ${p(actor.id)}::text, ${p(actor.label)}::text, 'callback.satisfied', 'callback', s.id::text,
       jsonb_build_object('status', 'pending', 'reason', s.reason, 'callsCount', s."callsCount"),
       jsonb_build_object('status', 'done', 'closedReason', 'called_again', 'callId', call.id, 'pbxCallId', ${p(e.callId)}::text, 'direction', ${p(direction)}::text),
       ${p(actor.requestId ?? null)}::text, ${p(actor.ip ?? null)}::text)
     FROM satisfied s, call`,
});

// Two events of one call processed at once: the second write finds the row changed, reads it again, retries.
const MAX_ATTEMPTS = 20;

/**
 * Folds the event into its call, optimistically: read the call (with the raw insert), apply the pure state
 * machine, write everything it changes in one statement (autocommit, synchronous) that applies only if the
 * call is still the version read — else read again and retry. No explicit transaction, no lock held across
 * round trips: events of different calls never wait for each other, and those of one call converge.
 */
async function applyEvent(db: Database, actor: Actor, raw: RawEvent, e: CtiEvent, opts: CtiOptions, stored: { id: number | null }): Promise<CtiAnswer> {
  let at: Date | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const loaded = await storeAndLoad(db, raw, e, stored.id);
    stored.id ??= loaded.eventId;
    at ??= loaded.receivedAt;
    const { call: prev, extensionAgentId, ringingAgentIds } = loaded;
    const direction = prev?.direction ?? (e.direction === 'out' ? 'outbound' : 'inbound');
    const partyE164 = prev?.partyE164 ?? callerE164(direction === 'inbound' ? e.from : e.to);
    const outOfHours = e.event === 'newCall' && direction === 'inbound' && !prev?.answeredAt ? !(await isOpen(db, at, db)) : false;
    const { next, changed } = applyCtiEvent(prev, e, at, { agentId: extensionAgentId, outOfHours, partyE164 });
    if (!changed) {
      // facts only accumulate: an event that adds nothing to the state read adds nothing to any later one
      await mark(db, stored.id, 'duplicate', null);
      return {};
    }
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const answeredNow = !!next.answeredAt && !prev?.answeredAt;
    const endedNow = !!next.endedAt && !prev?.endedAt;
    const parts: Record<string, Part> = { mark: markApplied(stored.id) };
    if (next.agentId && answeredNow) parts.presence = presencePart(next.agentId, next.endedAt ? 'wrap_up' : 'on_call');
    else if (next.agentId && endedNow) parts.presence = presencePart(next.agentId, 'wrap_up');
    const reason = endedNow ? callbackReason(next) : null;
    if (reason) parts.callback = callbackPart(next.partyE164!, reason);
    if (answeredNow && next.partyE164) {
      parts.satisfied = satisfyCallbacksPart(next.partyE164);
      parts.audit = auditSatisfiedPart(actor, e, next.direction);
    }
    const v = [next.direction, next.fromNumber, next.toNumber, next.partyE164, next.queue, next.startedAt, next.answeredAt, next.endedAt,
      next.agentId, next.answeringNumber, next.hangupCause, next.outOfHours, next.outcome].map(p);
    const write = prev
      ? `UPDATE calls SET direction = ${v[0]}, from_number = ${v[1]}, to_number = ${v[2]}, party_e164 = ${v[3]}, queue = ${v[4]}, started_at = ${v[5]},
                answered_at = ${v[6]}, ended_at = ${v[7]}, agent_id = ${v[8]}, answering_number = ${v[9]}, hangup_cause = ${v[10]},
                out_of_hours = ${v[11]}, outcome = ${v[12]}, updated_at = now()
          WHERE id = ${p(prev.id)} AND xmin = ${p(prev.version)}::xid RETURNING id, contact_id`
      : // the contact holding this number (the most recently updated when several do); probable matches are for the agent's screen
        `INSERT INTO calls (call_id, direction, from_number, to_number, party_e164, queue, contact_id, started_at, answered_at, ended_at,
                            agent_id, answering_number, hangup_cause, out_of_hours, outcome)
         VALUES (${p(e.callId)}, ${v[0]}, ${v[1]}, ${v[2]}, ${v[3]}, ${v[4]},
                 (SELECT coalesce(c.merged_into, c.id) FROM contact_phones cp JOIN contacts c ON c.id = cp.contact_id
                   WHERE cp.e164 = ${v[3]} ORDER BY c.merged_into IS NULL DESC, c.updated_at DESC LIMIT 1),
                 ${v[5]}, ${v[6]}, ${v[7]}, ${v[8]}, ${v[9]}, ${v[10]}, ${v[11]}, ${v[12]})
         ON CONFLICT (call_id) DO NOTHING RETURNING id, contact_id`;
    const ctes = Object.entries(parts).map(([name, part]) => `${name} AS (${part.sql(p)})`);
    const { rows } = await db.query<{ id: string; audited: number }>(
      `WITH call AS (${write}), ${ctes.join(', ')}
       SELECT call.id, ${parts.audit ? '(SELECT count(*) FROM audit)' : '0'}::int AS audited FROM call`,
      params,
    );
    if (!rows[0]) continue; // the call changed (or was created) meanwhile: read it again
    const id = rows[0].id;
    const base = { callId: id, number: next.partyE164 ?? (next.direction === 'inbound' ? next.fromNumber : next.toNumber), at: at.toISOString() };
    const notices: PhoneNotice[] = [];
    if (e.event === 'newCall' && !next.answeredAt && !next.endedAt && ringingAgentIds.length) notices.push({ type: 'call.ringing', agentIds: ringingAgentIds, ...base });
    if (next.agentId && answeredNow) notices.push({ type: 'call.answered', agentIds: [next.agentId], ...base });
    if (next.agentId && endedNow) notices.push({ type: 'call.ended', agentIds: [next.agentId], ...base });
    for (const n of notices) publishPhoneNotice(opts.bus, n);
    const reject = opts.rejectWhenClosed && e.event === 'newCall' && next.direction === 'inbound' && next.outOfHours && !next.answeredAt;
    return reject ? { action: 'reject', reason: 'closed' } : {};
  }
  throw new Error(`Événements simultanés sur l’appel ${e.callId} : abandon après ${MAX_ATTEMPTS} essais.`);
}
