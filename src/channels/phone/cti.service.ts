// The CTI webhook: every event is stored raw first (cti_events), then its signature checked, then read
// and folded into the call record (call-state.ts) in one transaction that also marks the raw event's
// outcome. Repeated events change nothing; events in any order converge on the same record.
import crypto from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Database, Tx } from '../../platform/db/database.ts';
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

async function mark(db: Database | Tx, id: number, outcome: string, error: string | null, e?: { event: string | null; callId: string | null }) {
  await db.query(
    `UPDATE cti_events SET outcome = $2, error = $3, processed_at = now(), event = coalesce($4, event), call_id = coalesce($5, call_id) WHERE id = $1`,
    [id, outcome, error, e?.event ?? null, e?.callId ?? null],
  );
}

/** POST /api/v1/cti/events: store, verify, read, apply. Throws 400/401/422 after storing. */
export async function receiveCtiEvent(db: Database, actor: Actor, req: CtiRequest, opts: CtiOptions): Promise<CtiAnswer> {
  authorize(actor, 'cti.events');
  const raw = req.body.toString('utf8');
  const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
  // Asynchronous commit: no disk flush here. Every answer (200, 4xx) is sent only after a later synchronous
  // commit on the same server (the processing, or the outcome update), and the WAL is flushed in order,
  // so no acknowledged event is ever lost; an event cut off before its answer is retried by the PBX.
  // (PGlite, one in-process backend, has no flush to save: one plain statement there.)
  const insertRaw = async (sql: Pick<Tx, 'query'>) =>
    (await sql.query<{ id: number; received_at: Date }>(
      `INSERT INTO cti_events (token_id, content_type, headers, raw_body) VALUES ($1, $2, $3, $4) RETURNING id, received_at`,
      [actor.kind === 'token' ? actor.id : null, req.contentType || null, JSON.stringify(headers), raw],
    )).rows[0];
  const { id, received_at: at } = db.kind === 'postgres'
    ? await db.tx(async (tx) => {
        await tx.query('SET LOCAL synchronous_commit TO OFF');
        return insertRaw(tx);
      })
    : await insertRaw(db);
  if (opts.hmacSecret && !signatureValid(opts.hmacSecret, req.body, req.headers[SIGNATURE_HEADER])) {
    await mark(db, id, 'bad_signature', 'signature absente ou invalide');
    throw new Unauthorized('Signature X-Guichet-Signature absente ou invalide.', 'bad_signature');
  }
  const parsed = parseCtiBody(raw, req.contentType);
  if (!parsed.ok) {
    if (parsed.status === 400) {
      await mark(db, id, 'malformed', parsed.message);
      throw new DomainError(400, 'malformed', parsed.message);
    }
    await mark(db, id, 'invalid', JSON.stringify(parsed.fields), { event: parsed.event, callId: parsed.callId });
    throw new Invalid(parsed.fields, parsed.message);
  }
  try {
    return await applyEvent(db, id, parsed.event, at, opts);
  } catch (err) {
    await mark(db, id, 'error', err instanceof Error ? err.message.slice(0, 500) : String(err), { event: parsed.event.event, callId: parsed.event.callId }).catch(() => undefined);
    throw err;
  }
}

interface CallRow extends CallState {
  id: string;
}

const CALL_COLUMNS = `id, direction, from_number AS "fromNumber", to_number AS "toNumber", party_e164 AS "partyE164", queue,
  started_at AS "startedAt", answered_at AS "answeredAt", ended_at AS "endedAt", agent_id AS "agentId",
  answering_number AS "answeringNumber", hangup_cause AS "hangupCause", out_of_hours AS "outOfHours", outcome`;

/** Marks the raw event applied in the same statement as the call write (one round trip less per event). */
const markApplied = (eventIdParam: string, eventParam: string, callIdParam: string) =>
  `UPDATE cti_events SET outcome = 'applied', error = NULL, processed_at = now(), event = ${eventParam}::text, call_id = ${callIdParam}::text WHERE id = ${eventIdParam}::bigint`;

async function agentByExtension(tx: Tx, extension: string | null): Promise<string | null> {
  if (!extension) return null;
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM agents WHERE extension = $1 AND active', [extension]);
  return rows[0]?.id ?? null;
}

async function agentsForUsers(tx: Tx, users: string[]): Promise<string[]> {
  if (!users.length) return [];
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM agents WHERE active AND (extension = ANY($1) OR lower(email) = ANY($2))',
    [users, users.map((u) => u.toLowerCase())],
  );
  return rows.map((r) => r.id);
}

async function applyEvent(db: Database, eventId: number, e: CtiEvent, at: Date, opts: CtiOptions): Promise<CtiAnswer> {
  const notices: PhoneNotice[] = [];
  const result = await db.tx(async (tx) => {
    // Serialise the events of one call (they may arrive at once on several connections).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`call:${e.callId}`]);
    const { rows } = await tx.query<CallRow>(`SELECT ${CALL_COLUMNS} FROM calls WHERE call_id = $1`, [e.callId]);
    const prev = rows[0] ?? null;
    const direction = prev?.direction ?? (e.direction === 'out' ? 'outbound' : 'inbound');
    const partyE164 = prev?.partyE164 ?? callerE164(direction === 'inbound' ? e.from : e.to);
    const outOfHours = e.event === 'newCall' && direction === 'inbound' && !prev?.answeredAt ? !(await isOpen(tx, at, db)) : false;
    const agentId = await agentByExtension(tx, e.answeringNumber);
    const { next, changed } = applyCtiEvent(prev, e, at, { agentId, outOfHours, partyE164 });
    let callId = prev?.id ?? null;
    if (!changed) {
      await mark(tx, eventId, 'duplicate', null, { event: e.event, callId: e.callId });
      return { answer: {} as CtiAnswer };
    }
    if (!prev) {
      // the contact holding this number (the most recently updated when several do); probable matches are for the agent's screen
      const ins = await tx.query<{ id: string }>(
        `WITH m AS (${markApplied('$15', '$16', '$1')})
         INSERT INTO calls (call_id, direction, from_number, to_number, party_e164, queue, contact_id, started_at, answered_at, ended_at,
                            agent_id, answering_number, hangup_cause, out_of_hours, outcome)
         VALUES ($1, $2, $3, $4, $5, $6,
                 (SELECT coalesce(c.merged_into, c.id) FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                   WHERE p.e164 = $5 ORDER BY c.merged_into IS NULL DESC, c.updated_at DESC LIMIT 1),
                 $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
        [e.callId, next.direction, next.fromNumber, next.toNumber, next.partyE164, next.queue, next.startedAt, next.answeredAt,
          next.endedAt, next.agentId, next.answeringNumber, next.hangupCause, next.outOfHours, next.outcome, eventId, e.event],
      );
      callId = ins.rows[0].id;
    } else {
      await tx.query(
        `WITH m AS (${markApplied('$16', '$17', '$15')})
         UPDATE calls SET direction = $2, from_number = $3, to_number = $4, party_e164 = $5, queue = $6, started_at = $7, answered_at = $8,
                ended_at = $9, agent_id = $10, answering_number = $11, hangup_cause = $12, out_of_hours = $13, outcome = $14, updated_at = now()
          WHERE id = $1`,
        [prev.id, next.direction, next.fromNumber, next.toNumber, next.partyE164, next.queue, next.startedAt, next.answeredAt, next.endedAt,
          next.agentId, next.answeringNumber, next.hangupCause, next.outOfHours, next.outcome, e.callId, eventId, e.event],
      );
    }
    const id = callId!;
    const base = { callId: id, number: next.partyE164 ?? (next.direction === 'inbound' ? next.fromNumber : next.toNumber), at: at.toISOString() };
    if (e.event === 'newCall' && !next.answeredAt && !next.endedAt) {
      const ringing = await agentsForUsers(tx, e.users);
      if (ringing.length) notices.push({ type: 'call.ringing', agentIds: ringing, ...base });
    }
    if (next.agentId && next.answeredAt && !prev?.answeredAt) {
      await setPresenceFromCti(tx, next.agentId, next.endedAt ? 'wrap_up' : 'on_call', id);
      notices.push({ type: 'call.answered', agentIds: [next.agentId], ...base });
    }
    if (next.endedAt && !prev?.endedAt) {
      if (next.agentId) {
        await setPresenceFromCti(tx, next.agentId, 'wrap_up', id);
        notices.push({ type: 'call.ended', agentIds: [next.agentId], ...base });
      }
      await queueCallbackIfNeeded(tx, id, next);
    }
    const reject = opts.rejectWhenClosed && e.event === 'newCall' && next.direction === 'inbound' && next.outOfHours && !next.answeredAt;
    return { answer: (reject ? { action: 'reject', reason: 'closed' } : {}) as CtiAnswer };
  });
  for (const n of notices) publishPhoneNotice(opts.bus, n);
  return result.answer;
}

async function setPresenceFromCti(tx: Tx, agentId: string, status: 'on_call' | 'wrap_up', callId: string) {
  // wrap-up only replaces the "on call" of this same call; an agent's own pause or away is kept
  await tx.query(
    `INSERT INTO agent_presence (agent_id, status, call_id, since, set_by) VALUES ($1, $2, $3, now(), 'cti')
     ON CONFLICT (agent_id) DO UPDATE SET status = EXCLUDED.status, call_id = EXCLUDED.call_id, since = now(), set_by = 'cti'
      WHERE $2 = 'on_call' OR agent_presence.call_id = EXCLUDED.call_id OR agent_presence.status = 'available'`,
    [agentId, status, callId],
  );
}

/** Inbound calls nobody answered (abandoned, missed, out of hours) go on the callback list, one line per number. */
async function queueCallbackIfNeeded(tx: Tx, callId: string, c: CallState) {
  if (c.direction !== 'inbound' || !c.partyE164 || c.answeredAt) return;
  const reason = c.outcome === 'out_of_hours' ? 'out_of_hours' : c.outcome === 'abandoned' ? 'abandoned' : c.outcome === 'missed' ? 'missed' : null;
  if (!reason) return;
  const { rows } = await tx.query<{ contact_id: string | null }>('SELECT contact_id FROM calls WHERE id = $1', [callId]);
  await tx.query(
    `INSERT INTO callbacks (party_e164, contact_id, reason, first_call_id, last_call_id) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (party_e164) WHERE status = 'pending'
     DO UPDATE SET calls_count = callbacks.calls_count + 1, last_call_id = EXCLUDED.last_call_id,
                   contact_id = coalesce(callbacks.contact_id, EXCLUDED.contact_id)`,
    [c.partyE164, rows[0]?.contact_id ?? null, reason, callId],
  );
}
