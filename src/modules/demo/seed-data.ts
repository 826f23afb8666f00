// Writes the demo département's data in one transaction: taxonomy, routing rules, reply templates,
// ~2,000 contacts and a year of ~10,000 cases with their interactions and timelines. Generated in
// memory from a seeded PRNG (same seed → same data), then inserted in batches of ~1,000 rows.
import type { Tx } from '../../platform/db/database.ts';
import { Prng } from './prng.ts';
import { cols, insertRows } from './bulk.ts';
import { DEMO_DOMAINS, DEMO_REPLY_TEMPLATES, DEMO_ROUTING_RULES, DEMO_TOPICS } from './taxonomy.data.ts';
import { generateContacts, type DemoContact } from './demo-contacts.ts';
import { CaseGenerator, type DemoCase, type SeedAgent, type SeedRule, type SeedTopic, type SeedUnit } from './demo-cases.ts';
import { parisDay } from './calendar-index.ts';

export interface DemoDataOptions {
  /** The end of the demo year (default: the current time). */
  now?: Date;
  /** Inhabitants (persons) to create; organisations and mayors come on top (default 1,760). */
  persons?: number;
  /** Cases over the last 12 months (default 10,000). */
  cases?: number;
  /** PRNG seed (default 45). */
  seed?: number;
  log?: (msg: string) => void;
}

export interface DemoCounts {
  domains: number;
  topics: number;
  routingRules: number;
  replyTemplates: number;
  contacts: number;
  intentionalDuplicates: number;
  contactLinks: number;
  cases: number;
  interactions: number;
  caseEvents: number;
  resolvedLevel1: number;
}

const MIN = 60_000;

export function formatYearly(year: number, n: number): string {
  return `${year}-${n < 1_000_000 ? String(n).padStart(6, '0') : String(n)}`;
}

/** Numbers taken from the yearly sequence (`next_yearly_number`) so the application continues after them. */
async function takeNumbers(tx: Tx, prefix: string, year: number, count: number): Promise<number[]> {
  const { rows } = await tx.query<{ n: number }>(`SELECT next_yearly_number($1, $2::int) AS n FROM generate_series(1, $3::int)`, [prefix, year, count]);
  return rows.map((r) => Number(r.n)).sort((a, b) => a - b);
}

function byYear<T>(items: T[], at: (t: T) => Date): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const it of items) {
    const y = Number(parisDay(at(it).getTime()).slice(0, 4));
    if (!map.has(y)) map.set(y, []);
    map.get(y)!.push(it);
  }
  for (const list of map.values()) list.sort((a, b) => at(a).getTime() - at(b).getTime());
  return map;
}

export async function seedDemoData(tx: Tx, opts: DemoDataOptions = {}): Promise<DemoCounts> {
  const log = opts.log ?? (() => {});
  const now = opts.now ?? new Date();
  const rng = new Prng(opts.seed ?? 45);

  // -- the organisation already seeded ---------------------------------------------------------------
  const { rows: unitRows } = await tx.query<SeedUnit>('SELECT id, code, name FROM units ORDER BY code');
  const units = new Map(unitRows.map((u) => [u.code, u]));
  const { rows: agentRows } = await tx.query<{ id: string; name: string; roles: string[]; extension: string | null; signature: string | null; unit_codes: string[] }>(
    `SELECT a.id, a.display_name AS name, a.roles, a.extension, a.signature,
            coalesce(array_agg(u.code ORDER BY u.code) FILTER (WHERE u.code IS NOT NULL), '{}') AS unit_codes
       FROM agents a LEFT JOIN agent_units au ON au.agent_id = a.id LEFT JOIN units u ON u.id = au.unit_id
      WHERE a.active GROUP BY a.id ORDER BY lower(a.email)`,
  );
  const agents: SeedAgent[] = agentRows.map((a) => {
    const unit = a.unit_codes[0] ? units.get(a.unit_codes[0]) : undefined;
    return {
      id: a.id,
      name: a.name,
      roles: a.roles,
      unitCodes: a.unit_codes,
      extension: a.extension,
      signature: a.signature ?? `${a.name}\n${unit?.name ?? 'Direction générale des services'}\nConseil départemental`,
    };
  });
  // Signatures for reply templates ({{agent.signature}}) where the agent has none yet.
  await tx.query(
    `UPDATE agents a SET signature = v.signature FROM unnest($1::uuid[], $2::text[]) AS v(id, signature)
      WHERE a.id = v.id AND a.signature IS NULL`,
    [agents.map((a) => a.id), agents.map((a) => a.signature)],
  );
  const missing = [...new Set(DEMO_TOPICS.flatMap((t) => [t.unit, ...(t.extraUnits ?? [])]).concat(DEMO_ROUTING_RULES.map((r) => r.unit)))].filter((u) => !units.has(u));
  if (missing.length) throw new Error(`Services manquants pour le référentiel de démonstration : ${missing.join(', ')}`);

  // -- taxonomy ---------------------------------------------------------------------------------------
  await insertRows(tx, 'domains', cols('id:uuid', 'code:text', 'name:text', 'position:int'),
    DEMO_DOMAINS.map((d, i) => [rng.uuid(), d.code, d.name, (i + 1) * 10]), { onConflict: '(code) DO NOTHING' });
  const { rows: domainRows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM domains');
  const domainId = new Map(domainRows.map((d) => [d.code, d.id]));
  await insertRows(
    tx,
    'topics',
    cols('id:uuid', 'code:text', 'domain_id:uuid', 'name:text', 'description:text', 'default_unit_id:uuid', 'deadline_days:int', 'sensitive:bool', 'retention_years:int', 'retention_action:text', 'acknowledge:bool', 'on_reply_closed:text', 'created_at:timestamptz'),
    DEMO_TOPICS.map((t) => [rng.uuid(), t.code, domainId.get(t.domain), t.name, t.description ?? null, units.get(t.unit)!.id, t.deadlineDays, t.sensitive, t.retentionYears, t.retentionAction, t.acknowledge, t.onReplyClosed, new Date(now.getTime() - 400 * 86_400_000)]),
    { onConflict: '(code) DO NOTHING' },
  );
  const { rows: topicRows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM topics');
  const topicId = new Map(topicRows.map((t) => [t.code, t.id]));
  const topics: SeedTopic[] = DEMO_TOPICS.map((t) => ({ ...t, id: topicId.get(t.code)! }));
  await insertRows(tx, 'topic_units', cols('topic_id:uuid', 'unit_id:uuid'),
    topics.flatMap((t) => (t.extraUnits ?? []).map((u) => [t.id, units.get(u)!.id])), { onConflict: 'DO NOTHING' });
  log(`${DEMO_TOPICS.length} objets de demande dans ${DEMO_DOMAINS.length} domaines`);

  // -- routing rules and reply templates ------------------------------------------------------------------
  const rules: SeedRule[] = DEMO_ROUTING_RULES.map((r) => ({ ...r, id: rng.uuid() }));
  for (const r of rules) {
    await tx.query(
      `INSERT INTO routing_rules (id, position, name, topic_ids, channels, segments, postcode_prefixes, communes, keywords, target_unit_id)
       VALUES ($1, $2, $3, $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10)`,
      [r.id, r.position, r.name, r.topics?.map((c) => topicId.get(c)) ?? null, r.channels ?? null, r.segments ?? null, r.postcodePrefixes ?? null, r.communes ?? null, r.keywords ?? null, units.get(r.unit)!.id],
    );
  }
  await insertRows(tx, 'reply_templates', cols('id:uuid', 'code:text', 'name:text', 'channel:text', 'topic_id:uuid', 'subject:text', 'body:text'),
    DEMO_REPLY_TEMPLATES.map((t) => [rng.uuid(), t.code, t.name, t.channel, t.topic ? topicId.get(t.topic) : null, t.subject, t.body]), { onConflict: '(code) DO NOTHING' });
  log(`${rules.length} règles de routage, ${DEMO_REPLY_TEMPLATES.length} modèles de réponse`);

  // -- contacts and cases, generated in memory -------------------------------------------------------------
  const contacts = generateContacts(rng, { persons: opts.persons ?? 1760, now });
  const gen = new CaseGenerator({ rng, now, topics, units, agents, rules, contacts });
  const total = opts.cases ?? 10_000;
  const cases: DemoCase[] = [
    // showcase: the élagage request that routing rules and search demos look for
    gen.generate({
      channel: 'portal',
      topic: 'signalement-voirie',
      subject: 'Demande d\'élagage des arbres le long de la RD 951 à Jargeau',
      description: 'Les branches des platanes qui bordent la RD 951 entre Jargeau et Saint-Denis-de-l\'Hôtel descendent très bas : les cars scolaires et les camions les accrochent et la visibilité à la sortie du bourg est réduite. Un élagage serait nécessaire avant l\'hiver.',
      daysAgo: 12,
      contactCommune: 'Jargeau',
    }),
  ];
  while (cases.length < total) cases.push(gen.generate());

  // Contacts first seen during the year were created with their first request.
  const firstCase = new Map<string, number>();
  for (const c of cases) {
    if (!c.contact) continue;
    const t = c.createdAt.getTime();
    if (!firstCase.has(c.contact.id) || firstCase.get(c.contact.id)! > t) firstCase.set(c.contact.id, t);
  }
  for (const ct of contacts.all) {
    const first = firstCase.get(ct.id);
    if (first === undefined) continue;
    if (ct.createdAt.getTime() > first || (ct.kind === 'person' && rng.chance(0.3))) ct.createdAt = new Date(first - rng.int(1, 30) * MIN);
  }

  // -- numbering: case references and letter chronos from the yearly sequences ------------------------------
  for (const [year, list] of byYear(cases, (c) => c.createdAt)) {
    const numbers = await takeNumbers(tx, 'case', year, list.length);
    list.forEach((c, i) => (c.reference = formatYearly(year, numbers[i])));
  }
  for (const dir of ['E', 'S'] as const) {
    const letters = cases.flatMap((c) => c.interactions.filter((i) => i.chrono === dir));
    for (const [year, list] of byYear(letters, (i) => i.at)) {
      // the mail register's sequences (channels/mail/chrono.ts): registrations continue after these
      const numbers = await takeNumbers(tx, dir === 'E' ? 'letter_in' : 'letter_out', year, list.length);
      list.forEach((l, i) => (l.metadata = { chrono: `${year}-${dir}-${String(numbers[i]).padStart(6, '0')}`, ...l.metadata }));
    }
  }
  for (const c of cases) {
    for (const i of c.interactions) {
      if (i.subject?.includes('{{reference}}')) i.subject = i.subject.replaceAll('{{reference}}', c.reference!);
      if (i.body?.includes('{{reference}}')) i.body = i.body.replaceAll('{{reference}}', c.reference!);
    }
  }

  // -- insert ------------------------------------------------------------------------------------------------
  const all = contacts.all;
  await insertRows(
    tx,
    'contacts',
    cols('id:uuid', 'kind:text', 'segment:text', 'org_type:text', 'civility:text', 'first_name:text', 'last_name:text', 'org_name:text', 'display_name:text', 'birth_date:date', 'siret:text', 'siren:text', 'rna:text', 'insee_code:text', 'notes:text', 'to_check:bool', 'created_at:timestamptz', 'updated_at:timestamptz'),
    all.map((c) => [c.id, c.kind, c.segment, c.orgType, c.civility, c.firstName, c.lastName, c.orgName, c.displayName, c.birthDate, c.siret, c.siren, c.rna, c.insee, c.notes, c.toCheck, c.createdAt, c.createdAt]),
  );
  await insertRows(tx, 'contact_emails', cols('id:uuid', 'contact_id:uuid', 'email:text', 'is_primary:bool', 'created_at:timestamptz'),
    all.flatMap((c) => c.emails.map((e, i) => [rng.uuid(), c.id, e, i === 0, c.createdAt])));
  await insertRows(tx, 'contact_phones', cols('id:uuid', 'contact_id:uuid', 'e164:text', 'label:text', 'is_primary:bool', 'created_at:timestamptz'),
    all.flatMap((c) => c.phones.map((p, i) => [rng.uuid(), c.id, p.e164, p.label, i === 0, c.createdAt])));
  await insertRows(tx, 'contact_addresses', cols('id:uuid', 'contact_id:uuid', 'line1:text', 'line2:text', 'postcode:text', 'city:text', 'label:text', 'is_primary:bool', 'created_at:timestamptz'),
    all.filter((c) => c.address).map((c) => [rng.uuid(), c.id, c.address!.line1, c.address!.line2, c.address!.postcode, c.address!.city, c.kind === 'person' ? 'domicile' : 'siège', true, c.createdAt]));
  const linkTime = (id: string) => all.find((c) => c.id === id)!.createdAt;
  await insertRows(tx, 'contact_links', cols('person_id:uuid', 'organisation_id:uuid', 'role:text', 'created_at:timestamptz'),
    contacts.links.map((l) => [l.personId, l.organisationId, l.role, linkTime(l.organisationId)]));
  log(`${all.length} usagers (dont ${all.filter((c) => c.duplicateOf).length} doublons volontaires), ${contacts.links.length} liens`);

  await insertRows(
    tx,
    'cases',
    cols('id:uuid', 'reference:text', 'contact_id:uuid', 'topic_id:uuid', 'channel:text', 'subject:text', 'description:text', 'status:text', 'resolved_level1:bool', 'unit_id:uuid', 'assignee_id:uuid', 'priority:text', 'due_date:date', 'tags:text[]', 'sensitive:bool', 'created_by_type:text', 'created_by_id:text', 'created_at:timestamptz', 'updated_at:timestamptz', 'qualified_at:timestamptz', 'answered_at:timestamptz', 'closed_at:timestamptz', 'reopened_count:int'),
    cases.map((c) => [c.id, c.reference, c.contact?.id ?? null, c.topic?.id ?? null, c.channel, c.subject, c.description, c.status, c.resolvedLevel1, c.unitId, c.assigneeId, c.priority, c.dueDate, c.tags, c.sensitive, c.createdBy.type, c.createdBy.id, c.createdAt, c.updatedAt, c.qualifiedAt, c.answeredAt, c.closedAt, c.reopenedCount]),
  );
  const interactions = await insertRows(
    tx,
    'interactions',
    cols('id:uuid', 'case_id:uuid', 'contact_id:uuid', 'kind:text', 'direction:text', 'occurred_at:timestamptz', 'author_type:text', 'author_id:text', 'author_label:text', 'subject:text', 'body:text', 'metadata:jsonb', 'created_at:timestamptz'),
    cases.flatMap((c) => c.interactions.map((i) => [i.id, c.id, c.contact?.id ?? null, i.kind, i.direction, i.at, i.author.type, i.author.id, i.author.label, i.subject, i.body, i.metadata, i.at])),
  );
  const caseEvents = await insertRows(
    tx,
    'case_events',
    cols('case_id:uuid', 'kind:text', 'from_value:text', 'to_value:text', 'reason:text', 'actor_type:text', 'actor_id:text', 'actor_label:text', 'data:jsonb', 'occurred_at:timestamptz'),
    cases.flatMap((c) => c.events.map((e) => [c.id, e.kind, e.from, e.to, e.reason, e.actor.type, e.actor.id, e.actor.label, e.data, e.at])),
  );
  const resolvedLevel1 = cases.filter((c) => c.resolvedLevel1).length;
  log(`${cases.length} demandes sur 12 mois (${Math.round((100 * resolvedLevel1) / cases.length)} % résolues au niveau 1), ${interactions} échanges, ${caseEvents} événements`);

  return {
    domains: DEMO_DOMAINS.length,
    topics: DEMO_TOPICS.length,
    routingRules: rules.length,
    replyTemplates: DEMO_REPLY_TEMPLATES.length,
    contacts: all.length,
    intentionalDuplicates: all.filter((c: DemoContact) => c.duplicateOf).length,
    contactLinks: contacts.links.length,
    cases: cases.length,
    interactions,
    caseEvents,
    resolvedLevel1,
  };
}
