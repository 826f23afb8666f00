import { describe, expect, it } from 'vitest';
import { compactIdentifier, isValidRna, isValidSiren, isValidSiret, luhnValid } from './identifiers.ts';

/** Appends the Luhn key to a base: how INSEE builds SIREN and SIRET numbers. */
function withLuhnKey(base: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(base + d)) return base + d;
  throw new Error('unreachable');
}

/** Changes one digit: the checksum must then fail. */
function oneDigitOff(valid: string, at = 3): string {
  const d = (Number(valid[at]) + 1) % 10;
  return valid.slice(0, at) + d + valid.slice(at + 1);
}

describe('SIREN', () => {
  it('accepts numbers whose Luhn checksum holds', () => {
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('123456782')).toBe(true);
    expect(isValidSiren(withLuhnKey('45123400'))).toBe(true);
  });

  it('refuses a typo, a wrong length and letters', () => {
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren(oneDigitOff('732829320'))).toBe(false);
    expect(isValidSiren('73282932')).toBe(false);
    expect(isValidSiren('7328293200')).toBe(false);
    expect(isValidSiren('73282932A')).toBe(false);
  });
});

describe('SIRET', () => {
  it('accepts numbers whose Luhn checksum holds', () => {
    expect(isValidSiret('22540000100015')).toBe(true);
    expect(isValidSiret('44293200000015')).toBe(true);
    expect(isValidSiret(withLuhnKey('7328293200007'))).toBe(true);
  });

  it('refuses a typo, a wrong length and letters', () => {
    expect(isValidSiret('22540000100016')).toBe(false);
    expect(isValidSiret(oneDigitOff('22540000100015', 10))).toBe(false);
    expect(isValidSiret('2254000010001')).toBe(false);
    expect(isValidSiret('2254000010001A')).toBe(false);
  });

  it('La Poste (SIREN 356000000): the digit sum must be a multiple of 5 instead', () => {
    expect(luhnValid('35600000049837')).toBe(false);
    expect(isValidSiret('35600000049837')).toBe(true); // digit sum 45
    expect(isValidSiret('35600000000001')).toBe(true); // digit sum 15
    expect(isValidSiret('35600000049838')).toBe(false); // digit sum 46
    expect(isValidSiret('35600000000048')).toBe(true); // the head office also satisfies Luhn
    // the exception belongs to La Poste only
    expect(isValidSiret('35600001000001')).toBe(luhnValid('35600001000001'));
  });
});

describe('RNA', () => {
  it('is W followed by 9 digits', () => {
    expect(isValidRna('W751234567')).toBe(true);
    expect(isValidRna('W75123456')).toBe(false);
    expect(isValidRna('W7512345678')).toBe(false);
    expect(isValidRna('X751234567')).toBe(false);
    expect(isValidRna('W75123456A')).toBe(false);
  });

  it('typed with spaces or in lower case, it is compacted before the check', () => {
    expect(compactIdentifier('w 751 234 567')).toBe('W751234567');
    expect(compactIdentifier('732 829 320 00074')).toBe('73282932000074');
  });
});
