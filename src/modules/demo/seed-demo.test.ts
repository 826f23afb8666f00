// The demo département as `npm start` installs it: taxonomy, contacts, a year of cases, on a real
// database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { createRuntime, type Runtime } from '../../platform/runtime.ts';
import { isDemoSeeded, seedDemo } from './seed-demo.ts';
import { luhnValid } from './identifiers.ts';

const CODES = [
  'subvention-culture', 'subvention-sport', 'transport-scolaire', 'apa', 'pch', 'rsa', 'protection-enfance',
  'assistant-familial', 'pmi', 'signalement-voirie', 'travaux-route', 'demande-document', 'information-generale',
];

describe('demo département', () => {
  let rt: Runtime;
  let dir: string;
  const q = async <T = any>(text: string, params?: unknown[]) => (await rt.db.query(text, params)).rows as T[];
  const one = async (text: string, params?: unknown[]) => Object.values((await q(text, params))[0] as object)[0] as any;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-demo-'));
    const db = await createTestDatabase();
    rt = await createRuntime(loadConfig({ GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent' }), { db, runMigrations: false, log: pino({ level: 'silent' }) });
    await seedDemo(rt);
  });

  afterAll(async () => {
    await rt?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks the database as seeded and records one audit event with the counts', async () => {
    expect(await isDemoSeeded(rt.db)).toBe(true);
    const events = await q(`SELECT after FROM audit_events WHERE action = 'demo.seed'`);
    expect(events).toHaveLength(1);
    expect(events[0].after.cases).toBeGreaterThanOrEqual(9000);
  });

  it('has the taxonomy other modules rely on, with their units and flags', async () => {
    const topics = await q<{ code: string; unit: string; sensitive: boolean }>(
      `SELECT t.code, u.code AS unit, t.sensitive FROM topics t JOIN units u ON u.id = t.default_unit_id`,
    );
    const byCode = new Map(topics.map((t) => [t.code, t]));
    for (const code of CODES) expect(byCode.has(code), code).toBe(true);
    expect(topics.length).toBeGreaterThanOrEqual(35);
    expect(await one('SELECT count(*) FROM domains')).toBeGreaterThanOrEqual(7);
    expect(byCode.get('subvention-culture')!.unit).toBe('vie-associative');
    expect(byCode.get('transport-scolaire')!.unit).toBe('transports-scolaires');
    expect(byCode.get('protection-enfance')).toMatchObject({ unit: 'ase', sensitive: true });
    expect(byCode.get('apa')).toMatchObject({ unit: 'autonomie', sensitive: true });
    expect(byCode.get('rsa')).toMatchObject({ unit: 'insertion', sensitive: true });
    expect(byCode.get('signalement-voirie')!.unit).toBe('exploitation-routes');
    expect(byCode.get('information-generale')!.unit).toBe('centre-contact');
    const sportUnits = await q(`SELECT u.code FROM topic_units tu JOIN topics t ON t.id = tu.topic_id JOIN units u ON u.id = tu.unit_id WHERE t.code = 'subvention-sport'`);
    expect(sportUnits.map((r) => r.code)).toContain('sports');
    expect(await one('SELECT count(*) FROM routing_rules')).toBeGreaterThanOrEqual(3);
    expect(await one(`SELECT count(*) FROM routing_rules WHERE 'élagage' = ANY (keywords)`)).toBe(1);
    expect(await one('SELECT count(*) FROM reply_templates')).toBeGreaterThanOrEqual(5);
  });

  it('has ~2,000 contacts with valid identifiers, E.164 phones and real Loiret postcodes', async () => {
    expect(await one('SELECT count(*) FROM contacts')).toBeGreaterThanOrEqual(1900);
    const sirets = await q<{ siret: string; siren: string | null }>('SELECT siret, siren FROM contacts WHERE siret IS NOT NULL');
    expect(sirets.length).toBeGreaterThan(200);
    for (const s of sirets) {
      expect(luhnValid(s.siret), s.siret).toBe(true);
      if (s.siren) expect(s.siret.startsWith(s.siren)).toBe(true);
    }
    const rnas = await q<{ rna: string }>('SELECT rna FROM contacts WHERE rna IS NOT NULL');
    expect(rnas.length).toBeGreaterThanOrEqual(100);
    for (const r of rnas) expect(r.rna).toMatch(/^W\d{9}$/);
    const phones = await q<{ e164: string }>('SELECT e164 FROM contact_phones');
    for (const p of phones) expect(p.e164).toMatch(/^\+33\d{9}$/);
    expect(await one(`SELECT count(*) FROM contact_addresses WHERE postcode !~ '^45\\d{3}$'`)).toBe(0);
    expect(await one(`SELECT count(*) FROM contact_emails WHERE email LIKE '%@orange.fr'`)).toBeGreaterThan(50);
    // communes with their mayor, associations with their president
    expect(await one(`SELECT count(*) FROM contact_links l JOIN contacts o ON o.id = l.organisation_id WHERE l.role = 'maire' AND o.org_type = 'commune'`)).toBeGreaterThanOrEqual(50);
    expect(await one(`SELECT count(*) FROM contact_links l JOIN contacts o ON o.id = l.organisation_id WHERE l.role = 'president' AND o.org_type = 'association'`)).toBeGreaterThanOrEqual(100);
    // duplicates on purpose: the same phone or the same normalised name on two persons
    expect(await one(`SELECT count(*) FROM (SELECT e164 FROM contact_phones GROUP BY e164 HAVING count(DISTINCT contact_id) > 1) x`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM (SELECT name_key FROM contacts WHERE kind = 'person' GROUP BY name_key HAVING count(*) > 1) x`)).toBeGreaterThan(0);
  });

  it('has a year of cases on every channel and in every status, older ones closed, some overdue', async () => {
    expect(await one('SELECT count(*) FROM cases')).toBeGreaterThanOrEqual(9000);
    expect(await one(`SELECT count(DISTINCT date_trunc('month', created_at)) FROM cases`)).toBeGreaterThanOrEqual(11);
    const channels = (await q('SELECT DISTINCT channel FROM cases')).map((r) => r.channel).sort();
    expect(channels).toEqual(['api', 'counter', 'email', 'mail', 'phone', 'portal']);
    const statuses = (await q('SELECT DISTINCT status FROM cases')).map((r) => r.status).sort();
    expect(statuses).toEqual(['answered', 'assigned', 'closed', 'in_progress', 'new', 'qualified', 'waiting_on_contact']);
    const old = await q(`SELECT avg((status = 'closed')::int) AS closed FROM cases WHERE created_at < now() - interval '90 days'`);
    expect(Number(old[0].closed)).toBeGreaterThan(0.9);
    expect(await one(`SELECT count(*) FROM cases WHERE status <> 'closed' AND due_date < current_date`)).toBeGreaterThan(0);
    const l1 = Number(await one('SELECT avg(resolved_level1::int) FROM cases'));
    expect(l1).toBeGreaterThan(0.2);
    expect(l1).toBeLessThan(0.4);
    expect(await one(`SELECT count(*) FROM cases WHERE created_at > now()`)).toBe(0);
  });

  it('keeps cases coherent: sensitivity from the topic, assignees in the unit, timestamps in order', async () => {
    expect(await one(`SELECT count(*) FROM cases c JOIN topics t ON t.id = c.topic_id WHERE c.sensitive <> t.sensitive`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE sensitive AND topic_id IS NULL`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE sensitive`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM cases WHERE status = 'new' AND (topic_id IS NOT NULL OR unit_id IS NOT NULL)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE status IN ('assigned', 'in_progress', 'waiting_on_contact') AND assignee_id IS NULL`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases c WHERE c.assignee_id IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM agent_units au WHERE au.agent_id = c.assignee_id AND au.unit_id = c.unit_id)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE qualified_at < created_at OR answered_at < qualified_at OR closed_at < answered_at`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE (status = 'closed') <> (closed_at IS NOT NULL)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM cases WHERE resolved_level1 AND status <> 'closed'`)).toBe(0);
  });

  it('has 2 to 5 interactions per case on its channel, with the case contact, and a timeline', async () => {
    const per = await q(`SELECT min(n) AS min, max(n) AS max FROM (SELECT count(*) AS n FROM interactions GROUP BY case_id) x`);
    expect(per[0]).toEqual({ min: 2, max: 5 });
    expect(await one(`SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.case_id = c.id)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM interactions i JOIN cases c ON c.id = i.case_id WHERE i.contact_id IS DISTINCT FROM c.contact_id`)).toBe(0);
    const first = await q<{ channel: string; kind: string }>(
      `SELECT DISTINCT ON (c.id) c.channel, i.kind FROM cases c JOIN interactions i ON i.case_id = c.id ORDER BY c.id, i.occurred_at, i.direction`,
    );
    const expected: Record<string, string> = { phone: 'call', mail: 'letter', email: 'email', portal: 'portal_message', api: 'portal_message', counter: 'visit' };
    for (const f of first) expect(f.kind).toBe(expected[f.channel]);
    const calls = await q(`SELECT metadata FROM interactions WHERE kind = 'call' AND direction = 'inbound' LIMIT 50`);
    for (const c of calls) expect(c.metadata.durationSeconds).toBeGreaterThan(0);
    const letters = await q(`SELECT metadata->>'chrono' AS chrono FROM interactions WHERE kind = 'letter'`);
    for (const l of letters) expect(l.chrono).toMatch(/^\d{4}-[ES]-\d{6}$/);
    expect(new Set(letters.map((l) => l.chrono)).size).toBe(letters.length);
    expect(await one(`SELECT count(*) FROM interactions WHERE occurred_at > now()`)).toBe(0);
    expect(await one(`SELECT count(*) FROM interactions WHERE body LIKE '%{{%' OR subject LIKE '%{{%'`)).toBe(0);
    const kinds = (await q('SELECT DISTINCT kind FROM case_events')).map((r) => r.kind);
    for (const k of ['created', 'qualified', 'routed', 'assigned', 'status']) expect(kinds).toContain(k);
  });

  it('numbers references from the yearly sequence: unique, well-formed, and the application continues after them', async () => {
    const refs = await q<{ reference: string }>('SELECT reference FROM cases');
    for (const r of refs) expect(r.reference).toMatch(/^\d{4}-\d{6}$/);
    expect(new Set(refs.map((r) => r.reference)).size).toBe(refs.length);
    const year = new Date().getFullYear();
    const next = await one(`SELECT format_yearly_number($1, next_yearly_number('case', $1))`, [year]);
    expect(await one('SELECT count(*) FROM cases WHERE reference = $1', [next])).toBe(0);
    await rt.db.query(
      `INSERT INTO cases (reference, channel, subject, created_by_type) VALUES ($1, 'phone', 'Demande créée après la démonstration', 'agent')`,
      [next],
    );
  });

  it('has the élagage request, routed to the roads unit by the keyword rule, findable by full-text search', async () => {
    const rows = await q(
      `SELECT c.subject, u.code AS unit, t.code AS topic FROM cases c JOIN units u ON u.id = c.unit_id JOIN topics t ON t.id = c.topic_id
        WHERE c.subject = 'Demande d''élagage des arbres le long de la RD 951 à Jargeau'`,
    );
    expect(rows).toEqual([{ subject: "Demande d'élagage des arbres le long de la RD 951 à Jargeau", unit: 'exploitation-routes', topic: 'signalement-voirie' }]);
    expect(await one(`SELECT count(*) FROM cases WHERE search @@ plainto_tsquery('french_unaccent', 'elagage')`)).toBeGreaterThan(1);
    const routed = await q(`SELECT e.reason FROM case_events e JOIN cases c ON c.id = e.case_id
                             WHERE c.subject = 'Demande d''élagage des arbres le long de la RD 951 à Jargeau' AND e.kind = 'routed'`);
    expect(routed[0].reason).toContain('Élagage');
  });
});
