// Plausible French identifiers for demo contacts: SIREN/SIRET with a valid Luhn key, RNA numbers of
// the Loiret prefecture, and phone numbers in E.164.
import type { Prng } from './prng.ts';

/** The Luhn key that makes `digits + key` pass the checksum (INSEE's rule for SIREN and SIRET). */
export function luhnKey(digits: string): string {
  let sum = 0;
  // the key will sit at the rightmost position (index 0, not doubled): the digit next to it is doubled
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnKey(digits.slice(0, -1)) === digits.slice(-1);
}

/** A SIREN (9 digits, Luhn) starting with `prefix`, and the SIRET of its head office (NIC 0001x, Luhn). */
export function makeSiret(rng: Prng, prefix = ''): { siren: string; siret: string } {
  const body = prefix + rng.digits(8 - prefix.length);
  const siren = body + luhnKey(body);
  const nic = rng.chance(0.85) ? '0001' : '0002';
  const siretBody = siren + nic;
  return { siren, siret: siretBody + luhnKey(siretBody) };
}

/** RNA number of an association declared at the Loiret prefecture: W451 + 6 digits. */
export function makeRna(rng: Prng): string {
  return `W451${rng.digits(6)}`;
}

/** A French mobile number in E.164: +336… or +337… */
export function makeMobile(rng: Prng): string {
  return `+33${rng.chance(0.8) ? '6' : '7'}${rng.digits(8)}`;
}

/** A Loiret landline (02 38 …) in E.164. */
export function makeLandline(rng: Prng): string {
  return `+33238${rng.digits(6)}`;
}
