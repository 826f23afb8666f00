import { describe, expect, it } from 'vitest';
import { dueInWords, formatDate, formatDateTime, formatLongDate, formatSize, formatTime, parisToday, plural } from './format.ts';

describe('French formats', () => {
  it('formats calendar dates without shifting the day', () => {
    expect(formatDate('2026-11-29')).toBe('29 nov. 2026');
    expect(formatDate('2026-05-01')).toBe('1 mai 2026');
    expect(formatDate('2027-01-01')).toBe('1 janv. 2027');
    expect(formatLongDate('2026-11-29')).toBe('dimanche 29 novembre 2026');
  });

  it('formats instants in Paris time', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Paris (UTC+1 in winter).
    expect(formatDate('2026-12-31T23:30:00Z')).toBe('1 janv. 2027');
    expect(formatTime('2026-11-29T13:05:00Z')).toBe('14 h 05');
    expect(formatTime('2026-07-14T07:00:00Z')).toBe('09 h 00'); // summer time, UTC+2
    expect(formatDateTime('2026-11-29T13:05:00Z')).toBe('29 nov. 2026 à 14 h 05');
  });

  it('gives today in Paris', () => {
    expect(parisToday(new Date('2026-11-29T23:30:00Z'))).toBe('2026-11-30');
    expect(parisToday(new Date('2026-11-29T10:00:00Z'))).toBe('2026-11-29');
  });

  it('says how far a due date is', () => {
    expect(dueInWords('2026-11-26', '2026-11-29')).toBe('en retard de 3 jours');
    expect(dueInWords('2026-11-28', '2026-11-29')).toBe('en retard d’un jour');
    expect(dueInWords('2026-11-29', '2026-11-29')).toBe('aujourd’hui');
    expect(dueInWords('2026-11-30', '2026-11-29')).toBe('demain');
    expect(dueInWords('2026-12-09', '2026-11-29')).toBe('dans 10 jours');
  });

  it('formats sizes and plurals', () => {
    expect(formatSize(12)).toBe('12 octets');
    expect(formatSize(340_000)).toBe('340 ko');
    expect(formatSize(1_234_567)).toBe('1,2 Mo');
    expect(plural(1, 'demande')).toBe('1 demande');
    expect(plural(3, 'demande')).toBe('3 demandes');
  });
});
