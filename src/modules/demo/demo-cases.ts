// A year of requests (demandes) for the demo département: each case with its contact, topic, routing,
// assignee, coherent timestamps (received → qualified → assigned → in progress → answered → closed,
// as far as "now" allows), its interactions on the channel it came in by, and its timeline.
import type { Prng } from './prng.ts';
import type { DemoContact, DemoContacts } from './demo-contacts.ts';
import type { DemoRoutingRule, DemoTopic } from './taxonomy.data.ts';
import { DEMO_REPLY_TEMPLATES, renderTemplate } from './taxonomy.data.ts';
import { COLLEGES, LOIRET_COMMUNES, STREET_NAMES, atCommune, ofCommune } from './places.data.ts';
import { FIRST_NAMES_F, FIRST_NAMES_M } from './people.data.ts';
import { FOLLOW_UPS, GENERIC_NOTES, MONTHS_FR, PIECES_RECEIVED, TOPIC_PROFILES, type Channel, type Requester, type TopicProfile } from './case-texts.data.ts';
import { shiftDay } from '../../platform/calendar/calendar.ts';
import { BusinessCalendar, parisAt, parisDay } from './calendar-index.ts';
import { slug } from './demo-contacts.ts';

export type Status = 'new' | 'qualified' | 'assigned' | 'in_progress' | 'waiting_on_contact' | 'answered' | 'closed';

export interface SeedUnit {
  id: string;
  code: string;
  name: string;
}

export interface SeedAgent {
  id: string;
  name: string;
  roles: string[];
  unitCodes: string[];
  extension: string | null;
  signature: string;
}

export interface SeedTopic extends DemoTopic {
  id: string;
}

export interface SeedRule extends DemoRoutingRule {
  id: string;
}

export interface Author {
  type: 'agent' | 'system' | 'citizen';
  id: string | null;
  label: string;
}

export interface DemoInteraction {
  id: string;
  kind: 'call' | 'letter' | 'email' | 'portal_message' | 'visit' | 'note';
  direction: 'inbound' | 'outbound' | 'internal';
  at: Date;
  author: Author;
  subject: string | null;
  body: string | null;
  metadata: Record<string, unknown>;
  /** Letters get their chrono number once all letters of the year are known. */
  chrono?: 'E' | 'S';
}

export interface DemoEvent {
  kind: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  actor: Author;
  data: unknown;
  at: Date;
}

export interface DemoCase {
  id: string;
  reference?: string;
  contact: DemoContact | null;
  topic: SeedTopic | null;
  /** The topic the request is about, even while not yet qualified (status new). */
  intendedTopic: SeedTopic;
  channel: Channel;
  subject: string;
  description: string;
  status: Status;
  resolvedLevel1: boolean;
  unitId: string | null;
  assigneeId: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  dueDate: string | null;
  tags: string[];
  sensitive: boolean;
  createdBy: Author;
  createdAt: Date;
  updatedAt: Date;
  qualifiedAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  reopenedCount: number;
  interactions: DemoInteraction[];
  events: DemoEvent[];
}

export interface CaseGenContext {
  rng: Prng;
  now: Date;
  topics: SeedTopic[];
  units: Map<string, SeedUnit>;
  agents: SeedAgent[];
  rules: SeedRule[];
  contacts: DemoContacts;
}

const MIN = 60_000;
const DAY = 86_400_000;

export const CHANNEL_WEIGHTS: Array<readonly [Channel, number]> = [
  ['phone', 35],
  ['mail', 29.5],
  ['email', 20],
  ['portal', 10],
  ['counter', 5],
  ['api', 0.5],
];

/** Volume by month of the year (the summer lull, the back-to-school peak), averaging ≈ 1. */
export const MONTH_VOLUME = [1.05, 1.05, 1.1, 1, 1, 1.05, 0.9, 0.7, 1.25, 1.05, 1, 0.85];

/** The front-office unit receiving each channel (and answering at level 1). */
export const FRONT_UNIT: Record<Channel, string> = {
  phone: 'centre-contact',
  email: 'centre-contact',
  portal: 'centre-contact',
  api: 'centre-contact',
  counter: 'accueil',
  mail: 'bureau-courrier',
};

// The template a unit's final answer starts from, when one fits the answer given.
const REPLY_TEMPLATE_BY_TOPIC: Record<string, (answer: string) => string | undefined> = {
  'subvention-culture': (a) => (a.includes('votée') ? 'subvention-favorable' : undefined),
  'subvention-sport': (a) => (a.includes('pas pu être retenue') ? 'subvention-defavorable' : undefined),
  'transport-scolaire': () => 'transport-scolaire-reponse',
};

/** How much of a topic's level-1 rate applies on each channel (a call is answered on the spot, a letter rarely). */
export const LEVEL1_CHANNEL_FACTOR: Record<Channel, number> = { phone: 1, counter: 1, email: 1, portal: 0.5, mail: 0.04, api: 0 };

const FR_DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const FR_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

function unaccentLower(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function matchRule(rule: DemoRoutingRule, f: { topic: string; channel: string; segment: string | null; postcode: string | null; city: string | null; text: string }): boolean {
  if (rule.topics?.length && !rule.topics.includes(f.topic)) return false;
  if (rule.channels?.length && !rule.channels.includes(f.channel)) return false;
  if (rule.segments?.length && (!f.segment || !rule.segments.includes(f.segment))) return false;
  if (rule.postcodePrefixes?.length && (!f.postcode || !rule.postcodePrefixes.some((p) => f.postcode!.startsWith(p)))) return false;
  if (rule.communes?.length && (!f.city || !rule.communes.some((c) => unaccentLower(c) === unaccentLower(f.city!)))) return false;
  if (rule.keywords?.length) {
    const text = unaccentLower(f.text);
    if (!rule.keywords.some((k) => new RegExp(`\\b${unaccentLower(k)}`).test(text))) return false;
  }
  return true;
}

export class CaseGenerator {
  private readonly rng: Prng;
  private readonly now: number;
  private readonly agentsByUnit = new Map<string, SeedAgent[]>();
  private readonly managersByUnit = new Map<string, SeedAgent[]>();
  private readonly topicByCode = new Map<string, SeedTopic>();
  private readonly sortedRules: SeedRule[];
  private readonly days: string[] = [];
  private readonly usedMessageIds = new Set<string>();
  private readonly cal: BusinessCalendar;
  /** Persons writing as themselves (mayors write as their commune). */
  private readonly inhabitants: DemoContact[];

  constructor(private readonly ctx: CaseGenContext) {
    this.rng = ctx.rng;
    this.now = ctx.now.getTime();
    for (const a of ctx.agents) {
      for (const u of a.unitCodes) {
        if (!this.agentsByUnit.has(u)) this.agentsByUnit.set(u, []);
        this.agentsByUnit.get(u)!.push(a);
        if (a.roles.includes('unit_manager') || a.roles.includes('supervisor')) {
          if (!this.managersByUnit.has(u)) this.managersByUnit.set(u, []);
          this.managersByUnit.get(u)!.push(a);
        }
      }
    }
    for (const t of ctx.topics) this.topicByCode.set(t.code, t);
    this.inhabitants = ctx.contacts.persons.filter((p) => p.group !== 'mayor');
    this.sortedRules = [...ctx.rules].sort((a, b) => a.position - b.position);
    // The 365 days before now (Paris calendar), today included.
    for (let i = 365; i >= 0; i--) this.days.push(parisDay(this.now - i * DAY));
    // business days from before the year to well after now (late answers, due dates)
    this.cal = new BusinessCalendar(shiftDay(this.days[0], -10), shiftDay(this.days[this.days.length - 1], 800));
  }

  private agents(unit: string): SeedAgent[] {
    return this.agentsByUnit.get(unit) ?? [];
  }

  private agentActor(a: SeedAgent): Author {
    return { type: 'agent', id: a.id, label: a.name };
  }

  /** An agent of the front office receiving `channel` (contact center, mail room, counter). */
  private frontAgent(channel: Channel): SeedAgent {
    const pool = this.agents(FRONT_UNIT[channel]).filter((a) => !a.roles.includes('supervisor'));
    return this.rng.pick(pool.length ? pool : this.ctx.agents);
  }

  /** The instant itself when it falls in office hours (business day, 8:30–17:30 Paris), else the next opening. */
  private work(ms: number): number {
    return this.cal.work(ms, () => this.rng.next());
  }

  /** `businessDays` of office time (8:30–17:30, business days) after `ms`. */
  private after(ms: number, businessDays: number): number {
    return this.cal.after(ms, businessDays);
  }

  /** A day of the year (weighted by weekday, season) and a time fitting the channel. */
  private receivedAt(channel: Channel): Date {
    for (;;) {
      const day = this.days[this.rng.int(0, this.days.length - 1)];
      const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const month = Number(day.slice(5, 7));
      let w = MONTH_VOLUME[month - 1];
      if (weekend) w *= channel === 'email' || channel === 'portal' || channel === 'api' ? 0.35 : 0;
      if (!this.rng.chance(w / 1.25)) continue;
      let minutes: number;
      switch (channel) {
        case 'phone':
          minutes = this.rng.int(7 * 60 + 30, 18 * 60 + 59);
          break;
        case 'counter':
          minutes = this.rng.int(8 * 60 + 30, 16 * 60 + 59);
          break;
        case 'mail':
          minutes = this.rng.int(8 * 60, 15 * 60 + 30);
          break;
        default:
          minutes = this.rng.chance(0.75) ? this.rng.int(8 * 60, 19 * 60) : this.rng.int(0, 24 * 60 - 1);
      }
      const at = parisAt(day, minutes);
      if (at < this.now - 5 * MIN) return new Date(at);
    }
  }

  private pickTopic(channel: Channel, month: number): SeedTopic {
    return this.rng.weighted(this.ctx.topics, (t) => {
      const p = TOPIC_PROFILES[t.code];
      if (!p) return 0;
      const season = p.peakMonths?.includes(month) ? 2.5 : 1;
      return p.weight * (p.channels?.[channel] ?? 1) * season;
    });
  }

  private pickContact(requester: Requester, commune?: string): DemoContact | null {
    const g = this.ctx.contacts.byGroup;
    // Some people write often: a skewed pick over the pool.
    const skewed = (pool: DemoContact[]) => pool[Math.floor(pool.length * Math.pow(this.rng.next(), 1.5))];
    switch (requester) {
      case 'anonymous':
        return null;
      case 'senior':
        return skewed(g.senior);
      case 'parent':
        return skewed(g.parent);
      case 'sport-assoc':
        return skewed(g['sport-assoc']);
      case 'culture-assoc':
        return skewed(g['culture-assoc']);
      case 'assoc':
        return skewed([...g.assoc, ...g['sport-assoc'], ...g['culture-assoc']]);
      case 'commune': {
        const pool = g.commune;
        return (commune && pool.find((c) => c.commune.name === commune)) || this.rng.pick(pool);
      }
      case 'company':
        return this.rng.pick(g.company);
      case 'public-body':
        return this.rng.pick(g['public-body']);
      default:
        return skewed(this.inhabitants);
    }
  }

  private fill(text: string, slots: Record<string, string>): string {
    return text.replace(/\{(\w+)\}/g, (m, k: string) => slots[k] ?? m);
  }

  private slots(contact: DemoContact | null, at: Date): Record<string, string> {
    const rng = this.rng;
    const commune = contact?.commune ?? rng.weighted(LOIRET_COMMUNES, (c) => c.weight);
    const college = COLLEGES.find((c) => c.commune === commune.name) ?? rng.pick(COLLEGES);
    const today = parisDay(at.getTime());
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const schoolStart = month >= 6 ? year : year - 1;
    const eventDay = new Date(at.getTime() - rng.int(2, 40) * DAY);
    return {
      commune: commune.name,
      de_commune: ofCommune(commune.name),
      a_commune: atCommune(commune.name),
      rd: rng.pick(commune.roads),
      pr: `PR ${rng.int(1, 38)}+${String(rng.int(0, 9) * 100).padStart(3, '0')}`,
      college: college.name,
      assoc: contact?.kind === 'organisation' && contact.segment === 'association' ? contact.displayName : 'notre association',
      amount: String(rng.pick([300, 500, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4500, 6000, 8000, 12000, 15000, 25000, 40000])),
      year: String(year),
      schoolYear: `${schoolStart}-${schoolStart + 1}`,
      child: rng.pick(rng.chance(0.5) ? FIRST_NAMES_F.slice(18, 40) : FIRST_NAMES_M.slice(20, 40)),
      street: rng.pick(STREET_NAMES),
      month: MONTHS_FR[(month + 10) % 12],
      date: FR_DATE.format(eventDay),
      line: `${rng.pick(['', '', '1', '2', '3'])}${rng.int(1, 9)}${rng.int(0, 9)}`,
      last: contact?.lastName ?? 'Martin',
    };
  }

  private route(topic: SeedTopic, channel: Channel, contact: DemoContact | null, text: string): { unit: string; reason: string; ruleId: string | null } {
    const facts = {
      topic: topic.code,
      channel,
      segment: contact?.segment ?? null,
      postcode: contact?.address?.postcode ?? null,
      city: contact?.address?.city ?? null,
      text,
    };
    for (const r of this.sortedRules) {
      if (matchRule(r, facts)) return { unit: r.unit, reason: `Règle de routage « ${r.name} »`, ruleId: r.id };
    }
    return { unit: topic.unit, reason: `Service par défaut de l'objet « ${topic.name} »`, ruleId: null };
  }

  private messageId(domain: string): string {
    for (;;) {
      const id = `<${this.rng.digits(10)}.${this.rng.digits(6)}@${domain}>`;
      if (!this.usedMessageIds.has(id)) {
        this.usedMessageIds.add(id);
        return id;
      }
    }
  }

  private contactActor(c: DemoContact | null): Author {
    return { type: 'citizen', id: null, label: c?.displayName ?? 'Usager non identifié' };
  }

  /** Generates one case. `forced` pins some facts (the showcase cases). */
  generate(forced: Partial<{ channel: Channel; topic: string; subject: string; description: string; daysAgo: number; contactCommune: string }> = {}): DemoCase {
    const rng = this.rng;
    const channel = forced.channel ?? rng.choose(CHANNEL_WEIGHTS);
    let createdAt = this.receivedAt(channel);
    if (forced.daysAgo !== undefined) {
      createdAt = new Date(parisAt(parisDay(this.now - forced.daysAgo * DAY), 10 * 60 + 12));
    }
    const month = Number(parisDay(createdAt.getTime()).slice(5, 7));
    const topic = forced.topic ? this.topicByCode.get(forced.topic)! : this.pickTopic(channel, month);
    const profile: TopicProfile = TOPIC_PROFILES[topic.code];
    let contact = this.pickContact(rng.choose(profile.requester));
    if (forced.contactCommune) {
      contact = this.ctx.contacts.persons.find((p) => p.commune.name === forced.contactCommune && p.group !== 'mayor') ?? contact;
    }
    const slots = this.slots(contact, createdAt);
    const [subjectText, descriptionText] = rng.pick(profile.requests);
    const subject = forced.subject ?? this.fill(subjectText, slots);
    const description = forced.description ?? this.fill(descriptionText, slots);

    // Who registers it
    const front = this.frontAgent(channel);
    const createdBy: Author =
      channel === 'email' ? { type: 'system', id: null, label: 'Canal courriel' }
      : channel === 'portal' ? this.contactActor(contact)
      : channel === 'api' ? { type: 'system', id: null, label: 'Téléservice (API)' }
      : this.agentActor(front);

    const level1 = !topic.sensitive && !forced.subject && rng.chance(profile.level1 * LEVEL1_CHANNEL_FACTOR[channel]);
    const c: DemoCase = {
      id: rng.uuid(),
      contact,
      topic,
      intendedTopic: topic,
      channel,
      subject,
      description,
      status: 'qualified',
      resolvedLevel1: false,
      unitId: null,
      assigneeId: null,
      priority: this.priority(topic.code),
      dueDate: this.cal.addBusinessDays(parisDay(createdAt.getTime()), topic.deadlineDays),
      tags: [],
      sensitive: topic.sensitive,
      createdBy,
      createdAt,
      updatedAt: createdAt,
      qualifiedAt: null,
      answeredAt: null,
      closedAt: null,
      reopenedCount: 0,
      interactions: [],
      events: [],
    };
    if (level1) this.level1(c, profile, front);
    else this.leveled(c, profile, front);
    this.finish(c);
    return c;
  }

  private priority(code: string): DemoCase['priority'] {
    const rng = this.rng;
    if (code === 'protection-enfance') return rng.choose([['urgent', 4], ['high', 5], ['normal', 1]] as const);
    if (code === 'aide-financiere') return rng.choose([['high', 4], ['normal', 6]] as const);
    if (code === 'viabilite-hivernale') return rng.choose([['high', 3], ['urgent', 1], ['normal', 6]] as const);
    if (code === 'signalement-voirie') return rng.choose([['high', 15], ['urgent', 2], ['normal', 80], ['low', 3]] as const);
    return rng.choose([['low', 5], ['normal', 88], ['high', 6], ['urgent', 1]] as const);
  }

  // ------------------------------------------------------------------------------------------------
  // The first interaction: the request itself, as it came in.
  // ------------------------------------------------------------------------------------------------
  private inbound(c: DemoCase, front: SeedAgent): DemoInteraction {
    const rng = this.rng;
    const name = c.contact?.displayName ?? 'Usager non identifié';
    const civ = c.contact?.civility ? `${c.contact.civility} ${c.contact.lastName}` : name;
    const base = { id: rng.uuid(), direction: 'inbound' as const, at: c.createdAt };
    switch (c.channel) {
      case 'phone':
        return {
          ...base,
          kind: 'call',
          author: this.agentActor(front),
          subject: c.subject,
          body: `Appel de ${civ}. ${c.description}`,
          metadata: { durationSeconds: Math.round(40 + rng.next() * rng.next() * 420), from: c.contact?.phones[0]?.e164 ?? (rng.chance(0.5) ? null : `+336${rng.digits(8)}`), extension: front.extension },
        };
      case 'mail':
        return {
          ...base,
          kind: 'letter',
          author: this.agentActor(front),
          subject: c.subject,
          body: `${c.contact?.kind === 'organisation' ? 'Madame, Monsieur le Président,' : 'Madame, Monsieur,'}\n\n${c.description}\n\nJe vous prie d'agréer l'expression de mes salutations distinguées.\n\n${name}`,
          metadata: { pages: rng.int(1, 6), scannedBy: front.name },
          chrono: 'E',
        };
      case 'email': {
        const from = c.contact?.emails[0] ?? `${slug(name).replace(/-/g, '.')}@${rng.pick(['gmail.com', 'orange.fr'])}`;
        return {
          ...base,
          kind: 'email',
          author: { type: 'system', id: null, label: 'Canal courriel' },
          subject: c.subject,
          body: `Bonjour,\n\n${c.description}\n\nCordialement,\n${name}`,
          metadata: { messageId: this.messageId(from.split('@')[1]), from, to: 'contact@departement.example' },
        };
      }
      case 'portal':
      case 'api':
        return {
          ...base,
          kind: 'portal_message',
          author: this.contactActor(c.contact),
          subject: c.subject,
          body: c.description,
          metadata: c.channel === 'api' ? { source: 'api', procedure: c.intendedTopic.code } : { procedure: c.intendedTopic.code },
        };
      case 'counter':
        return {
          ...base,
          kind: 'visit',
          author: this.agentActor(front),
          subject: c.subject,
          body: `${civ} reçu(e) à l'accueil. ${c.description}`,
          metadata: { durationMinutes: rng.int(3, 25), site: 'Hôtel du Département – accueil' },
        };
    }
  }

  /** An outbound message on the case's channel (or a letter when nothing else fits). */
  private outbound(c: DemoCase, at: Date, author: SeedAgent, subject: string, body: string, template?: string): DemoInteraction {
    const rng = this.rng;
    const base = { id: rng.uuid(), direction: 'outbound' as const, at, author: this.agentActor(author), subject, body };
    const email = c.contact?.emails[0];
    const meta = template ? { template } : {};
    if ((c.channel === 'portal' || c.channel === 'api') && c.contact) return { ...base, kind: 'portal_message', metadata: { ...meta } };
    if ((c.channel === 'email' || (c.channel !== 'mail' && rng.chance(0.5))) && email) {
      return { ...base, kind: 'email', metadata: { ...meta, messageId: this.messageId('departement.example'), to: email } };
    }
    if (c.channel === 'phone' && c.contact?.phones.length && rng.chance(0.4)) {
      return { ...base, kind: 'call', subject: null, body: `Rappel de l'usager : ${body.split('\n').find((l) => l.trim() && !l.startsWith('Bonjour') && !l.startsWith('Madame')) ?? body}`, metadata: { durationSeconds: rng.int(60, 420), to: c.contact.phones[0].e164 } };
    }
    return { ...base, kind: 'letter', metadata: { ...meta, pages: 1 }, chrono: 'S' };
  }

  private note(at: Date, author: SeedAgent, body: string): DemoInteraction {
    return { id: this.rng.uuid(), kind: 'note', direction: 'internal', at, author: this.agentActor(author), subject: null, body, metadata: {} };
  }

  private vars(c: DemoCase, agent: SeedAgent, at: Date): Record<string, string> {
    const unit = c.unitId ? [...this.ctx.units.values()].find((u) => u.id === c.unitId) : undefined;
    return {
      reference: '{{reference}}', // filled once references are numbered
      'contact.name': c.contact ? (c.contact.kind === 'person' ? `${c.contact.civility} ${c.contact.lastName}` : c.contact.displayName) : 'Madame, Monsieur',
      'unit.name': unit?.name ?? 'service concerné',
      dueDate: c.dueDate ? FR_DAY.format(new Date(`${c.dueDate}T12:00:00Z`)) : '',
      'agent.name': agent.name,
      'agent.signature': agent.signature,
      today: FR_DATE.format(at),
    };
  }

  private template(code: string, c: DemoCase, agent: SeedAgent, at: Date, fill?: Record<string, string>): { subject: string; body: string } {
    const t = DEMO_REPLY_TEMPLATES.find((x) => x.code === code)!;
    const v = this.vars(c, agent, at);
    let body = renderTemplate(t.body, v);
    for (const [k, val] of Object.entries(fill ?? {})) body = body.replace(k, val);
    return { subject: renderTemplate(t.subject, v), body };
  }

  // ------------------------------------------------------------------------------------------------
  // Answered on the spot by the front office (level 1)
  // ------------------------------------------------------------------------------------------------
  private level1(c: DemoCase, profile: TopicProfile, front: SeedAgent) {
    const rng = this.rng;
    const agent = c.createdBy.type === 'agent' ? front : this.frontAgent(c.channel);
    const unit = this.ctx.units.get(FRONT_UNIT[c.channel])!;
    const first = this.inbound(c, front);
    const durationMin = c.channel === 'phone' ? Math.max(1, Math.round(((first.metadata.durationSeconds as number) ?? 120) / 60)) : c.channel === 'counter' ? rng.int(3, 20) : rng.int(60, 26 * 60);
    const doneMs = c.channel === 'phone' || c.channel === 'counter' ? c.createdAt.getTime() + durationMin * MIN : this.work(c.createdAt.getTime() + durationMin * MIN);
    const doneAt = new Date(Math.min(doneMs, this.now - MIN));
    c.resolvedLevel1 = true;
    c.unitId = unit.id;
    c.assigneeId = agent.id;
    c.qualifiedAt = new Date(c.channel === 'phone' || c.channel === 'counter' ? Math.min(c.createdAt.getTime() + MIN, doneAt.getTime()) : Math.max(c.createdAt.getTime(), doneAt.getTime() - 2 * MIN));
    c.answeredAt = doneAt;
    c.closedAt = doneAt;
    c.status = 'closed';
    const answer = rng.pick(profile.level1Answers ?? ['Réponse apportée au premier contact, sans transmission au service.']);
    c.interactions.push(first);
    if (c.channel === 'email' || c.channel === 'portal' || c.channel === 'api') {
      const tpl = c.intendedTopic.code === 'hors-competence' ? 'reorientation-hors-competence' : 'reponse-information';
      const { subject, body } = this.template(tpl, c, agent, doneAt, { '[réponse]': answer, '[nom, adresse, téléphone, site internet]': 'la mairie de votre domicile' });
      c.interactions.push(this.outbound(c, doneAt, agent, subject, body, tpl));
    } else {
      c.interactions.push(this.note(doneAt, agent, answer));
      if (c.contact?.emails.length && rng.chance(0.15)) {
        const at = new Date(Math.min(doneAt.getTime() + 5 * MIN, this.now - MIN));
        c.interactions.push({ id: rng.uuid(), kind: 'email', direction: 'outbound', at, author: this.agentActor(agent), subject: 'Suite à votre appel', body: `Bonjour,\n\nComme convenu, voici les informations évoquées : ${answer}\n\n${agent.signature}`, metadata: { messageId: this.messageId('departement.example'), to: c.contact.emails[0] } });
      }
    }
    const actor = this.agentActor(agent);
    c.events.push({ kind: 'created', from: null, to: 'closed', reason: null, actor: c.createdBy, data: { channel: c.channel }, at: c.createdAt });
    c.events.push({ kind: 'qualified', from: null, to: c.intendedTopic.code, reason: c.intendedTopic.name, actor, data: null, at: c.qualifiedAt });
    c.events.push({ kind: 'status', from: 'qualified', to: 'closed', reason: 'Répondue au niveau 1', actor, data: null, at: doneAt });
  }

  // ------------------------------------------------------------------------------------------------
  // Routed to a back-office unit (level 2): milestones drawn, then cut at "now"
  // ------------------------------------------------------------------------------------------------
  private leveled(c: DemoCase, profile: TopicProfile, front: SeedAgent) {
    const rng = this.rng;
    const t0 = c.createdAt.getTime();
    const now = this.now;
    const topic = c.intendedTopic;
    const D = Math.max(1, topic.deadlineDays);
    const immediate = c.channel === 'phone' || c.channel === 'counter' || (c.channel === 'portal' && rng.chance(0.7)) || c.channel === 'api';
    // The mail room and the shared inbox qualify within a day or two, with an occasional backlog.
    const backlog = rng.chance(0.2) ? rng.next() * 4 : 0;
    const qualifiedAt = immediate ? t0 + rng.int(1, 4) * MIN : this.after(t0, backlog + (c.channel === 'mail' ? 0.3 + rng.next() * 2 : 0.1 + rng.next() * 1.2));
    const qualifier = c.channel === 'mail' ? this.frontAgent('mail') : c.createdBy.type === 'agent' ? front : this.frontAgent('phone');
    const route = this.route(topic, c.channel, c.contact, `${c.subject}\n${c.description}`);
    const unit = this.ctx.units.get(route.unit)!;
    const unitAgents = this.agents(route.unit);
    const staff = unitAgents.filter((a) => !a.roles.includes('supervisor') || unitAgents.length === 1);
    const managers = this.managersByUnit.get(route.unit) ?? staff;
    const assignee = staff.length ? rng.pick(staff) : null;

    c.interactions.push(this.inbound(c, front));
    c.events.push({ kind: 'created', from: null, to: immediate ? 'qualified' : 'new', reason: null, actor: c.createdBy, data: { channel: c.channel }, at: c.createdAt });

    if (qualifiedAt >= now) {
      // still waiting for qualification in the mail room / shared inbox
      c.status = 'new';
      c.topic = null;
      c.sensitive = false;
      c.dueDate = null;
      c.interactions.push(this.note(new Date(Math.min(t0 + 10 * MIN, now - MIN)), qualifier, c.channel === 'mail' ? 'Courrier numérisé, en attente de qualification.' : 'Message reçu, à qualifier.'));
      return;
    }
    c.qualifiedAt = new Date(qualifiedAt);
    c.unitId = unit.id;
    c.status = 'qualified';
    const qActor = this.agentActor(qualifier);
    c.events.push({ kind: 'qualified', from: null, to: topic.code, reason: topic.name, actor: qActor, data: null, at: c.qualifiedAt });
    c.events.push({ kind: 'routed', from: null, to: unit.id, reason: route.reason, actor: qActor, data: { ruleId: route.ruleId }, at: c.qualifiedAt });

    // Acknowledgement of receipt for written requests
    if (topic.acknowledge && c.channel !== 'phone' && c.channel !== 'counter' && c.contact) {
      const at = this.after(qualifiedAt, 0.02 + rng.next() * 0.5);
      if (at < now) {
        const signer = assignee ?? qualifier;
        const code = topic.code === 'signalement-voirie' ? 'signalement-voirie-pris-en-compte' : 'accuse-reception';
        const { subject, body } = this.template(code, c, signer, new Date(at));
        c.interactions.push(this.outbound(c, new Date(at), signer, subject, body, code));
      }
    }
    if (!assignee) return;

    // The rest of the life of the case, step by step in office time (business days).
    const queueDays = rng.chance(0.2) ? rng.next() * Math.min(8, D / 2) : 0; // a unit queue waiting for its manager
    const assignedAt = this.after(qualifiedAt, 0.05 + queueDays + rng.next() * Math.min(2, D / 4));
    const startedAt = this.after(assignedAt, rng.next() * Math.min(rng.chance(0.3) ? 4 : 1.5, D / 3));
    const waits = rng.chance(c.channel === 'phone' ? 0.1 : 0.2);
    const waitAt = this.after(startedAt, 0.3 + rng.next() * 4);
    const resumeAt = this.after(waitAt, 1.5 + rng.next() * 14);
    const r = rng.next();
    // answered within the deadline mostly, late sometimes, never for a few forgotten ones
    const f = r < 0.56 ? 0.15 + rng.next() * 0.75 : r < 0.86 ? 0.9 + rng.next() * 0.5 : r < 0.985 ? 1.4 + rng.next() * 1.4 : Infinity;
    const answeredAt = f === Infinity ? Infinity : Math.max(this.after(t0, D * f), this.after(waits ? resumeAt : startedAt, 0.2));
    const closedAt = rng.chance(0.7) ? answeredAt + rng.int(1, 30) * MIN : this.after(answeredAt, 1.5 + rng.next() * 12);
    const reopens = rng.chance(0.015);
    const reopenAt = this.after(closedAt, 1.5 + rng.next() * 10);
    const reanswerAt = this.after(reopenAt, 1 + rng.next() * 6);

    const manager = rng.pick(managers.length ? managers : staff);
    const aActor = this.agentActor(assignee);
    const push = (kind: string, at: number, from: string | null, to: string | null, reason: string | null, actor: Author = aActor, data: unknown = null) => {
      c.events.push({ kind, from, to, reason, actor, data, at: new Date(at) });
    };

    if (assignedAt >= now) return;
    c.assigneeId = assignee.id;
    c.status = 'assigned';
    push('assigned', assignedAt, null, assignee.id, null, this.agentActor(manager.id === assignee.id ? assignee : manager), { assigneeName: assignee.name });

    if (startedAt >= now) return;
    c.status = 'in_progress';
    push('status', startedAt, 'assigned', 'in_progress', null);
    if (rng.chance(0.6)) {
      const at = this.after(startedAt, rng.next() * 1.5);
      if (at < Math.min(now, answeredAt)) c.interactions.push(this.note(new Date(at), assignee, rng.pick([...(profile.notes ?? []), ...GENERIC_NOTES])));
    }

    if (waits && waitAt < Math.min(now, answeredAt)) {
      c.status = 'waiting_on_contact';
      push('status', waitAt, 'in_progress', 'waiting_on_contact', 'Pièces complémentaires demandées à l\'usager');
      const { subject, body } = this.template('pieces-complementaires', c, assignee, new Date(waitAt), { '- [liste des pièces]': '- un justificatif de domicile de moins de trois mois\n- le dernier avis d\'imposition' });
      c.interactions.push(this.outbound(c, new Date(waitAt), assignee, subject, body, 'pieces-complementaires'));
      if (resumeAt >= now) return;
      const byEmail = c.contact?.emails.length && rng.chance(0.6);
      c.interactions.push({
        id: rng.uuid(),
        kind: byEmail ? 'email' : 'letter',
        direction: 'inbound',
        at: new Date(resumeAt),
        author: byEmail ? { type: 'system', id: null, label: 'Canal courriel' } : this.agentActor(this.frontAgent('mail')),
        subject: `Pièces complémentaires – ${c.subject}`,
        body: rng.pick(PIECES_RECEIVED),
        metadata: byEmail ? { messageId: this.messageId(c.contact!.emails[0].split('@')[1]), from: c.contact!.emails[0], to: 'contact@departement.example' } : { pages: rng.int(1, 4) },
        chrono: byEmail ? undefined : 'E',
      });
      c.status = 'in_progress';
      push('status', resumeAt, 'waiting_on_contact', 'in_progress', 'Réponse de l\'usager reçue');
    }

    // a follow-up call from the contact on slow cases
    const late = f > 1 && c.dueDate !== null && this.after(t0, D) < now;
    if (c.contact?.phones.length && (late || rng.chance(0.08))) {
      const at = this.after(t0, D * (late ? 1 + rng.next() * 0.3 : rng.next()));
      if (at < Math.min(now, answeredAt) && at > startedAt) {
        const cc = this.frontAgent('phone');
        c.interactions.push({ id: rng.uuid(), kind: 'call', direction: 'inbound', at: new Date(at), author: this.agentActor(cc), subject: 'Relance', body: rng.pick(FOLLOW_UPS), metadata: { durationSeconds: rng.int(45, 300), from: c.contact.phones[0].e164, extension: cc.extension } });
        c.tags.push('relance');
      }
    }

    if (answeredAt >= now) return;
    c.status = 'answered';
    c.answeredAt = new Date(answeredAt);
    push('status', answeredAt, 'in_progress', 'answered', 'Réponse envoyée à l\'usager');
    const answerSlots = this.slots(c.contact, c.createdAt);
    const answer = this.fill(rng.pick(profile.answers ?? ['Votre demande a été traitée.']), answerSlots);
    const tplCode = REPLY_TEMPLATE_BY_TOPIC[topic.code]?.(answer);
    let reply: { subject: string; body: string };
    if (tplCode) {
      reply = this.template(tplCode, c, assignee, new Date(answeredAt), {
        '[montant]': answerSlots.amount,
        '[objet]': 'son programme d\'activités de l\'année',
        '[réponse : carte renvoyée / arrêt modifié / transporteur rappelé à l\'ordre]': answer,
      });
    } else {
      const v = this.vars(c, assignee, new Date(answeredAt));
      reply = { subject: `Réponse à votre demande {{reference}}`, body: `${c.contact?.kind === 'person' ? `Bonjour ${v['contact.name']},` : 'Madame, Monsieur,'}\n\n${answer}\n\nNous restons à votre disposition en rappelant la référence {{reference}}.\n\n${assignee.signature}` };
    }
    c.interactions.push(this.outbound(c, new Date(answeredAt), assignee, reply.subject, reply.body, tplCode));

    if (closedAt >= now) return;
    c.status = 'closed';
    c.closedAt = new Date(closedAt);
    push('status', closedAt, 'answered', 'closed', closedAt - answeredAt > DAY ? 'Clôture sans retour de l\'usager' : 'Demande traitée');

    if (!reopens || reopenAt >= now) return;
    c.reopenedCount = 1;
    c.status = 'in_progress';
    c.closedAt = null;
    push('reopened', reopenAt, 'closed', 'in_progress', 'L\'usager conteste la réponse apportée');
    if (reanswerAt >= now) return;
    c.status = 'closed';
    c.answeredAt = new Date(reanswerAt);
    c.closedAt = new Date(reanswerAt + MIN);
    push('status', reanswerAt, 'in_progress', 'answered', 'Réponse complémentaire envoyée');
    push('status', reanswerAt + MIN, 'answered', 'closed', 'Demande traitée');
  }

  /** 2 to 5 interactions, in order, none after now; updated_at follows the last change. */
  private finish(c: DemoCase) {
    const rng = this.rng;
    const list = c.interactions.filter((i) => i.at.getTime() < this.now).sort((a, b) => a.at.getTime() - b.at.getTime());
    while (list.length > 5) {
      // drop internal notes first, then the oldest outbound acknowledgements
      const idx = list.findIndex((i, k) => k > 0 && i.kind === 'note');
      list.splice(idx > 0 ? idx : 1, 1);
    }
    if (list.length < 2) {
      const author = c.assigneeId ? this.ctx.agents.find((a) => a.id === c.assigneeId)! : this.frontAgent(c.channel === 'mail' ? 'mail' : 'phone');
      const at = new Date(Math.min(list[0].at.getTime() + rng.int(5, 90) * MIN, this.now - MIN));
      const unit = c.unitId ? [...this.ctx.units.values()].find((u) => u.id === c.unitId) : undefined;
      list.push(this.note(at, author, unit ? `Demande enregistrée et transmise : ${unit.name}.` : 'Demande enregistrée, à qualifier.'));
    }
    c.interactions = list;
    c.events.sort((a, b) => a.at.getTime() - b.at.getTime());
    const last = Math.max(c.createdAt.getTime(), ...c.events.map((e) => e.at.getTime()), ...list.map((i) => i.at.getTime()));
    c.updatedAt = new Date(Math.min(last, this.now - 1000));
    c.tags = [...new Set(c.tags)];
  }
}
