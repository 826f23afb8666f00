// The matching of routing rules, without the database: how a request's facts are normalised and
// compared with a rule's conditions. decideRoute and the admin preview both use exactly this code.
//
// A rule's conditions are all optional and combined with AND; within one condition, the listed values
// are alternatives (OR). An empty or absent list is no condition at all.

export const CHANNELS = ['phone', 'email', 'mail', 'portal', 'counter', 'api'] as const;
export const SEGMENTS = ['particulier', 'professionnel', 'association', 'collectivite'] as const;

export type ConditionKind = 'topics' | 'channels' | 'segments' | 'postcodes' | 'communes' | 'keywords';

export const CONDITION_LABELS: Record<ConditionKind, string> = {
  topics: 'objet',
  channels: 'canal',
  segments: 'type d’usager',
  postcodes: 'code postal',
  communes: 'commune',
  keywords: 'mots-clés',
};

/** A rule's conditions as stored: ids for topics, raw values as typed by the administrator otherwise. */
export interface RuleConditions {
  topicIds: string[];
  channels: string[];
  segments: string[];
  postcodePrefixes: string[];
  communes: string[];
  keywords: string[];
}

export interface RequestFacts {
  topicId: string;
  channel: string;
  segment?: string | null;
  postcode?: string | null;
  commune?: string | null;
  text?: string | null;
}

export interface RuleCheck {
  matched: boolean;
  /** The conditions the request does not meet (empty when it matches). */
  failed: ConditionKind[];
}

/** Lower case, without accents or ligatures: 'Élagage' → 'elagage', 'Œuvre' → 'oeuvre'. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/** The words of a text, folded: punctuation, hyphens and apostrophes separate words. */
export function words(s: string): string[] {
  return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * A comparable form of a commune name: 'Saint-Jean-de-Braye', 'ST JEAN DE BRAYE' and
 * 'saint jean de braye' are the same commune.
 */
export function communeKey(s: string): string {
  return words(s)
    .map((w) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte' : w))
    .join(' ');
}

/** A postcode without spaces ('45 200' → '45200'). */
export function postcodeKey(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Prepared facts of one request, so that many rules are checked against them cheaply. */
export interface PreparedFacts {
  topicId: string;
  channel: string;
  segment: string | null;
  postcode: string | null;
  commune: string | null;
  /** ' w1 w2 w3 ': the words of subject and description, padded so that phrases match whole words. */
  text: string;
}

export function prepareFacts(f: RequestFacts): PreparedFacts {
  const postcode = f.postcode ? postcodeKey(f.postcode) : '';
  const commune = f.commune ? communeKey(f.commune) : '';
  return {
    topicId: f.topicId,
    channel: f.channel,
    segment: f.segment || null,
    postcode: postcode || null,
    commune: commune || null,
    text: ` ${words(f.text ?? '').join(' ')} `,
  };
}

/** Whether `keyword` (one word or a phrase) appears as whole words in the prepared text. */
export function hasKeyword(preparedText: string, keyword: string): boolean {
  const w = words(keyword);
  return w.length > 0 && preparedText.includes(` ${w.join(' ')} `);
}

export function checkRule(rule: RuleConditions, facts: PreparedFacts): RuleCheck {
  const failed: ConditionKind[] = [];
  if (rule.topicIds.length && !rule.topicIds.includes(facts.topicId)) failed.push('topics');
  if (rule.channels.length && !rule.channels.includes(facts.channel)) failed.push('channels');
  if (rule.segments.length && !(facts.segment && rule.segments.includes(facts.segment))) failed.push('segments');
  if (rule.postcodePrefixes.length && !(facts.postcode && rule.postcodePrefixes.some((p) => facts.postcode!.startsWith(postcodeKey(p))))) {
    failed.push('postcodes');
  }
  if (rule.communes.length && !(facts.commune && rule.communes.some((c) => communeKey(c) === facts.commune))) failed.push('communes');
  if (rule.keywords.length && !rule.keywords.some((k) => hasKeyword(facts.text, k))) failed.push('keywords');
  return { matched: failed.length === 0, failed };
}

export function hasAnyCondition(rule: RuleConditions): boolean {
  return (
    rule.topicIds.length + rule.channels.length + rule.segments.length + rule.postcodePrefixes.length + rule.communes.length + rule.keywords.length > 0
  );
}
