// Business-day arithmetic for generating tens of thousands of timelines quickly: the platform calendar
// (French public holidays, weekends) evaluated once per day of the period, then indexed. Instants are
// placed in Paris time without Intl (the DST rule is computed once per year).
import { isBusinessDay, shiftDay } from '../../platform/calendar/calendar.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Office hours of the back office, in minutes after midnight (Paris). */
export const OPEN = 8 * 60 + 30;
export const CLOSE = 17 * 60 + 30;

const dstCache = new Map<number, [number, number]>();

/** [start, end) of summer time (UTC+2) in a year: last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC. */
function summer(year: number): [number, number] {
  let r = dstCache.get(year);
  if (!r) {
    const lastSunday = (month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0));
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
    };
    r = [lastSunday(2), lastSunday(9)];
    dstCache.set(year, r);
  }
  return r;
}

/** Paris offset from UTC in hours (1 or 2) at an instant. */
export function parisOffset(ms: number): number {
  const [a, b] = summer(new Date(ms).getUTCFullYear());
  return ms >= a && ms < b ? 2 : 1;
}

/** The Paris calendar day of an instant, 'YYYY-MM-DD'. */
export function parisDay(ms: number): string {
  return new Date(ms + parisOffset(ms) * HOUR).toISOString().slice(0, 10);
}

/** The instant of a Paris wall-clock time (minutes after midnight, fractions allowed) on a day. */
export function parisAt(day: string, minutes: number): number {
  const local = Date.parse(`${day}T00:00:00Z`) + minutes * MIN;
  // the offset in force at that wall-clock time (exact except inside the skipped/repeated hour)
  return local - parisOffset(local - HOUR) * HOUR;
}

export class BusinessCalendar {
  private readonly index = new Map<string, number>();
  private readonly business = new Set<string>();
  private readonly days: string[] = [];

  /** Days from `from` to `to` (inclusive), 'YYYY-MM-DD'. */
  constructor(from: string, to: string) {
    for (let d = from; d <= to; d = shiftDay(d, 1)) {
      // index of the first business day on or after d
      this.index.set(d, this.days.length);
      if (isBusinessDay(d)) {
        this.business.add(d);
        this.days.push(d);
      }
    }
  }

  isBusiness(day: string): boolean {
    return this.business.has(day);
  }

  /** Same as the platform's addBusinessDays: from the first business day on/after `day`, `n` business days on. */
  addBusinessDays(day: string, n: number): string {
    const i = this.index.get(day);
    if (i === undefined || i + n >= this.days.length) throw new RangeError(`Jour hors de la période du calendrier : ${day}`);
    return this.days[i + n];
  }

  /** The instant itself in office hours (business day, 8:30–17:30 Paris), else a random time of the next opening day. */
  work(ms: number, random: () => number): number {
    const day = parisDay(ms);
    const minute = (ms - parisAt(day, 0)) / MIN;
    const business = this.business.has(day);
    if (business && minute >= OPEN && minute <= CLOSE) return ms;
    const i = this.index.get(day);
    if (i === undefined) return ms;
    const target = business && minute < OPEN ? this.days[i] : this.days[business ? i + 1 : i];
    if (!target) return ms;
    return parisAt(target, OPEN + Math.floor(random() * (CLOSE - OPEN)));
  }

  /** `businessDays` of office time (9 hours a business day) after `ms`; Infinity stays Infinity. */
  after(ms: number, businessDays: number): number {
    if (!Number.isFinite(ms)) return Infinity;
    let remaining = Math.max(0, businessDays) * (CLOSE - OPEN);
    const day = parisDay(ms);
    let minute = (ms - parisAt(day, 0)) / MIN;
    let i = this.index.get(day);
    if (i === undefined) return ms + businessDays * 1.4 * DAY;
    if (!this.business.has(day) || minute > CLOSE) {
      if (this.business.has(day)) i += 1;
      minute = OPEN;
    } else if (minute < OPEN) {
      minute = OPEN;
    }
    const left = CLOSE - minute;
    if (remaining <= left) return this.days[i] ? parisAt(this.days[i], minute + remaining) : Infinity;
    remaining -= left;
    const full = Math.floor(remaining / (CLOSE - OPEN));
    remaining -= full * (CLOSE - OPEN);
    i += 1 + full;
    if (remaining === 0) {
      i -= 1;
      remaining = CLOSE - OPEN;
    }
    return this.days[i] ? parisAt(this.days[i], OPEN + remaining) : Infinity;
  }
}
