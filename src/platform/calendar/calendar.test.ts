import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dueDateWith,
  addBusinessDays,
  dueDateFor,
  easterSunday,
  frenchPublicHolidays,
  isBusinessDay,
  nextBusinessDay,
  toParisDay,
} from './calendar.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from '../db/database.ts';

describe('calendar: public holidays', () => {
  it('computes Easter Sunday (anonymous Gregorian algorithm)', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
    // the earliest and latest possible dates
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(1943)).toBe('1943-04-25');
  });

  it('lists the 11 national holidays of 2026 in date order', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Jour de l’an' },
      { date: '2026-04-06', name: 'Lundi de Pâques' },
      { date: '2026-05-01', name: 'Fête du Travail' },
      { date: '2026-05-08', name: 'Victoire 1945' },
      { date: '2026-05-14', name: 'Ascension' },
      { date: '2026-05-25', name: 'Lundi de Pentecôte' },
      { date: '2026-07-14', name: 'Fête nationale' },
      { date: '2026-08-15', name: 'Assomption' },
      { date: '2026-11-01', name: 'Toussaint' },
      { date: '2026-11-11', name: 'Armistice 1918' },
      { date: '2026-12-25', name: 'Noël' },
    ]);
  });

  it('adds Vendredi saint and Saint-Étienne for Alsace-Moselle only when asked', () => {
    const am = frenchPublicHolidays(2026, { alsaceMoselle: true });
    expect(am).toHaveLength(13);
    expect(am).toContainEqual({ date: '2026-04-03', name: 'Vendredi saint' });
    expect(am).toContainEqual({ date: '2026-12-26', name: 'Saint-Étienne' });
    expect(isBusinessDay('2026-04-03')).toBe(true);
    expect(isBusinessDay('2026-04-03', undefined, { alsaceMoselle: true })).toBe(false);
  });
});

describe('calendar: business days', () => {
  it('knows weekends, holidays and closures', () => {
    expect(isBusinessDay('2026-05-13')).toBe(true); // Wednesday
    expect(isBusinessDay('2026-05-14')).toBe(false); // Ascension
    expect(isBusinessDay('2026-05-16')).toBe(false); // Saturday
    expect(isBusinessDay('2026-05-17')).toBe(false); // Sunday
    expect(isBusinessDay('2026-05-15', new Set(['2026-05-15']))).toBe(false); // pont
    expect(nextBusinessDay('2026-05-23')).toBe('2026-05-26'); // Sat → (Sun, Pentecost Monday) → Tue
  });

  it('skips weekends', () => {
    expect(addBusinessDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday + 1 → Monday
    expect(addBusinessDays('2026-11-23', 5)).toBe('2026-11-30'); // Monday + 5 → next Monday
    expect(addBusinessDays('2026-11-23', 10)).toBe('2026-12-07');
  });

  it('days = 0: the same day if it is a business day, else the next one', () => {
    expect(addBusinessDays('2026-11-25', 0)).toBe('2026-11-25');
    expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-30'); // Saturday
    expect(addBusinessDays('2026-05-14', 0)).toBe('2026-05-15'); // Ascension
  });

  it('a request received on a non-business day counts from the next business day', () => {
    expect(addBusinessDays('2026-11-28', 1)).toBe('2026-12-01'); // Saturday ≡ Monday, + 1 → Tuesday
    expect(addBusinessDays('2026-11-29', 1)).toBe('2026-12-01'); // Sunday likewise
    expect(addBusinessDays('2026-11-30', 1)).toBe('2026-12-01'); // Monday itself
  });

  it('spans Ascension and Pentecost Monday', () => {
    expect(addBusinessDays('2026-05-13', 2)).toBe('2026-05-18'); // Wed → (Thu Ascension) Fri, Mon
    expect(addBusinessDays('2026-05-22', 1)).toBe('2026-05-26'); // Fri → (Pentecost Monday) Tue
    expect(addBusinessDays('2026-05-13', 15)).toBe('2026-06-05');
    expect(addBusinessDays('2026-04-30', 3)).toBe('2026-05-06'); // Thu → (1 May) Mon 4, Tue 5, Wed 6
  });

  it('counts an exceptional closure (pont de l’Ascension)', () => {
    const closures = new Set(['2026-05-15']);
    expect(addBusinessDays('2026-05-13', 2, closures)).toBe('2026-05-19');
    expect(addBusinessDays('2026-05-13', 1, closures)).toBe('2026-05-18');
  });

  it('crosses the year end', () => {
    expect(addBusinessDays('2026-12-24', 1)).toBe('2026-12-28'); // (Christmas Friday) → Monday
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-04'); // (1 January Friday) → Monday
  });

  it('turns an instant into its day in Paris', () => {
    expect(toParisDay(new Date('2026-11-29T23:30:00Z'))).toBe('2026-11-30'); // winter, UTC+1
    expect(toParisDay(new Date('2026-11-29T22:59:59Z'))).toBe('2026-11-29');
    expect(toParisDay(new Date('2026-07-09T22:30:00Z'))).toBe('2026-07-10'); // summer, UTC+2
    expect(toParisDay(new Date('2026-07-09T21:59:59Z'))).toBe('2026-07-09');
    // Thursday 23:30 UTC is already Friday in Paris: + 1 business day is Monday, not Friday.
    expect(addBusinessDays(new Date('2026-11-26T23:30:00Z'), 1)).toBe('2026-11-30');
    expect(addBusinessDays(new Date('2026-11-26T22:30:00Z'), 1)).toBe('2026-11-27');
  });

  it('refuses malformed days and day counts', () => {
    expect(() => addBusinessDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addBusinessDays('26-11-2026', 1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-30', -1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-30', 1.5)).toThrow(RangeError);
    expect(() => toParisDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('calendar: due dates from the database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(`INSERT INTO closures (day, label) VALUES ('2026-05-15', 'Pont de l''Ascension'), ('2026-05-04', 'Passé : ignoré')`);
  });
  afterAll(async () => db.close());

  it('counts closures recorded in `closures`, from the Paris day of reception', async () => {
    expect(await dueDateFor(db, new Date('2026-05-13T09:00:00Z'), 2)).toBe('2026-05-19');
    // 22:30 UTC on Wednesday 13 May is Thursday 14 (Ascension) in Paris: counting starts on Monday 18
    // (Friday 15 is closed).
    expect(await dueDateFor(db, new Date('2026-05-13T22:30:00Z'), 0)).toBe('2026-05-18');
    expect(await dueDateFor(db, new Date('2026-05-13T22:30:00Z'), 1)).toBe('2026-05-19');
  });
});

describe('calendar: due dates with known closures', () => {
  it('answers for the closures given, also when asked again with another set', () => {
    const wednesday = new Date('2026-05-13T08:00:00Z');
    expect(dueDateWith(wednesday, 2, new Set())).toBe('2026-05-18'); // Ascension Thursday 14 is a holiday
    expect(dueDateWith(wednesday, 2, new Set())).toBe('2026-05-18');
    expect(dueDateWith(wednesday, 2, new Set(['2026-05-15']))).toBe('2026-05-19');
    expect(dueDateWith(wednesday, 3, new Set(['2026-05-15']))).toBe('2026-05-20');
    expect(dueDateWith(wednesday, 2, new Set(), { alsaceMoselle: true })).toBe('2026-05-18');
  });
});
