// The one case service every channel converges on: creation, qualification and routing, assignment,
// transfer, escalation, status changes, interactions, links and merges. Each change is checked by the
// policy module and written with its audit event and timeline entry in one transaction.
import { randomUUID } from 'node:crypto';
import { PREPARED_READ, type Database, type Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { assertCanAct, assertCanAnnotate, assertCanRead, canAssign } from '../policy/case-policy.ts';
import { resolveContactForCase, type InlineContactInput } from '../contacts/contacts.service.ts';
import { contactRoutingFacts } from '../contacts/contacts.repository.ts';
import { getTopicByCode, getTopicById, type Topic } from '../topics/topics.service.ts';
import { decideRoute, decideRouteWith } from '../routing/routing.service.ts';
import { dueDateFor, dueDateWith } from '../../platform/calendar/calendar.ts';
import { referenceData, REFERENCE_VERSION_SQL, type ReferenceData } from '../reference/reference-data.ts';
import { caseEventsInsert, findCase, insertCaseEvent, type CaseEventInput, type CaseRow } from './cases.repository.ts';
import { checkTransition, STATUS_LABELS, type CaseStatus } from './transitions.ts';
import { insertInteraction, type InteractionInput } from './interactions.service.ts';
import { publishCaseChange, type CaseChange } from './case-bus.ts';

export const CHANNELS = ['phone', 'email', 'mail', 'portal', 'counter', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface NewCaseInput {
  contact?: InlineContactInput;
  topic?: string;
  channel: Channel;
  subject: string;
  description?: string | null;
  priority?: Priority;
  tags?: string[];
  /** When the request was received (a letter's date of receipt); defaults to now. */
  receivedAt?: Date;
  /** The first interaction (the call, the letter, the email...) recorded with the case. */
  interaction?: InteractionInput;
  /** Answered on the spot by level 1: the case is closed, marked resolved at level 1. */
  resolvedLevel1?: boolean;
  /** The knowledge article used for a level-1 answer. */
  knowledgeArticle?: string | null;
  /** Route to this unit instead of the routing decision (e.g. a portal procedure's unit in charge). */
  unitCode?: string;
}

// Built once: an Intl formatter costs 0.2–0.5 ms to create, on the path of every case creation.
const PARIS_YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric' });

export interface CaseCreated {
  id: string;
  reference: string;
  status: CaseStatus;
  unitId: string | null;
  contactId: string | null;
  dueDate: string | null;
  interactionId: string | null;
  contactCreated: boolean;
}

function after(tx: Tx, c: Pick<CaseRow, 'id' | 'reference' | 'unitId' | 'assigneeId' | 'sensitive' | 'topicId' | 'handlingUnitIds'>, kind: CaseChange['kind'], previousUnitId?: string | null) {
  tx.afterCommit(() =>
    publishCaseChange({ caseId: c.id, reference: c.reference, kind, unitId: c.unitId, previousUnitId, assigneeId: c.assigneeId, sensitive: c.sensitive, handlingUnitIds: c.handlingUnitIds, topicId: c.topicId, at: new Date().toISOString() }),
  );
}

async function requireTopic(tx: Tx, code: string): Promise<Topic> {
  const t = await getTopicByCode(tx, code);
  if (!t || !t.active) throw new Invalid({ topic: `Objet inconnu : ${code}` });
  return t;
}

async function unitIdByCode(tx: Tx, code: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM units WHERE code = $1 AND active', [code]);
  if (!rows[0]) throw new Invalid({ unit: `Service inconnu : ${code}` });
  return rows[0].id;
}

/** Decides the unit for a case on `topic`, by rule or default, with the reason kept on the timeline. */
async function route(tx: Tx, c: { contactId: string | null; channel: string; subject: string; description: string | null }, topic: Topic) {
  const facts = c.contactId ? await contactRoutingFacts(tx, c.contactId) : { segment: null, postcode: null, city: null };
  return decideRoute(tx, { topicId: topic.id, channel: c.channel, segment: facts.segment, postcode: facts.postcode, commune: facts.city, text: `${c.subject}\n${c.description ?? ''}` });
}

export async function createCase(db: Database, actor: Actor, input: NewCaseInput): Promise<CaseCreated> {
  authorize(actor, 'case.create');
  const subject = input.subject?.trim();
  if (!subject) throw new Invalid({ subject: "L'objet de la demande est obligatoire." });
  if (input.resolvedLevel1 && !input.topic) throw new Invalid({ topic: 'Une réponse de niveau 1 doit être qualifiée (objet).' });
  const receivedAt = input.receivedAt ?? new Date();
  const year = Number(PARIS_YEAR.format(receivedAt));
  // Creation is the busiest write of the system: its round trips are counted. The reference number and
  // the reference-data version come in one query; topics, rules and closures come from memory.
  return db.tx(async (tx) => {
    const { rows: head } = await tx.query<{ reference: string; refVersion: number }>(
      `${PREPARED_READ}SELECT format_yearly_number($1, next_yearly_number('case', $1)) AS reference, ${REFERENCE_VERSION_SQL} AS "refVersion"`,
      [year],
    );
    const reference = head[0].reference;
    const ref = await referenceData(db.pool, tx, head[0].refVersion);
    const topic = input.topic ? activeTopic(ref, input.topic) : null;
    const contact = input.contact && Object.values(input.contact).some((v) => v) ? await resolveContactForCase(tx, actor, input.contact) : null;

    let unitId: string | null = null;
    let routingReason: string | null = null;
    let ruleId: string | null = null;
    if (topic && input.resolvedLevel1) {
      unitId = actor.unitIds[0] ?? null; // stays with the level-1 team that answered
    } else if (topic && input.unitCode) {
      unitId = activeUnitId(ref, input.unitCode);
      routingReason = 'Service en charge indiqué à la création';
    } else if (topic) {
      const d = decideRouteWith(ref.activeRules, topic, {
        topicId: topic.id, channel: input.channel, segment: contact?.segment ?? null, postcode: contact?.postcode ?? null,
        commune: contact?.city ?? null, text: `${subject}\n${input.description ?? ''}`,
      });
      unitId = d.unitId;
      routingReason = d.reason;
      ruleId = d.ruleId;
    }
    const dueDate = topic ? dueDateWith(receivedAt, topic.deadlineDays, ref.closures) : null;
    const status: CaseStatus = !topic ? 'new' : input.resolvedLevel1 ? 'closed' : 'qualified';
    const events: CaseEventInput[] = [{ kind: 'created', to: status, data: { channel: input.channel } }];
    if (topic) {
      events.push({ kind: 'qualified', to: topic.code, reason: topic.name });
      if (routingReason) events.push({ kind: 'routed', to: unitId, reason: routingReason, data: { ruleId } });
    }
    if (input.resolvedLevel1) {
      events.push({
        kind: 'status', from: 'qualified', to: 'closed', reason: 'Répondue au niveau 1',
        data: input.knowledgeArticle ? { knowledgeArticle: input.knowledgeArticle } : undefined,
      });
    }
    const id = randomUUID();
    const caseParams = [
      id, reference, contact?.id ?? null, topic?.id ?? null, input.channel, subject, input.description?.trim() || null, status,
      !!input.resolvedLevel1, unitId, input.priority ?? 'normal', dueDate, normaliseTags(input.tags), topic?.sensitive ?? false,
      actor.kind, actor.id, receivedAt,
    ];
    const timeline = caseEventsInsert(events, actor, caseParams.length + 1);
    // One statement for the case and its timeline: the foreign key is checked at its end.
    await tx.query(
      `WITH new_case AS (
         INSERT INTO cases (id, reference, contact_id, topic_id, channel, subject, description, status, resolved_level1, unit_id,
                            priority, due_date, tags, sensitive, created_by_type, created_by_id, created_at, qualified_at,
                            answered_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 CASE WHEN $4::uuid IS NULL THEN NULL ELSE now() END,
                 CASE WHEN $9 THEN now() END, CASE WHEN $9 THEN now() END))
       ${timeline.text}`,
      [...caseParams, ...timeline.params],
    );
    const interaction = input.interaction ? await insertInteraction(tx, actor, { caseId: id, contactId: contact?.id ?? null }, input.interaction) : null;
    tx.audit({
      actor, action: 'case.create', objectType: 'case', objectId: id,
      after: { reference, channel: input.channel, topic: topic?.code ?? null, unitId, status, contactId: contact?.id ?? null, resolvedLevel1: !!input.resolvedLevel1, knowledgeArticle: input.knowledgeArticle ?? null },
    });
    after(tx, { id, reference, unitId, assigneeId: null, sensitive: topic?.sensitive ?? false, topicId: topic?.id ?? null, handlingUnitIds: topic?.handlingUnitIds ?? [] }, 'created');
    return { id, reference, status, unitId, contactId: contact?.id ?? null, dueDate, interactionId: interaction?.id ?? null, contactCreated: contact?.created ?? false };
  });
}

function activeTopic(ref: ReferenceData, code: string): Topic {
  const t = ref.topicsByCode.get(code);
  if (!t || !t.active) throw new Invalid({ topic: `Objet inconnu : ${code}` });
  return t;
}

function activeUnitId(ref: ReferenceData, code: string): string {
  const id = ref.activeUnitIdsByCode.get(code);
  if (!id) throw new Invalid({ unit: `Service inconnu : ${code}` });
  return id;
}

function normaliseTags(tags?: string[]): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 20);
}

/** Loads a case for a change: locked, readable (else 404) and actionable (else 403). */
async function loadForChange(tx: Tx, actor: Actor, ref: string, mode: 'act' | 'annotate' = 'act'): Promise<CaseRow> {
  const c = await findCase(tx, ref, true);
  assertCanRead(actor, c);
  if (mode === 'act') assertCanAct(actor, c);
  else assertCanAnnotate(actor, c);
  return c as CaseRow;
}

async function setStatus(tx: Tx, actor: Actor, c: CaseRow, to: CaseStatus, reason: string | null, extra: { resolvedLevel1?: boolean } = {}) {
  checkTransition(c.status, to);
  const reopening = c.status === 'closed';
  await tx.query(
    `UPDATE cases SET status = $2, updated_at = now(),
            answered_at = CASE WHEN $2 = 'answered' THEN now() ELSE answered_at END,
            closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $3 THEN NULL ELSE closed_at END,
            reopened_count = reopened_count + CASE WHEN $3 THEN 1 ELSE 0 END,
            resolved_level1 = coalesce($4, resolved_level1)
      WHERE id = $1`,
    [c.id, to, reopening, extra.resolvedLevel1 ?? null],
  );
  await insertCaseEvent(tx, c.id, actor, { kind: reopening ? 'reopened' : 'status', from: c.status, to, reason });
  tx.audit({ actor, action: reopening ? 'case.reopen' : 'case.status', objectType: 'case', objectId: c.id, before: { status: c.status }, after: { status: to, reason } });
  after(tx, c, 'status');
}

export async function transitionCase(
  db: Database,
  actor: Actor,
  ref: string,
  input: { to: CaseStatus; reason?: string | null; resolvedLevel1?: boolean; knowledgeArticle?: string | null },
) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (input.to === 'qualified' && c.status === 'new') throw new Invalid({ to: 'Qualifiez la demande en choisissant son objet.' });
    checkTransition(c.status, input.to);
    if (input.to === 'closed' && c.status === 'new' && !input.reason?.trim()) {
      throw new Invalid({ reason: 'Indiquez pourquoi une demande non qualifiée est clôturée (doublon, sans objet…).' });
    }
    if (c.status === 'closed' && !input.reason?.trim()) throw new Invalid({ reason: 'Indiquez pourquoi la demande est rouverte.' });
    if (input.to === 'assigned' && !c.assigneeId) throw new Invalid({ to: 'Attribuez la demande à un agent.' });
    await setStatus(tx, actor, c, input.to, input.reason?.trim() || null, { resolvedLevel1: input.resolvedLevel1 });
    return { reference: c.reference, status: input.to };
  });
}

/** Picks (or changes) the topic; routes the case, computes its due date. */
export async function qualifyCase(db: Database, actor: Actor, ref: string, input: { topic: string; reason?: string | null; priority?: Priority }) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (c.status === 'closed') throw new Conflict('Rouvrez la demande avant de la requalifier.', 'closed');
    const topic = await requireTopic(tx, input.topic);
    const d = await route(tx, c, topic);
    const dueDate = await dueDateFor(tx, c.createdAt, topic.deadlineDays);
    const newStatus: CaseStatus = c.status === 'new' || d.unitId !== c.unitId ? 'qualified' : c.status;
    const assigneeId = d.unitId !== c.unitId ? null : c.assigneeId;
    await tx.query(
      `UPDATE cases SET topic_id = $2, unit_id = $3, due_date = $4, sensitive = $5, status = $6, assignee_id = $7,
              priority = coalesce($8, priority), qualified_at = coalesce(qualified_at, now()), updated_at = now()
        WHERE id = $1`,
      [c.id, topic.id, d.unitId, dueDate, topic.sensitive, newStatus, assigneeId, input.priority ?? null],
    );
    await insertCaseEvent(tx, c.id, actor, { kind: 'qualified', from: c.topicId, to: topic.code, reason: input.reason?.trim() || topic.name });
    if (d.unitId !== c.unitId) await insertCaseEvent(tx, c.id, actor, { kind: 'routed', from: c.unitId, to: d.unitId, reason: d.reason, data: { ruleId: d.ruleId } });
    tx.audit({
      actor, action: 'case.qualify', objectType: 'case', objectId: c.id,
      before: { topicId: c.topicId, unitId: c.unitId, status: c.status, dueDate: c.dueDate },
      after: { topic: topic.code, unitId: d.unitId, status: newStatus, dueDate, routing: d.reason },
    });
    after(tx, { ...c, unitId: d.unitId, assigneeId, sensitive: topic.sensitive, topicId: topic.id, handlingUnitIds: topic.handlingUnitIds }, 'routed', c.unitId);
    return { reference: c.reference, status: newStatus, unitId: d.unitId, unitCode: d.unitCode, dueDate, routing: d.reason };
  });
}

/** Manual transfer to another unit, with a reason. */
export async function transferCase(db: Database, actor: Actor, ref: string, input: { unit: string; reason: string }) {
  if (!input.reason?.trim()) throw new Invalid({ reason: 'Le motif du transfert est obligatoire.' });
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (c.status === 'closed') throw new Conflict('Une demande clôturée ne peut pas être transférée.', 'closed');
    if (!c.topicId) throw new Invalid({ topic: 'Qualifiez la demande avant de la transférer.' });
    const unitId = await unitIdByCode(tx, input.unit);
    if (unitId === c.unitId) throw new Invalid({ unit: 'La demande est déjà dans ce service.' });
    const status: CaseStatus = ['assigned', 'in_progress'].includes(c.status) ? 'qualified' : c.status;
    await tx.query(`UPDATE cases SET unit_id = $2, assignee_id = NULL, status = $3, updated_at = now() WHERE id = $1`, [c.id, unitId, status]);
    await insertCaseEvent(tx, c.id, actor, { kind: 'transferred', from: c.unitId, to: unitId, reason: input.reason.trim() });
    tx.audit({ actor, action: 'case.transfer', objectType: 'case', objectId: c.id, before: { unitId: c.unitId, assigneeId: c.assigneeId, status: c.status }, after: { unitId, status, reason: input.reason.trim() } });
    after(tx, { ...c, unitId, assigneeId: null }, 'routed', c.unitId);
    return { reference: c.reference, unitId, status };
  });
}

/** Level 1 → level 2: the case leaves the front office for the unit its topic (or a rule) designates. */
export async function escalateCase(db: Database, actor: Actor, ref: string, input: { reason?: string | null; callbackRequested?: boolean }) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (!c.topicId) throw new Invalid({ topic: 'Qualifiez la demande avant de la transmettre au niveau 2.' });
    if (c.status === 'closed') throw new Conflict('Une demande clôturée ne peut pas être transmise.', 'closed');
    const topic = (await getTopicById(tx, c.topicId))!;
    const d = await route(tx, c, topic);
    const tags = input.callbackRequested ? normaliseTags([...c.tags, 'rappel']) : c.tags;
    await tx.query(`UPDATE cases SET unit_id = $2, assignee_id = NULL, status = 'qualified', tags = $3, resolved_level1 = false, updated_at = now() WHERE id = $1`, [c.id, d.unitId, tags]);
    await insertCaseEvent(tx, c.id, actor, {
      kind: 'escalated', from: c.unitId, to: d.unitId, reason: [d.reason, input.reason?.trim()].filter(Boolean).join(' — '),
      data: { ruleId: d.ruleId, callbackRequested: !!input.callbackRequested },
    });
    tx.audit({ actor, action: 'case.escalate', objectType: 'case', objectId: c.id, before: { unitId: c.unitId, status: c.status }, after: { unitId: d.unitId, status: 'qualified', callbackRequested: !!input.callbackRequested } });
    after(tx, { ...c, unitId: d.unitId, assigneeId: null }, 'routed', c.unitId);
    return { reference: c.reference, unitId: d.unitId, unitCode: d.unitCode, routing: d.reason };
  });
}

/** Assigns to an agent of the case's unit (managers), or takes/releases it oneself (agents). */
export async function assignCase(db: Database, actor: Actor, ref: string, input: { assigneeId: string | null }) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (!canAssign(actor, c, input.assigneeId)) throw new Invalid({ assigneeId: "Seul un responsable de service peut attribuer une demande à un autre agent." });
    if (c.status === 'closed') throw new Conflict('Une demande clôturée ne peut pas être attribuée.', 'closed');
    if (input.assigneeId) {
      const { rows } = await tx.query('SELECT 1 FROM agent_units au JOIN agents a ON a.id = au.agent_id WHERE au.agent_id = $1 AND au.unit_id = $2 AND a.active', [input.assigneeId, c.unitId]);
      if (!rows.length) throw new Invalid({ assigneeId: "Cet agent n'appartient pas au service en charge de la demande." });
    }
    const status: CaseStatus = input.assigneeId ? (c.status === 'qualified' || c.status === 'new' ? 'assigned' : c.status) : c.status === 'assigned' ? 'qualified' : c.status;
    await tx.query('UPDATE cases SET assignee_id = $2, status = $3, updated_at = now() WHERE id = $1', [c.id, input.assigneeId, status]);
    await insertCaseEvent(tx, c.id, actor, { kind: 'assigned', from: c.assigneeId, to: input.assigneeId });
    tx.audit({ actor, action: 'case.assign', objectType: 'case', objectId: c.id, before: { assigneeId: c.assigneeId, status: c.status }, after: { assigneeId: input.assigneeId, status } });
    after(tx, { ...c, assigneeId: input.assigneeId }, 'assigned');
    return { reference: c.reference, assigneeId: input.assigneeId, status };
  });
}

export async function updateCase(db: Database, actor: Actor, ref: string, input: { subject?: string; description?: string | null; priority?: Priority; tags?: string[] }) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref);
    if (input.subject !== undefined && !input.subject.trim()) throw new Invalid({ subject: "L'objet de la demande est obligatoire." });
    const next = {
      subject: input.subject?.trim() ?? c.subject,
      description: input.description !== undefined ? input.description?.trim() || null : c.description,
      priority: input.priority ?? c.priority,
      tags: input.tags ? normaliseTags(input.tags) : c.tags,
    };
    await tx.query('UPDATE cases SET subject = $2, description = $3, priority = $4, tags = $5, updated_at = now() WHERE id = $1', [c.id, next.subject, next.description, next.priority, next.tags]);
    await insertCaseEvent(tx, c.id, actor, { kind: 'updated', data: Object.keys(input) });
    tx.audit({ actor, action: 'case.update', objectType: 'case', objectId: c.id, before: { subject: c.subject, description: c.description, priority: c.priority, tags: c.tags }, after: next });
    after(tx, c, 'updated');
    return { reference: c.reference };
  });
}

/**
 * Records an interaction on an existing case. An inbound message from the contact on a case waiting
 * for them puts it back in progress.
 */
export async function addInteraction(db: Database, actor: Actor, ref: string, input: InteractionInput) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref, input.kind === 'note' || input.direction !== 'outbound' ? 'annotate' : 'act');
    const inserted = await insertInteraction(tx, actor, { caseId: c.id, contactId: c.contactId }, input);
    await tx.query('UPDATE cases SET updated_at = now() WHERE id = $1', [c.id]);
    if (inserted.direction === 'inbound' && c.status === 'waiting_on_contact') {
      await setStatus(tx, actor, c, 'in_progress', "Réponse de l'usager reçue");
    }
    after(tx, c, 'interaction');
    return { reference: c.reference, interaction: inserted };
  });
}

export async function linkCases(db: Database, actor: Actor, ref: string, input: { other: string; kind?: 'related' | 'duplicate' | 'follow_up' | 'reference_mismatch'; note?: string }) {
  return db.tx(async (tx) => {
    const c = await loadForChange(tx, actor, ref, 'annotate');
    const other = await findCase(tx, input.other);
    assertCanRead(actor, other);
    if (other!.id === c.id) throw new Invalid({ other: 'Une demande ne peut pas être liée à elle-même.' });
    await tx.query(
      `INSERT INTO case_links (case_id, linked_case_id, kind, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (case_id, linked_case_id) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note`,
      [c.id, other!.id, input.kind ?? 'related', input.note ?? null],
    );
    await insertCaseEvent(tx, c.id, actor, { kind: 'linked', to: other!.reference, reason: input.note ?? null, data: { kind: input.kind ?? 'related' } });
    tx.audit({ actor, action: 'case.link', objectType: 'case', objectId: c.id, after: { linked: other!.reference, kind: input.kind ?? 'related' } });
    return { reference: c.reference, linked: other!.reference };
  });
}

/** Merges a duplicate into this case: its interactions move here; the duplicate is closed and linked. */
export async function mergeDuplicateCase(db: Database, actor: Actor, ref: string, input: { duplicate: string }) {
  return db.tx(async (tx) => {
    const target = await loadForChange(tx, actor, ref);
    const dup = await loadForChange(tx, actor, input.duplicate);
    if (dup.id === target.id) throw new Invalid({ duplicate: 'Une demande ne peut pas être fusionnée avec elle-même.' });
    if (dup.status === 'closed') throw new Conflict('La demande en double est déjà clôturée.', 'closed');
    const moved = await tx.query('UPDATE interactions SET case_id = $2 WHERE case_id = $1', [dup.id, target.id]);
    await tx.query(`UPDATE cases SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1`, [dup.id]);
    await tx.query(`INSERT INTO case_links (case_id, linked_case_id, kind) VALUES ($1, $2, 'merged') ON CONFLICT DO NOTHING`, [dup.id, target.id]);
    await insertCaseEvent(tx, dup.id, actor, { kind: 'merged', from: dup.status, to: target.reference, reason: `Fusionnée dans ${target.reference}` });
    await insertCaseEvent(tx, target.id, actor, { kind: 'merged', to: target.reference, reason: `${dup.reference} fusionnée ici (${moved.rowCount} échange(s) repris)` });
    tx.audit({ actor, action: 'case.merge', objectType: 'case', objectId: target.id, before: { duplicate: dup.reference, duplicateStatus: dup.status }, after: { movedInteractions: moved.rowCount } });
    after(tx, target, 'updated');
    after(tx, { ...dup }, 'status');
    return { reference: target.reference, merged: dup.reference, movedInteractions: moved.rowCount ?? 0 };
  });
}

export function statusLabel(s: CaseStatus) {
  return STATUS_LABELS[s];
}

export async function requireReadableCase(db: Database, actor: Actor, ref: string): Promise<CaseRow> {
  const c = await findCase(db, ref);
  assertCanRead(actor, c);
  if (!c) throw new NotFound('Demande introuvable.');
  return c;
}
