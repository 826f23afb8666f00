// Business days of the authority: French public holidays, weekends and exceptional closures (table
// `closures`). Deadlines are counted in calendar days of Europe/Paris, written 'YYYY-MM-DD': an instant
// (a Date) is first turned into the day it is in Paris, so a letter scanned at 00:30 on a Monday in
// Paris counts from that Monday even though it is still Sunday in UTC.
import type { Sql } from '../db/database.ts';

/** A calendar day, 'YYYY-MM-DD'. */
export type Day = string;

export interface Holiday {
  date: Day;
  name: string;
}

export interface CalendarOptions {
  /** Add the two local holidays of Alsace-Moselle (Vendredi saint, Saint-Étienne). */
  alsaceMoselle?: boolean;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): Day {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`Année hors du calendrier grégorien : ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDay(Date.UTC(year, month - 1, day));
}

/** The 11 national public holidays of a year, in date order (plus Alsace-Moselle's two if asked). */
export function frenchPublicHolidays(year: number, opts: CalendarOptions = {}): Holiday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number) => formatDay(Date.UTC(year, month - 1, day));
  const list: Holiday[] = [
    { date: fixed(1, 1), name: 'Jour de l’an' },
    { date: shiftDay(easter, 1), name: 'Lundi de Pâques' },
    { date: fixed(5, 1), name: 'Fête du Travail' },
    { date: fixed(5, 8), name: 'Victoire 1945' },
    { date: shiftDay(easter, 39), name: 'Ascension' },
    { date: shiftDay(easter, 50), name: 'Lundi de Pentecôte' },
    { date: fixed(7, 14), name: 'Fête nationale' },
    { date: fixed(8, 15), name: 'Assomption' },
    { date: fixed(11, 1), name: 'Toussaint' },
    { date: fixed(11, 11), name: 'Armistice 1918' },
    { date: fixed(12, 25), name: 'Noël' },
  ];
  if (opts.alsaceMoselle) {
    list.push({ date: shiftDay(easter, -2), name: 'Vendredi saint' }, { date: fixed(12, 26), name: 'Saint-Étienne' });
  }
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// Holidays of a year never change: computed once per year and per variant.
const holidayCache = new Map<string, Set<Day>>();

function holidaySet(year: number, opts: CalendarOptions): Set<Day> {
  const key = `${year}:${opts.alsaceMoselle ? 'am' : 'fr'}`;
  let set = holidayCache.get(key);
  if (!set) {
    set = new Set(frenchPublicHolidays(year, opts).map((h) => h.date));
    holidayCache.set(key, set);
  }
  return set;
}

export function isPublicHoliday(date: Day | Date, opts: CalendarOptions = {}): boolean {
  const day = toParisDay(date);
  return holidaySet(Number(day.slice(0, 4)), opts).has(day);
}

/** Monday to Friday, not a public holiday, not an exceptional closure. */
export function isBusinessDay(date: Day | Date, extraClosures?: ReadonlySet<string>, opts: CalendarOptions = {}): boolean {
  const day = toParisDay(date);
  const weekday = new Date(parseDay(day)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (holidaySet(Number(day.slice(0, 4)), opts).has(day)) return false;
  return !extraClosures?.has(day);
}

/** The first business day on or after `date`. */
export function nextBusinessDay(date: Day | Date, extraClosures?: ReadonlySet<string>, opts: CalendarOptions = {}): Day {
  let day = toParisDay(date);
  while (!isBusinessDay(day, extraClosures, opts)) day = shiftDay(day, 1);
  return day;
}

/**
 * The day `days` business days after `start`. A request received on a non-business day counts from
 * the next business day; with days = 0 the answer is that first business day.
 */
export function addBusinessDays(start: Day | Date, days: number, extraClosures?: ReadonlySet<string>, opts: CalendarOptions = {}): Day {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Nombre de jours ouvrés invalide : ${days}`);
  let day = nextBusinessDay(start, extraClosures, opts);
  for (let left = days; left > 0; left--) {
    day = nextBusinessDay(shiftDay(day, 1), extraClosures, opts);
  }
  return day;
}

/**
 * Due date of a request received at `receivedAt` with a deadline of `days` business days, counting the
 * exceptional closures recorded in `closures`.
 */
export async function dueDateFor(sql: Sql, receivedAt: Date, days: number, opts: CalendarOptions = {}): Promise<Day> {
  const from = toParisDay(receivedAt);
  const { rows } = await sql.query<{ day: string }>(`SELECT day::text AS day FROM closures WHERE day >= $1::date ORDER BY day`, [from]);
  return addBusinessDays(from, days, new Set(rows.map((r) => r.day)), opts);
}

/**
 * dueDateFor with the closures already known (the reference-data cache keeps them). Every case created
 * asks it, nearly always for the same day and the same few deadlines: the answers are kept per closures
 * set (a new set when the closures change) — walking the days cost 4 % of the API's time in creation.
 */
export function dueDateWith(receivedAt: Date, days: number, closures: ReadonlySet<string>, opts: CalendarOptions = {}): Day {
  const from = toParisDay(receivedAt);
  const key = `${from}|${days}|${opts.alsaceMoselle ? 1 : 0}`;
  let memo = dueDates.get(closures);
  if (!memo) dueDates.set(closures, (memo = new Map()));
  let due = memo.get(key);
  if (due === undefined) {
    due = addBusinessDays(from, days, closures, opts);
    if (memo.size >= 1000) memo.clear();
    memo.set(key, due);
  }
  return due;
}

const dueDates = new WeakMap<ReadonlySet<string>, Map<string, Day>>();

// ------------------------------------------------------------------------------------------------
// Day arithmetic on 'YYYY-MM-DD' strings (done on UTC midnights: no daylight-saving surprises).
// ------------------------------------------------------------------------------------------------

const parisFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day an instant falls on in Paris; a 'YYYY-MM-DD' string is checked and returned as is. */
export function toParisDay(date: Day | Date): Day {
  if (typeof date === 'string') {
    parseDay(date);
    return date;
  }
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('Date invalide.');
  const parts = parisFormat.formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Today in Paris. */
export function parisToday(now: Date = new Date()): Day {
  return toParisDay(now);
}

/** `day` moved by `n` calendar days. */
export function shiftDay(day: Day, n: number): Day {
  return formatDay(parseDay(day) + n * MS_PER_DAY);
}

function parseDay(day: string): number {
  const m = DAY_RE.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2026-02-30 over to March: refuse instead of guessing.
  if (!m || Number.isNaN(ms) || formatDay(ms) !== day) throw new RangeError(`Jour invalide (AAAA-MM-JJ attendu) : ${day}`);
  return ms;
}

function formatDay(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}
