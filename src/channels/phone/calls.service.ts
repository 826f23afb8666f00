// The call log (list, detail) and qualification: the agent answers at level 1 (a case closed at once,
// with the knowledge article used) or escalates (a case created or updated and routed to level 2).
// Cases are created and changed by the case service only; this file links them to the call.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { addInteraction, createCase, escalateCase } from '../../modules/cases/cases.service.ts';
import { findCase } from '../../modules/cases/cases.repository.ts';
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

export async function qualifyCall(db: Database, actor: Actor, id: string, input: QualifyInput) {
  authorize(actor, 'call.handle');
  const call = await getCall(db, actor, id);
  if (input.articleId && !isUuid(input.articleId)) throw new Invalid({ articleId: 'Article inconnu.' });
  if (input.outcome === 'level1' && input.callback) throw new Invalid({ callback: 'Un rappel suppose une transmission au niveau 2.' });
  const { rows: meta } = await db.query<{ party_e164: string | null; contact_id: string | null }>('SELECT party_e164, contact_id FROM calls WHERE id = $1', [id]);
  const interaction = {
    kind: 'call' as const,
    direction: call.direction,
    occurredAt: new Date(call.answeredAt ?? call.startedAt),
    subject: input.subject,
    body: input.note?.trim() || null,
    metadata: { callId: call.id, pbxCallId: call.callId, number: call.number, waitSeconds: call.waitSeconds, talkSeconds: call.talkSeconds, articleId: input.articleId ?? null },
  };
  let reference: string;
  let unitId: string | null = null;
  if (input.caseReference) {
    const existing = await findCase(db, input.caseReference);
    if (!existing) throw new Invalid({ caseReference: 'Demande introuvable.' });
    reference = (await addInteraction(db, actor, input.caseReference, interaction)).reference;
    if (input.outcome === 'escalate') {
      unitId = (await escalateCase(db, actor, reference, { reason: input.note ?? null, callbackRequested: !!input.callback })).unitId;
    }
  } else {
    const contactId = input.contactId ?? meta[0]?.contact_id ?? null;
    const contact = contactId ? { id: contactId } : meta[0]?.party_e164 ? { phone: meta[0].party_e164 } : undefined;
    const created = await createCase(db, actor, {
      contact, topic: input.topic, channel: 'phone', subject: input.subject, description: input.note ?? null, receivedAt: new Date(call.startedAt),
      interaction, resolvedLevel1: input.outcome === 'level1', knowledgeArticle: input.articleId ?? null,
      tags: input.callback ? ['rappel'] : undefined,
    });
    reference = created.reference;
    unitId = created.unitId;
  }
  return db.tx(async (tx) => {
    const c = await findCase(tx, reference);
    const { rows: t } = await tx.query<{ id: string }>('SELECT id FROM topics WHERE code = $1', [input.topic]);
    if (!t[0]) throw new Invalid({ topic: `Objet inconnu : ${input.topic}` });
    await tx.query('INSERT INTO call_cases (call_id, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, c!.id]);
    await tx.query(
      `UPDATE calls SET topic_id = $2, qualification = $3, article_id = $4, qualified_at = now(), qualified_by = $5,
              contact_id = coalesce(contact_id, $6), updated_at = now() WHERE id = $1`,
      [id, t[0].id, input.outcome, input.articleId ?? null, actor.kind === 'agent' ? actor.id : null, c!.contactId],
    );
    if (input.articleId) await recordArticleUse(tx, input.articleId, { callId: id, caseId: c!.id, agentId: actor.kind === 'agent' ? actor.id : null });
    if (input.callback && meta[0]?.party_e164) {
      await tx.query(
        `INSERT INTO callbacks (party_e164, contact_id, reason, first_call_id, last_call_id, case_id) VALUES ($1, $2, 'requested', NULL, $3, $4)
         ON CONFLICT (party_e164) WHERE status = 'pending' DO UPDATE SET case_id = EXCLUDED.case_id, last_call_id = EXCLUDED.last_call_id`,
        [meta[0].party_e164, c!.contactId, id, c!.id],
      );
    }
    tx.audit({ actor, action: 'call.qualify', objectType: 'call', objectId: id, before: { qualification: call.qualification }, after: { topic: input.topic, outcome: input.outcome, case: reference, articleId: input.articleId ?? null, callback: !!input.callback } });
    return { callId: id, reference, unitId, outcome: input.outcome };
  });
}
