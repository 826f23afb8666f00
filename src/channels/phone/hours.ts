// Opening hours of the contact center: a weekly schedule (Europe/Paris), French public holidays and
// exceptional closures (table `closures`). The schedule lives in `settings` under 'phone.schedule'.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { isPublicHoliday, toParisDay } from '../../platform/calendar/calendar.ts';

export interface TimeRange {
  from: string;
  to: string;
}

/** Weekday (1 = Monday … 7 = Sunday) → opening ranges, 'HH:MM' in Paris time. */
export type WeeklySchedule = Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', TimeRange[]> & {
  /** Closed on French public holidays (default true). */
  closedOnPublicHolidays?: boolean;
};

const WEEKDAY_RANGE: TimeRange[] = [{ from: '07:30', to: '19:00' }];
export const DEFAULT_SCHEDULE: WeeklySchedule = { 1: WEEKDAY_RANGE, 2: WEEKDAY_RANGE, 3: WEEKDAY_RANGE, 4: WEEKDAY_RANGE, 5: WEEKDAY_RANGE, 6: [], 7: [] };
const SETTING_KEY = 'phone.schedule';
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const parisClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const WEEKDAYS: Record<string, keyof WeeklySchedule> = { Mon: '1', Tue: '2', Wed: '3', Thu: '4', Fri: '5', Sat: '6', Sun: '7' };

/** Weekday and 'HH:MM' of an instant in Paris. */
export function parisWeekdayAndTime(at: Date): { weekday: keyof WeeklySchedule; time: string } {
  const parts = parisClock.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: WEEKDAYS[get('weekday')], time: `${get('hour')}:${get('minute')}` };
}

/** Open at `at` by the schedule, outside public holidays and the given closure days. Pure. */
export function isOpenBySchedule(at: Date, schedule: WeeklySchedule, closures: ReadonlySet<string> = new Set()): boolean {
  const day = toParisDay(at);
  if ((schedule.closedOnPublicHolidays !== false && isPublicHoliday(day)) || closures.has(day)) return false;
  const { weekday, time } = parisWeekdayAndTime(at);
  return ((schedule[weekday] as TimeRange[] | undefined) ?? []).some((r) => time >= r.from && time < r.to);
}

export function checkSchedule(input: unknown): WeeklySchedule {
  const errors: Record<string, string> = {};
  const out = {} as WeeklySchedule;
  const src = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  for (const d of ['1', '2', '3', '4', '5', '6', '7'] as const) {
    const ranges = src[d] ?? [];
    if (!Array.isArray(ranges)) {
      errors[d] = 'Liste de plages horaires attendue.';
      continue;
    }
    out[d] = [];
    ranges.forEach((r: any, i) => {
      if (!r || typeof r.from !== 'string' || typeof r.to !== 'string' || !HHMM.test(r.from) || !HHMM.test(r.to) || r.from >= r.to) {
        errors[`${d}.${i}`] = 'Plage horaire invalide (HH:MM, début avant fin).';
      } else out[d].push({ from: r.from, to: r.to });
    });
  }
  if (src.closedOnPublicHolidays !== undefined) {
    if (typeof src.closedOnPublicHolidays !== 'boolean') errors.closedOnPublicHolidays = 'Booléen attendu.';
    else out.closedOnPublicHolidays = src.closedOnPublicHolidays;
  }
  if (Object.keys(errors).length) throw new Invalid(errors, 'Horaires d’ouverture invalides.');
  return out;
}

export async function getSchedule(sql: Sql): Promise<WeeklySchedule> {
  const { rows } = await sql.query<{ value: WeeklySchedule }>('SELECT value FROM settings WHERE key = $1', [SETTING_KEY]);
  return rows[0]?.value ?? DEFAULT_SCHEDULE;
}

export async function setSchedule(db: Database, actor: Actor, input: unknown): Promise<WeeklySchedule> {
  authorize(actor, 'phone.configure');
  const schedule = checkSchedule(input);
  await db.tx(async (tx) => {
    const before = await getSchedule(tx);
    await tx.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [SETTING_KEY, JSON.stringify(schedule)],
    );
    tx.audit({ actor, action: 'phone.schedule', objectType: 'setting', objectId: SETTING_KEY, before, after: schedule });
  });
  cache.delete(db);
  return schedule;
}

// Every inbound call asks; the answer for a day changes only when an administrator edits the schedule
// (this process forgets its copy at once) or a closure is added (seen within CACHE_MS).
const CACHE_MS = 30_000;
const cache = new WeakMap<object, { day: string; schedule: WeeklySchedule; closed: boolean; expires: number }>();

/** Is the contact center open at `at` (schedule, holidays, exceptional closures)? `cacheKey`: the database, to reuse a recent reading. */
export async function isOpen(sql: Sql, at: Date = new Date(), cacheKey?: object): Promise<boolean> {
  const day = toParisDay(at);
  let entry = cacheKey ? cache.get(cacheKey) : undefined;
  if (!entry || entry.day !== day || entry.expires < Date.now()) {
    const { rows } = await sql.query<{ value: WeeklySchedule | null; closed: boolean }>(
      `SELECT (SELECT value FROM settings WHERE key = $1) AS value, EXISTS (SELECT 1 FROM closures WHERE day = $2::date) AS closed`,
      [SETTING_KEY, day],
    );
    entry = { day, schedule: rows[0].value ?? DEFAULT_SCHEDULE, closed: rows[0].closed, expires: Date.now() + CACHE_MS };
    if (cacheKey) cache.set(cacheKey, entry);
  }
  if (entry.closed) return false;
  return isOpenBySchedule(at, entry.schedule);
}
