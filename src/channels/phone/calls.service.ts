// The call log (list, detail) and qualification: the agent answers at level 1 (a case closed at once,
// with the knowledge article used) or escalates (a case created or updated and routed to level 2).
// Cases are created and changed by the case service only, inside the qualification's own transaction:
// the case, its call interaction, the link to the call and the call's qualification commit together.
// A qualification sent twice (double click, network retry) is recorded once (call_qualifications).
import crypto from 'node:crypto';
import { joinTx, type Database, type Sql, type Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { DomainError, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { canReadCase } from '../../modules/policy/case-policy.ts';
import { addInteraction, createCase, escalateCase } from '../../modules/cases/cases.service.ts';
import { findCase, type CaseRow } from '../../modules/cases/cases.repository.ts';
import { isUuid } from '../../modules/contacts/contacts.repository.ts';
import { formatPhoneForDisplay } from '../../modules/contacts/phone.ts';
import { CALL_OUTCOMES, OUTCOME_LABELS, type CallOutcome } from './call-state.ts';
import { recordArticleUse } from '../../modules/knowledge/knowledge.service.ts';

export interface CallView {
  id: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  number: string | null;
  numberDisplay: string | null;
  queue: string | null;
  contactId: string | null;
  contactName: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  agentId: string | null;
  agentName: string | null;
  outcome: CallOutcome;
  outcomeLabel: string;
  outOfHours: boolean;
  hangupCause: string | null;
  qualification: 'level1' | 'escalate' | null;
  topic: string | null;
  cases: string[];
}

const VIEW_SQL = `
  SELECT k.id, k.call_id AS "callId", k.direction, coalesce(k.party_e164, CASE WHEN k.direction = 'inbound' THEN k.from_number ELSE k.to_number END) AS number,
         k.party_e164 AS e164, k.queue, k.contact_id AS "contactId", ct.display_name AS "contactName", k.started_at AS "startedAt",
         k.answered_at AS "answeredAt", k.ended_at AS "endedAt", k.wait_seconds AS "waitSeconds", k.talk_seconds AS "talkSeconds",
         k.agent_id AS "agentId", a.display_name AS "agentName", k.outcome, k.out_of_hours AS "outOfHours", k.hangup_cause AS "hangupCause",
         k.qualification, t.code AS topic,
         coalesce((SELECT array_agg(cs.reference ORDER BY cs.reference) FROM call_cases cc JOIN cases cs ON cs.id = cc.case_id WHERE cc.call_id = k.id), '{}') AS cases
    FROM calls k LEFT JOIN contacts ct ON ct.id = k.contact_id LEFT JOIN agents a ON a.id = k.agent_id LEFT JOIN topics t ON t.id = k.topic_id`;

function toView(r: any): CallView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const { e164, ...rest } = r;
  return {
    ...rest, startedAt: iso(r.startedAt)!, answeredAt: iso(r.answeredAt), endedAt: iso(r.endedAt),
    numberDisplay: e164 ? formatPhoneForDisplay(e164) : r.number, outcomeLabel: OUTCOME_LABELS[r.outcome as CallOutcome],
  };
}

export interface CallFilters {
  date?: string;
  agent?: string;
  outcome?: string;
  limit?: number;
}

/** Calls of one Paris day (default today), newest first. Supervisors and level 1. */
export async function listCalls(sql: Sql, actor: Actor, f: CallFilters): Promise<CallView[]> {
  authorize(actor, 'call.read');
  const errors: Record<string, string> = {};
  if (f.date && !/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.date = 'Date attendue au format AAAA-MM-JJ.';
  if (f.agent && f.agent !== 'me' && !isUuid(f.agent)) errors.agent = 'Identifiant d’agent invalide (ou « me »).';
  if (f.outcome && !(CALL_OUTCOMES as readonly string[]).includes(f.outcome)) errors.outcome = `Issue inconnue (possibles : ${CALL_OUTCOMES.join(', ')}).`;
  if (Object.keys(errors).length) throw new Invalid(errors);
  const params: unknown[] = [f.date ?? null];
  const where = [`k.started_at >= (coalesce($1::date, (now() AT TIME ZONE 'Europe/Paris')::date)::timestamp AT TIME ZONE 'Europe/Paris')`,
    `k.started_at < ((coalesce($1::date, (now() AT TIME ZONE 'Europe/Paris')::date) + 1)::timestamp AT TIME ZONE 'Europe/Paris')`];
  if (f.agent) {
    params.push(f.agent === 'me' ? actor.id : f.agent);
    where.push(`k.agent_id = $${params.length}`);
  }
  if (f.outcome) {
    params.push(f.outcome);
    where.push(`k.outcome = $${params.length}`);
  }
  params.push(Math.min(Math.max(f.limit ?? 200, 1), 1000));
  const { rows } = await sql.query(`${VIEW_SQL} WHERE ${where.join(' AND ')} ORDER BY k.started_at DESC, k.id LIMIT $${params.length}`, params);
  return rows.map(toView);
}

export async function getCall(sql: Sql, actor: Actor, id: string): Promise<CallView> {
  // the agent who answered may read their own call even without the call-log right
  if (!isUuid(id)) throw new NotFound('Appel introuvable.');
  const { rows } = await sql.query(`${VIEW_SQL} WHERE k.id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Appel introuvable.');
  if (rows[0].agentId !== actor.id) authorize(actor, 'call.read');
  return toView(rows[0]);
}

export interface QualifyInput {
  topic: string;
  outcome: 'level1' | 'escalate';
  caseReference?: string;
  articleId?: string;
  subject: string;
  note?: string;
  callback?: boolean;
  /** Contact chosen by the agent among the matches (else the call's identified contact, else the number). */
  contactId?: string;
}

export interface QualifyOptions {
  /** The client's Idempotency-Key: the same key again returns the first answer instead of acting twice. */
  idempotencyKey?: string | null;
}

export interface Qualified {
  callId: string;
  reference: string;
  unitId: string | null;
  outcome: 'level1' | 'escalate';
  /** This request repeated an earlier one (same key): nothing was done again. */
  replayed: boolean;
  /** The case already carried this call (an interrupted qualification) and was taken over rather than created again. */
  adopted: boolean;
}

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,200}$/;

/** A digest of what the request asks: the key when the client sends none, and the check that a key is not reused for another request. */
export function qualificationHash(input: QualifyInput): string {
  const canonical = [input.topic, input.outcome, input.caseReference ?? null, input.articleId ?? null, input.subject.trim(),
    input.note?.trim() || null, !!input.callback, input.contactId ?? null];
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

interface LinkedCase {
  id: string;
  /** The call's (first) interaction on that case. */
  interactionId: string;
  reference: string;
  topicId: string | null;
  unitId: string | null;
  resolvedLevel1: boolean;
  contactId: string | null;
}

/**
 * Links to the call every case carrying one of its call interactions without being linked to it yet: what a
 * qualification stopped between the case and the link left (earlier versions wrote them in two transactions).
 * Audited; returns the cases linked now.
 */
export async function linkCallCases(tx: Tx, actor: Actor, callId: string): Promise<LinkedCase[]> {
  const { rows } = await tx.query<LinkedCase>(
    `WITH linked AS (
       INSERT INTO call_cases (call_id, case_id)
       SELECT DISTINCT $1::uuid, i.case_id FROM interactions i
        WHERE i.kind = 'call' AND i.metadata ? 'callId' AND i.metadata->>'callId' = $2::text
       ON CONFLICT DO NOTHING RETURNING case_id)
     SELECT cs.id, cs.reference, cs.topic_id AS "topicId", cs.unit_id AS "unitId", cs.resolved_level1 AS "resolvedLevel1", cs.contact_id AS "contactId",
            (SELECT i.id FROM interactions i WHERE i.case_id = cs.id AND i.kind = 'call' AND i.metadata ? 'callId' AND i.metadata->>'callId' = $2::text
              ORDER BY i.created_at LIMIT 1) AS "interactionId"
       FROM linked JOIN cases cs ON cs.id = linked.case_id ORDER BY cs.created_at`,
    [callId, callId],
  );
  for (const c of rows) tx.audit({ actor, action: 'call.link-repair', objectType: 'call', objectId: callId, after: { case: c.reference } });
  return rows;
}

export async function qualifyCall(db: Database, actor: Actor, id: string, input: QualifyInput, opts: QualifyOptions = {}): Promise<Qualified> {
  authorize(actor, 'call.handle');
  if (!isUuid(id)) throw new NotFound('Appel introuvable.');
  if (input.articleId && !isUuid(input.articleId)) throw new Invalid({ articleId: 'Article inconnu.' });
  if (input.contactId && !isUuid(input.contactId)) throw new Invalid({ contactId: 'Usager inconnu.' });
  if (input.outcome === 'level1' && input.callback) throw new Invalid({ callback: 'Un rappel suppose une transmission au niveau 2.' });
  if (!input.subject?.trim()) throw new Invalid({ subject: 'Le résumé de l’appel est obligatoire.' });
  const givenKey = opts.idempotencyKey ?? null;
  if (givenKey !== null && !IDEMPOTENCY_KEY_RE.test(givenKey)) {
    throw new Invalid({ idempotencyKey: 'En-tête Idempotency-Key invalide : 1 à 200 caractères ASCII visibles.' });
  }
  const hash = qualificationHash(input);
  const key = givenKey ?? `sha256:${hash}`;
  const agentId = actor.kind === 'agent' ? actor.id : null;

  return db.tx(async (tx) => {
    // One qualification of a call at a time: a repeated request waits here for the first one, then finds it.
    // (An advisory lock, not the call's row: the PBX's events for the call keep flowing meanwhile.)
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 8))', [`qualify:${id}`]);
    const { rows: locked } = await tx.query<{ party_e164: string | null; contact_id: string | null }>(
      'SELECT party_e164, contact_id FROM calls WHERE id = $1', [id],
    );
    if (!locked[0]) throw new NotFound('Appel introuvable.');
    const call = await getCall(tx, actor, id);
    const { rows: prior } = await tx.query<{ request_hash: string; reference: string; unit_id: string | null; outcome: 'level1' | 'escalate' }>(
      `SELECT q.request_hash, cs.reference, q.unit_id, q.outcome FROM call_qualifications q JOIN cases cs ON cs.id = q.case_id
        WHERE q.call_id = $1 AND q.idempotency_key = $2`,
      [id, key],
    );
    if (prior[0]) {
      if (prior[0].request_hash !== hash) {
        throw new DomainError(422, 'idempotency_key_reused', `Cette qualification a déjà été enregistrée (demande ${prior[0].reference}) avec d’autres informations : rechargez l’appel avant de recommencer.`);
      }
      return { callId: id, reference: prior[0].reference, unitId: prior[0].unit_id, outcome: prior[0].outcome, replayed: true, adopted: false };
    }
    const { rows: t } = await tx.query<{ id: string }>('SELECT id FROM topics WHERE code = $1', [input.topic]);
    if (!t[0]) throw new Invalid({ topic: `Objet inconnu : ${input.topic}` });
    const topicId = t[0].id;

    // A case this call's interaction already sits on (an interrupted qualification) is linked, and taken over
    // when it is the same request for a new case, instead of creating a second one.
    const carried = await linkCallCases(tx, actor, id);
    const inner = joinTx(tx, db);
    const interaction = {
      kind: 'call' as const,
      direction: call.direction,
      occurredAt: new Date(call.answeredAt ?? call.startedAt),
      subject: input.subject,
      body: input.note?.trim() || null,
      metadata: {
        callId: call.id, pbxCallId: call.callId, number: call.number, waitSeconds: call.waitSeconds, talkSeconds: call.talkSeconds,
        articleId: input.articleId ?? null, qualificationKey: key,
      },
    };
    let target: { id: string; reference: string; unitId: string | null; contactId: string | null };
    let interactionId: string;
    let adopted = false;
    const orphan = input.caseReference ? undefined : carried.find((c) => c.topicId === topicId && c.resolvedLevel1 === (input.outcome === 'level1'));
    if (orphan) {
      target = orphan;
      interactionId = orphan.interactionId;
      adopted = true;
    } else if (input.caseReference) {
      const existing = await findCase(tx, input.caseReference);
      if (!existing || !canReadCase(actor, existing)) throw new Invalid({ caseReference: 'Demande introuvable.' });
      const onIt = carried.find((c) => c.id === existing.id);
      interactionId = onIt ? onIt.interactionId : (await addInteraction(inner, actor, existing.reference, interaction)).interaction.id;
      target = existing;
      if (input.outcome === 'escalate') {
        if (alreadyAtLevel2(actor, existing)) {
          // already with its level-2 unit: the call is recorded on it, nothing to hand over
        } else {
          target = { ...existing, unitId: (await escalateCase(inner, actor, existing.reference, { reason: input.note ?? null, callbackRequested: !!input.callback })).unitId };
        }
      }
    } else {
      const contactId = input.contactId ?? locked[0].contact_id ?? null;
      const contact = contactId ? { id: contactId } : locked[0].party_e164 ? { phone: locked[0].party_e164 } : undefined;
      const created = await createCase(inner, actor, {
        contact, topic: input.topic, channel: 'phone', subject: input.subject, description: input.note ?? null, receivedAt: new Date(call.startedAt),
        interaction, resolvedLevel1: input.outcome === 'level1', knowledgeArticle: input.articleId ?? null,
        tags: input.callback ? ['rappel'] : undefined,
      });
      target = { id: created.id, reference: created.reference, unitId: created.unitId, contactId: created.contactId };
      interactionId = created.interactionId!;
    }

    // The database's own guard: one row per (call, key), one per interaction; a duplicate that got past the lock fails here.
    await tx.query(
      `INSERT INTO call_qualifications (call_id, idempotency_key, request_hash, outcome, topic_id, case_id, interaction_id, unit_id, adopted, agent_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, key, hash, input.outcome, topicId, target.id, interactionId, target.unitId, adopted, agentId],
    );
    await tx.query('INSERT INTO call_cases (call_id, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, target.id]);
    if (input.articleId) await recordArticleUse(tx, input.articleId, { callId: id, caseId: target.id, agentId });
    const party = locked[0].party_e164;
    if (party && call.answeredAt) await satisfyCallbacks(tx, actor, party, call, target.reference);
    if (input.callback && party) {
      await tx.query(
        `INSERT INTO callbacks (party_e164, contact_id, reason, first_call_id, last_call_id, case_id) VALUES ($1, $2, 'requested', NULL, $3, $4)
         ON CONFLICT (party_e164) WHERE status = 'pending' DO UPDATE SET case_id = EXCLUDED.case_id, last_call_id = EXCLUDED.last_call_id`,
        [party, target.contactId, id, target.id],
      );
    }
    // last: the call's row stays locked from here to the commit only (its CTI events wait that long at most)
    await tx.query(
      `UPDATE calls SET topic_id = $2, qualification = $3, article_id = $4, qualified_at = now(), qualified_by = $5,
              contact_id = coalesce(contact_id, $6), updated_at = now() WHERE id = $1`,
      [id, topicId, input.outcome, input.articleId ?? null, agentId, target.contactId],
    );
    tx.audit({
      actor, action: 'call.qualify', objectType: 'call', objectId: id, before: { qualification: call.qualification },
      after: { topic: input.topic, outcome: input.outcome, case: target.reference, articleId: input.articleId ?? null, callback: !!input.callback, adopted, idempotencyKey: givenKey ? 'client' : 'digest' },
    });
    return { callId: id, reference: target.reference, unitId: target.unitId, outcome: input.outcome, replayed: false, adopted };
  });
}

/** A case already routed to a unit the agent is not in, and still open: it is at level 2. */
function alreadyAtLevel2(actor: Actor, c: CaseRow): boolean {
  return c.status !== 'closed' && c.status !== 'new' && c.unitId !== null && !actor.unitIds.includes(c.unitId);
}

/**
 * The caller got through and the call is qualified: callbacks still pending for the number's unanswered
 * calls made before this one was answered are closed (the CTI answer usually did it already; a hangup
 * event that arrived late may have queued one since). Promised callbacks stay.
 */
async function satisfyCallbacks(tx: Tx, actor: Actor, party: string, call: CallView, reference: string) {
  const { rows } = await tx.query<{ id: string; reason: string; callsCount: number }>(
    `UPDATE callbacks b SET status = 'done', closed_reason = 'called_again', satisfied_by_call_id = $2, done_at = now(), reached = true
      WHERE b.party_e164 = $1 AND b.status = 'pending' AND b.reason <> 'requested'
        AND coalesce((SELECT started_at FROM calls WHERE id = b.last_call_id), b.created_at) <= $3
     RETURNING b.id, b.reason, b.calls_count AS "callsCount"`,
    [party, call.id, new Date(call.answeredAt!)],
  );
  for (const cb of rows) {
    tx.audit({
      actor, action: 'callback.satisfied', objectType: 'callback', objectId: cb.id,
      before: { status: 'pending', reason: cb.reason, callsCount: cb.callsCount },
      after: { status: 'done', closedReason: 'called_again', callId: call.id, case: reference },
    });
  }
}
