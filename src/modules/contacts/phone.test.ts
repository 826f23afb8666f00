import { describe, expect, it } from 'vitest';
import { formatPhoneForDisplay, normalizePhone } from './phone.ts';
import { normalizeEmail } from './email.ts';

describe('normalizePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['  +33612345678  ', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['01 23 45 67 89', '+33123456789'],
    ['0800 00 00 00', '+33800000000'],
    // overseas departments dial through the French national plan
    ['0692 12 34 56', '+262692123456'],
    ['0590 12 34 56', '+590590123456'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each(['', '   ', '12', '3631', '06 12 34', '06 12 34 56 78 9', '06 12 34 56 7a', 'abc', 'mon numéro', '+33 6 12', '00 00 00 00 00', '+999 123 456 789', '06 12 34 56 78 poste 12'])(
    'rejects %j',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );

  it('displays French numbers in the national format, others internationally', () => {
    expect(formatPhoneForDisplay('+33612345678')).toBe('06 12 34 56 78');
    expect(formatPhoneForDisplay('+262692123456')).toBe('0692 12 34 56');
    expect(formatPhoneForDisplay('+442079460958')).toBe('+44 20 7946 0958');
  });
});

describe('normalizeEmail', () => {
  it('stores addresses lower case and trimmed', () => {
    expect(normalizeEmail('  Marie.Dupont@Exemple.FR ')).toBe('marie.dupont@exemple.fr');
  });

  it.each(['', 'marie', 'marie@', '@exemple.fr', 'marie@exemple', 'marie dupont@exemple.fr', 'marie@@exemple.fr', 'marie..d@exemple.fr', 'marie@exemple.f'])(
    'rejects %j',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );
});
