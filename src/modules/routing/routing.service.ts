// Routing: which unit a qualified case goes to. Active rules are tried in order of position; the first
// one whose conditions the request meets names the unit. Without one, the topic's default unit.
// Rules whose target unit has been deactivated are passed over (a case must never land in a unit that
// nobody works in any more).
import type { Database, Sql, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, NotFound, type FieldErrors } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { getTopicByCode, getTopicById, type Topic } from '../topics/topics.service.ts';
import {
  CHANNELS,
  CONDITION_LABELS,
  SEGMENTS,
  checkRule,
  hasAnyCondition,
  postcodeKey,
  prepareFacts,
  words,
  type ConditionKind,
  type PreparedFacts,
  type RuleConditions,
} from './routing.match.ts';

export interface RoutingInput {
  topicId: string;
  channel: string;
  segment?: string | null;
  postcode?: string | null;
  commune?: string | null;
  text?: string | null;
}

export interface RoutingDecision {
  unitId: string;
  unitCode: string;
  ruleId: string | null;
  /** In French, for the case timeline: "Règle « Routes du Giennois » (n° 2)". */
  reason: string;
}

/** A rule as stored, with its target unit. */
export interface RoutingRule extends RuleConditions {
  id: string;
  position: number;
  name: string;
  active: boolean;
  /** The codes of topicIds, for people and the API. */
  topicCodes: string[];
  targetUnitId: string;
  targetUnitCode: string;
  targetUnitName: string;
  targetUnitActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A rule as written by an administrator: topics and the target unit by code. */
export interface RoutingRuleInput {
  name: string;
  active?: boolean;
  topicCodes?: string[] | null;
  channels?: string[] | null;
  segments?: string[] | null;
  postcodePrefixes?: string[] | null;
  communes?: string[] | null;
  keywords?: string[] | null;
  targetUnitCode: string;
  /** 1-based place among the rules; by default, after the others. */
  position?: number;
}

export type RoutingRulePatch = Partial<RoutingRuleInput>;

const SELECT = `
  SELECT r.id, r.position, r.name, r.active,
         coalesce(r.topic_ids::text[], '{}') AS "topicIds",
         coalesce((SELECT array_agg(t.code ORDER BY t.code COLLATE "C") FROM topics t WHERE t.id = ANY(r.topic_ids)), '{}') AS "topicCodes",
         coalesce(r.channels, '{}') AS channels,
         coalesce(r.segments, '{}') AS segments,
         coalesce(r.postcode_prefixes, '{}') AS "postcodePrefixes",
         coalesce(r.communes, '{}') AS communes,
         coalesce(r.keywords, '{}') AS keywords,
         r.target_unit_id AS "targetUnitId", u.code AS "targetUnitCode", u.name AS "targetUnitName", u.active AS "targetUnitActive",
         r.created_at AS "createdAt", r.updated_at AS "updatedAt"
    FROM routing_rules r JOIN units u ON u.id = r.target_unit_id`;
const ORDER = 'ORDER BY r.position, r.created_at, r.id';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ruleReason(rule: Pick<RoutingRule, 'name' | 'position'>): string {
  return `Règle « ${rule.name} » (n° ${rule.position})`;
}

function defaultReason(topic: Topic): string {
  return `Service par défaut de l'objet « ${topic.name} »`;
}

// ------------------------------------------------------------------------------------------------
// Deciding
// ------------------------------------------------------------------------------------------------

export type RuleOutcome = 'applied' | 'matched' | 'no_match' | 'inactive' | 'target_inactive';

export interface RuleTrace {
  ruleId: string | null;
  position: number;
  name: string;
  active: boolean;
  /** applied: the winning rule; matched: would match but an earlier rule won; target_inactive: matched but its unit is deactivated. */
  outcome: RuleOutcome;
  failedConditions: ConditionKind[];
  /** The rule under test in a preview. */
  draft: boolean;
}

interface Evaluation {
  decision: RoutingDecision;
  trace: RuleTrace[];
}

type EvaluatedRule = Pick<RoutingRule, 'id' | 'position' | 'name' | 'active' | 'targetUnitId' | 'targetUnitCode' | 'targetUnitActive'> &
  RuleConditions & { draft?: boolean };

function evaluate(rules: EvaluatedRule[], facts: PreparedFacts, topic: Topic): Evaluation {
  let decision: RoutingDecision | null = null;
  const trace: RuleTrace[] = [];
  for (const rule of rules) {
    const check = checkRule(rule, facts);
    let outcome: RuleOutcome;
    if (!check.matched) outcome = 'no_match';
    else if (!rule.active) outcome = 'inactive';
    else if (!rule.targetUnitActive) outcome = 'target_inactive';
    else if (decision) outcome = 'matched';
    else {
      outcome = 'applied';
      decision = {
        unitId: rule.targetUnitId,
        unitCode: rule.targetUnitCode,
        ruleId: rule.id,
        reason: ruleReason(rule) + (rule.draft ? ' (règle à l’essai)' : ''),
      };
    }
    trace.push({ ruleId: rule.draft ? null : rule.id, position: rule.position, name: rule.name, active: rule.active, outcome, failedConditions: check.failed, draft: !!rule.draft });
  }
  decision ??= { unitId: topic.defaultUnitId, unitCode: topic.defaultUnitCode, ruleId: null, reason: defaultReason(topic) };
  return { decision, trace };
}

/** The unit a case goes to, and why. Throws NotFound for an unknown topic. */
export async function decideRoute(sql: Sql, input: RoutingInput): Promise<RoutingDecision> {
  const topic = await getTopicById(sql, input.topicId);
  if (!topic) throw new NotFound('Objet de demande introuvable.', 'topic_not_found');
  // Topic and channel are narrowed in SQL (cheap, indexed by position); decideRouteWith checks them
  // again with the rest, so both paths decide alike.
  const { rows } = await sql.query<RoutingRule>(
    `${SELECT}
      WHERE r.active AND u.active
        AND (coalesce(cardinality(r.topic_ids), 0) = 0 OR $1::uuid = ANY(r.topic_ids))
        AND (coalesce(cardinality(r.channels), 0) = 0 OR $2::text = ANY(r.channels))
      ${ORDER}`,
    [topic.id, input.channel],
  );
  return decideRouteWith(rows, topic, input);
}

/** The active rules whose unit is active, in order: what a process keeps in memory to route. */
export async function loadActiveRules(sql: Sql): Promise<RoutingRule[]> {
  return (await sql.query<RoutingRule>(`${SELECT} WHERE r.active AND u.active ${ORDER}`)).rows;
}

/** The same decision as decideRoute, from rules already loaded (see loadActiveRules). */
export function decideRouteWith(rules: RoutingRule[], topic: Topic, input: RoutingInput): RoutingDecision {
  const candidates = rules.filter(
    (r) => r.active && r.targetUnitActive && (r.topicIds.length === 0 || r.topicIds.includes(topic.id)) && (r.channels.length === 0 || r.channels.includes(input.channel)),
  );
  return evaluate(candidates, prepareFacts({ ...input, topicId: topic.id }), topic).decision;
}

// ------------------------------------------------------------------------------------------------
// Managing rules
// ------------------------------------------------------------------------------------------------

export async function listRoutingRules(sql: Sql, actor: Actor): Promise<RoutingRule[]> {
  authorize(actor, 'org.read');
  return (await sql.query<RoutingRule>(`${SELECT} ${ORDER}`)).rows;
}

async function getRule(sql: Sql, id: string): Promise<RoutingRule | null> {
  if (!UUID_RE.test(id)) return null;
  const { rows } = await sql.query<RoutingRule>(`${SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ?? null;
}

interface CheckedRule extends RuleConditions {
  name: string;
  active: boolean;
  targetUnitId: string;
  targetUnitCode: string;
  targetUnitActive: boolean;
}

function cleanList(list: string[] | null | undefined, clean: (s: string) => string = (s) => s.trim()): string[] {
  return [...new Set((list ?? []).map(clean).filter(Boolean))];
}

/**
 * Validates a complete rule (after a patch is applied) and resolves codes to ids. Unknown topics and
 * units, bad channels or segments, malformed postcode prefixes and rules without any condition are
 * refused with French messages.
 */
async function checkRuleInput(sql: Sql, input: RoutingRuleInput, opts: { keepUnitId?: string } = {}): Promise<CheckedRule> {
  const fields: FieldErrors = {};
  const name = input.name?.trim() ?? '';
  if (!name) fields.name = 'Nom obligatoire.';
  else if (name.length > 200) fields.name = 'Au plus 200 caractères.';

  const channels = cleanList(input.channels);
  const badChannels = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (badChannels.length) fields.channels = `Canal inconnu : ${badChannels.join(', ')} (possibles : ${CHANNELS.join(', ')}).`;

  const segments = cleanList(input.segments);
  const badSegments = segments.filter((s) => !(SEGMENTS as readonly string[]).includes(s));
  if (badSegments.length) fields.segments = `Type d’usager inconnu : ${badSegments.join(', ')} (possibles : ${SEGMENTS.join(', ')}).`;

  const postcodePrefixes = cleanList(input.postcodePrefixes, postcodeKey);
  const badPrefixes = postcodePrefixes.filter((p) => !/^\d{1,5}$/.test(p));
  if (badPrefixes.length) fields.postcodePrefixes = `Début de code postal invalide : ${badPrefixes.join(', ')} (1 à 5 chiffres, par exemple 452).`;

  const communes = cleanList(input.communes);
  if (communes.some((c) => c.length > 100 || !words(c).length)) fields.communes = 'Nom de commune invalide.';

  const keywords = cleanList(input.keywords);
  if (keywords.some((k) => k.length > 100 || !words(k).length)) fields.keywords = 'Mot-clé invalide : des lettres ou des chiffres sont attendus.';

  const topicCodes = cleanList(input.topicCodes);
  let topicIds: string[] = [];
  if (topicCodes.length) {
    const { rows } = await sql.query<{ id: string; code: string }>(`SELECT id, code FROM topics WHERE code = ANY($1::text[])`, [topicCodes]);
    const known = new Map(rows.map((r) => [r.code, r.id]));
    const unknown = topicCodes.filter((c) => !known.has(c));
    if (unknown.length) fields.topicCodes = `Objet inconnu : ${unknown.join(', ')}`;
    topicIds = topicCodes.map((c) => known.get(c)!).filter(Boolean);
  }

  let target: { id: string; code: string; active: boolean } | undefined;
  if (!input.targetUnitCode) fields.targetUnitCode = 'Service destinataire obligatoire.';
  else {
    const { rows } = await sql.query<{ id: string; code: string; active: boolean }>(`SELECT id, code, active FROM units WHERE code = $1`, [input.targetUnitCode]);
    target = rows[0];
    if (!target) fields.targetUnitCode = `Service inconnu : ${input.targetUnitCode}`;
    else if (!target.active && target.id !== opts.keepUnitId) fields.targetUnitCode = `Le service « ${input.targetUnitCode} » est désactivé.`;
  }

  const rule: CheckedRule = {
    name,
    active: input.active ?? true,
    topicIds,
    channels,
    segments,
    postcodePrefixes,
    communes,
    keywords,
    targetUnitId: target?.id ?? '',
    targetUnitCode: target?.code ?? '',
    targetUnitActive: target?.active ?? false,
  };
  if (!hasAnyCondition(rule) && !fields.topicCodes) {
    fields.conditions = 'Indiquez au moins une condition (objet, canal, type d’usager, code postal, commune ou mot-clé) : ' +
      'sans condition, la règle enverrait toutes les demandes au même service.';
  }
  if (input.position !== undefined && (!Number.isInteger(input.position) || input.position < 1)) fields.position = 'Position : un entier à partir de 1.';
  if (Object.keys(fields).length) throw new Invalid(fields);
  return rule;
}

const arr = (list: string[]) => (list.length ? list : null);

/** Rule writers take this lock: positions stay a gapless 1..n sequence. */
async function lockRules(tx: Tx): Promise<string[]> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('guichet.routing_rules'))`);
  const { rows } = await tx.query<{ id: string }>(`SELECT r.id FROM routing_rules r ${ORDER}`);
  return rows.map((r) => r.id);
}

async function renumber(tx: Tx, orderedIds: string[]) {
  await tx.query(
    `UPDATE routing_rules r SET position = o.ord
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord)
      WHERE r.id = o.id AND r.position <> o.ord`,
    [orderedIds],
  );
}

function placeAt(ids: string[], id: string, position: number | undefined): string[] {
  const rest = ids.filter((x) => x !== id);
  const index = position === undefined ? rest.length : Math.min(Math.max(position - 1, 0), rest.length);
  return [...rest.slice(0, index), id, ...rest.slice(index)];
}

/** The rule as an audit record: conditions by code, as the administrator wrote them. */
function auditView(r: RoutingRule) {
  return {
    position: r.position,
    name: r.name,
    active: r.active,
    topicCodes: r.topicCodes,
    channels: r.channels,
    segments: r.segments,
    postcodePrefixes: r.postcodePrefixes,
    communes: r.communes,
    keywords: r.keywords,
    targetUnitCode: r.targetUnitCode,
  };
}

export async function createRoutingRule(db: Database, actor: Actor, input: RoutingRuleInput): Promise<RoutingRule> {
  authorize(actor, 'routing.manage');
  return db.tx(async (tx) => {
    const rule = await checkRuleInput(tx, input);
    const ids = await lockRules(tx);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO routing_rules (position, name, active, topic_ids, channels, segments, postcode_prefixes, communes, keywords, target_unit_id)
       VALUES ($1, $2, $3, $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10)
       RETURNING id`,
      [ids.length + 1, rule.name, rule.active, arr(rule.topicIds), arr(rule.channels), arr(rule.segments), arr(rule.postcodePrefixes), arr(rule.communes), arr(rule.keywords), rule.targetUnitId],
    );
    const id = rows[0].id;
    if (input.position !== undefined) await renumber(tx, placeAt([...ids, id], id, input.position));
    const created = (await getRule(tx, id))!;
    tx.audit({ actor, action: 'routing_rule.create', objectType: 'routing_rule', objectId: id, after: auditView(created) });
    return created;
  });
}

export async function updateRoutingRule(db: Database, actor: Actor, id: string, patch: RoutingRulePatch): Promise<RoutingRule> {
  authorize(actor, 'routing.manage');
  return db.tx(async (tx) => {
    const ids = await lockRules(tx);
    const before = await getRule(tx, id);
    if (!before) throw new NotFound('Règle de routage introuvable.', 'routing_rule_not_found');
    const merged: RoutingRuleInput = {
      name: patch.name ?? before.name,
      active: patch.active ?? before.active,
      topicCodes: patch.topicCodes !== undefined ? patch.topicCodes : before.topicCodes,
      channels: patch.channels !== undefined ? patch.channels : before.channels,
      segments: patch.segments !== undefined ? patch.segments : before.segments,
      postcodePrefixes: patch.postcodePrefixes !== undefined ? patch.postcodePrefixes : before.postcodePrefixes,
      communes: patch.communes !== undefined ? patch.communes : before.communes,
      keywords: patch.keywords !== undefined ? patch.keywords : before.keywords,
      targetUnitCode: patch.targetUnitCode ?? before.targetUnitCode,
      position: patch.position,
    };
    // A target unit deactivated since the rule was written must not block other edits (e.g. switching
    // the rule off): only a newly chosen unit has to be active.
    const rule = await checkRuleInput(tx, merged, { keepUnitId: before.targetUnitId });
    await tx.query(
      `UPDATE routing_rules
          SET name = $2, active = $3, topic_ids = $4::uuid[], channels = $5::text[], segments = $6::text[],
              postcode_prefixes = $7::text[], communes = $8::text[], keywords = $9::text[], target_unit_id = $10, updated_at = now()
        WHERE id = $1`,
      [id, rule.name, rule.active, arr(rule.topicIds), arr(rule.channels), arr(rule.segments), arr(rule.postcodePrefixes), arr(rule.communes), arr(rule.keywords), rule.targetUnitId],
    );
    if (patch.position !== undefined) await renumber(tx, placeAt(ids, id, patch.position));
    const after = (await getRule(tx, id))!;
    tx.audit({ actor, action: 'routing_rule.update', objectType: 'routing_rule', objectId: id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

export async function deleteRoutingRule(db: Database, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'routing.manage');
  await db.tx(async (tx) => {
    const ids = await lockRules(tx);
    const before = await getRule(tx, id);
    if (!before) throw new NotFound('Règle de routage introuvable.', 'routing_rule_not_found');
    await tx.query(`DELETE FROM routing_rules WHERE id = $1`, [id]);
    await renumber(tx, ids.filter((x) => x !== id));
    tx.audit({ actor, action: 'routing_rule.delete', objectType: 'routing_rule', objectId: id, before: auditView(before) });
  });
}

/** Puts the rules in the given order. The list must name every rule exactly once. */
export async function reorderRoutingRules(db: Database, actor: Actor, orderedIds: string[]): Promise<RoutingRule[]> {
  authorize(actor, 'routing.manage');
  return db.tx(async (tx) => {
    const ids = await lockRules(tx);
    const given = new Set(orderedIds);
    if (given.size !== orderedIds.length || given.size !== ids.length || !ids.every((x) => given.has(x))) {
      throw new Invalid({ ids: `La liste doit contenir chacune des ${ids.length} règles une seule fois.` });
    }
    await renumber(tx, orderedIds);
    tx.audit({ actor, action: 'routing_rule.reorder', objectType: 'routing_rule', objectId: null, before: { ids }, after: { ids: orderedIds } });
    return (await tx.query<RoutingRule>(`${SELECT} ${ORDER}`)).rows;
  });
}

// ------------------------------------------------------------------------------------------------
// Preview ("test this rule")
// ------------------------------------------------------------------------------------------------

export interface PreviewInput {
  topicCode: string;
  channel: string;
  segment?: string | null;
  postcode?: string | null;
  commune?: string | null;
  text?: string | null;
  /** An unsaved rule; with the id of a saved rule, it stands in for that rule. */
  rule?: RoutingRuleInput & { id?: string };
}

export interface DraftOutcome {
  /** Whether the draft's conditions match the request (whatever its place and active flag). */
  matches: boolean;
  failedConditions: ConditionKind[];
  /** The decision if the draft were saved. */
  decision: RoutingDecision;
  /** Whether saving the draft would send this request to another unit. */
  changesUnit: boolean;
  /** In French, for the administrator. */
  summary: string;
}

export interface PreviewResult {
  decision: RoutingDecision;
  trace: RuleTrace[];
  draft: (DraftOutcome & { trace: RuleTrace[] }) | null;
}

export async function previewRoute(sql: Sql, actor: Actor, input: PreviewInput): Promise<PreviewResult> {
  authorize(actor, 'routing.manage');
  const fields: FieldErrors = {};
  const topic = await getTopicByCode(sql, input.topicCode);
  if (!topic) fields.topicCode = `Objet inconnu : ${input.topicCode}`;
  if (!(CHANNELS as readonly string[]).includes(input.channel)) fields.channel = `Canal inconnu : ${input.channel}`;
  if (input.segment && !(SEGMENTS as readonly string[]).includes(input.segment)) fields.segment = `Type d’usager inconnu : ${input.segment}`;
  let draft: CheckedRule | null = null;
  if (input.rule) {
    try {
      draft = await checkRuleInput(sql, input.rule);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      for (const [k, v] of Object.entries(err.fields ?? {})) fields[`rule.${k}`] = v;
    }
  }
  if (Object.keys(fields).length || !topic) throw new Invalid(fields);

  const saved = (await sql.query<RoutingRule>(`${SELECT} ${ORDER}`)).rows;
  const facts = prepareFacts({ ...input, topicId: topic.id });
  const current = evaluate(saved, facts, topic);
  if (!draft || !input.rule) return { decision: current.decision, trace: current.trace, draft: null };

  // Put the draft where it would stand once saved, then number the list 1..n as saving would.
  const draftId = input.rule.id && saved.some((r) => r.id === input.rule!.id) ? input.rule.id : 'draft';
  const others = saved.filter((r) => r.id !== draftId);
  const existingIndex = saved.findIndex((r) => r.id === draftId);
  const index =
    input.rule.position !== undefined
      ? Math.min(Math.max(input.rule.position - 1, 0), others.length)
      : existingIndex >= 0
        ? existingIndex
        : others.length;
  const draftRule: EvaluatedRule = { ...draft, id: draftId, position: 0, draft: true };
  const list: EvaluatedRule[] = [...others.slice(0, index), draftRule, ...others.slice(index)].map((r, i) => ({ ...r, position: i + 1 }));
  const withDraft = evaluate(list, facts, topic);
  const check = checkRule(draft, facts);
  const changesUnit = withDraft.decision.unitId !== current.decision.unitId;
  return {
    decision: current.decision,
    trace: current.trace,
    draft: {
      matches: check.matched,
      failedConditions: check.failed,
      decision: withDraft.decision,
      changesUnit,
      summary: draftSummary(check.failed, draftRule, withDraft, current, list),
      trace: withDraft.trace,
    },
  };
}

function draftSummary(failed: ConditionKind[], draft: EvaluatedRule, withDraft: Evaluation, current: Evaluation, list: EvaluatedRule[]): string {
  if (failed.length) return `La règle ne s’appliquerait pas : la demande ne remplit pas la condition ${failed.map((k) => `« ${CONDITION_LABELS[k]} »`).join(', ')}.`;
  const placed = list.find((r) => r.draft)!;
  const unit = `« ${withDraft.decision.unitCode} »`;
  if (!draft.active) return 'La règle correspondrait, mais elle est désactivée : elle ne changerait rien.';
  if (!draft.targetUnitActive) return 'La règle correspondrait, mais son service destinataire est désactivé.';
  if (withDraft.decision.ruleId !== placed.id) {
    const winner = withDraft.trace.find((t) => t.outcome === 'applied');
    return `La règle correspondrait, mais la règle « ${winner?.name} » (n° ${winner?.position}) passe avant elle : la demande irait à ${unit}.`;
  }
  if (withDraft.decision.unitId !== current.decision.unitId) {
    return `Avec cette règle (n° ${placed.position}), la demande irait à ${unit} au lieu de « ${current.decision.unitCode} ».`;
  }
  return `La règle s’appliquerait (n° ${placed.position}), sans changer le service : ${unit}.`;
}
