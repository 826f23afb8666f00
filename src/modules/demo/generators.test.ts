// The demo generators without a database: identifiers, business-day arithmetic, reproducibility.
import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';
import { luhnKey, luhnValid, makeLandline, makeMobile, makeRna, makeSiret } from './identifiers.ts';
import { BusinessCalendar, parisAt, parisDay } from './calendar-index.ts';
import { addBusinessDays, shiftDay, toParisDay } from '../../platform/calendar/calendar.ts';
import { generateContacts } from './demo-contacts.ts';
import { CaseGenerator, matchRule } from './demo-cases.ts';
import { DEMO_AGENTS, DEMO_UNITS, demoEmail } from './org.data.ts';
import { DEMO_ROUTING_RULES, DEMO_TOPICS, DEMO_REPLY_TEMPLATES, renderTemplate } from './taxonomy.data.ts';
import { TOPIC_PROFILES } from './case-texts.data.ts';

describe('identifiers', () => {
  it('computes Luhn keys that INSEE accepts', () => {
    expect(luhnValid('732829320')).toBe(true); // a real SIREN
    expect(luhnValid('73282932000074')).toBe(true); // and one of its SIRETs
    expect(luhnValid('732829321')).toBe(false);
    expect(luhnKey('73282932')).toBe('0');
  });

  it('generates valid SIRETs (SIREN + NIC), RNA numbers and E.164 French phone numbers', () => {
    const rng = new Prng(1);
    for (let i = 0; i < 500; i++) {
      const { siren, siret } = makeSiret(rng, i % 2 ? '2145' : '');
      expect(siren).toMatch(/^\d{9}$/);
      expect(siret.startsWith(siren)).toBe(true);
      expect(luhnValid(siren) && luhnValid(siret)).toBe(true);
      expect(makeRna(rng)).toMatch(/^W451\d{6}$/);
      expect(makeMobile(rng)).toMatch(/^\+33[67]\d{8}$/);
      expect(makeLandline(rng)).toMatch(/^\+33238\d{6}$/);
    }
  });
});

describe('business calendar index', () => {
  const cal = new BusinessCalendar('2025-01-01', '2027-12-31');

  it('adds business days exactly like the platform calendar (weekends, public holidays)', () => {
    for (let day = '2025-01-01'; day < '2026-12-31'; day = shiftDay(day, 3)) {
      for (const n of [0, 1, 2, 5, 10, 22, 40]) expect(cal.addBusinessDays(day, n)).toBe(addBusinessDays(day, n));
    }
  });

  it('places instants in Paris time across daylight-saving changes', () => {
    for (const day of ['2026-01-15', '2026-03-29', '2026-07-01', '2026-10-25', '2026-12-31']) {
      const at = parisAt(day, 10 * 60 + 30);
      expect(toParisDay(new Date(at))).toBe(day);
      expect(parisDay(at)).toBe(day);
      expect(new Date(at).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })).toBe('10:30');
    }
  });

  it('moves work into office hours on business days, always forward', () => {
    const rng = new Prng(3);
    const saturday = parisAt('2026-05-16', 11 * 60);
    const next = cal.work(saturday, () => rng.next());
    expect(parisDay(next)).toBe('2026-05-18'); // Monday
    const later = cal.after(parisAt('2026-05-13', 17 * 60), 1); // Wednesday 17:00 + 1 business day, Ascension on Thursday
    expect(parisDay(later)).toBe('2026-05-15');
    expect(later).toBeGreaterThan(parisAt('2026-05-13', 17 * 60));
  });
});

describe('demo generators', () => {
  const now = new Date('2026-11-27T16:00:00Z');

  function generate(seed: number) {
    const rng = new Prng(seed);
    const units = new Map(DEMO_UNITS.map((u) => [u.code, { id: rng.uuid(), code: u.code, name: u.name }]));
    const agents = DEMO_AGENTS.map((a) => ({ id: rng.uuid(), name: `${a.first} ${a.last}`, roles: a.roles, unitCodes: a.units, extension: a.extension ?? null, signature: demoEmail(a) }));
    const topics = DEMO_TOPICS.map((t) => ({ ...t, id: rng.uuid() }));
    const rules = DEMO_ROUTING_RULES.map((r) => ({ ...r, id: rng.uuid() }));
    const contacts = generateContacts(rng, { persons: 300, now });
    const gen = new CaseGenerator({ rng, now, topics, units, agents, rules, contacts });
    const cases = Array.from({ length: 400 }, () => gen.generate());
    return { contacts, cases };
  }

  it('is reproducible: the same seed gives the same département', () => {
    const digest = (g: ReturnType<typeof generate>) =>
      JSON.stringify([g.contacts.all.map((c) => [c.id, c.displayName, c.emails, c.phones]), g.cases.map((c) => [c.id, c.subject, c.status, c.createdAt, c.interactions.length])]);
    expect(digest(generate(7))).toBe(digest(generate(7)));
    expect(digest(generate(7))).not.toBe(digest(generate(8)));
  });

  it('writes coherent timelines: 2 to 5 interactions, nothing after now, milestones in order', () => {
    const { cases } = generate(11);
    for (const c of cases) {
      expect(c.interactions.length).toBeGreaterThanOrEqual(2);
      expect(c.interactions.length).toBeLessThanOrEqual(5);
      for (const i of c.interactions) expect(i.at.getTime()).toBeLessThan(now.getTime());
      const times = [c.createdAt, c.qualifiedAt, c.answeredAt, c.closedAt].filter(Boolean).map((d) => d!.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(c.status === 'closed').toBe(c.closedAt !== null);
      if (c.status === 'new') expect(c.topic).toBeNull();
    }
  });

  it('has texts for every topic and templates that only use the known placeholders', () => {
    for (const t of DEMO_TOPICS) expect(TOPIC_PROFILES[t.code]?.requests.length, t.code).toBeGreaterThan(0);
    const known = ['reference', 'contact.name', 'unit.name', 'dueDate', 'agent.name', 'agent.signature', 'today'];
    for (const t of DEMO_REPLY_TEMPLATES) {
      const used = [...`${t.subject} ${t.body}`.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]);
      for (const u of used) expect(known).toContain(u);
      expect(renderTemplate(t.body, Object.fromEntries(known.map((k) => [k, 'X'])))).not.toMatch(/\{\{/);
    }
  });

  it('routes élagage requests by keyword, accents or not', () => {
    const rule = DEMO_ROUTING_RULES.find((r) => r.keywords?.includes('élagage'))!;
    const facts = { topic: 'signalement-voirie', channel: 'portal', segment: 'particulier', postcode: '45150', city: 'Jargeau' };
    expect(matchRule(rule, { ...facts, text: 'Demande d\'elagage des platanes' })).toBe(true);
    expect(matchRule(rule, { ...facts, text: 'Nid-de-poule sur la RD 951' })).toBe(false);
  });
});
