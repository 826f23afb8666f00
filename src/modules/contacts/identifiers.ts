// French organisation identifiers: SIREN (company, 9 digits), SIRET (establishment, 14 digits) and RNA
// (associations register, W + 9 digits). A checksum catches most typing mistakes before they reach a
// letter or a duplicate check.

/** Removes the spaces, dots and dashes people type inside identifiers (`732 829 320`). */
export function compactIdentifier(raw: string): string {
  return raw.replace(/[\s.\-]/g, '').toUpperCase();
}

/** Luhn checksum over a string of digits (the rule INSEE uses for SIREN and SIRET). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnValid(value);
}

// La Poste (SIREN 356000000) numbered its thousands of establishments before the rule was enforced: its
// SIRETs satisfy "sum of the digits is a multiple of 5" instead of the Luhn checksum.
const LA_POSTE_SIREN = '356000000';

function digitSum(digits: string): number {
  let sum = 0;
  for (const c of digits) sum += c.charCodeAt(0) - 48;
  return sum;
}

export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (luhnValid(value)) return true;
  return value.startsWith(LA_POSTE_SIREN) && digitSum(value) % 5 === 0;
}

export function isValidRna(value: string): boolean {
  return /^W\d{9}$/.test(value);
}

export const IDENTIFIER_MESSAGES = {
  siret: 'SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (vérifiez la saisie).',
  siren: 'SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle (vérifiez la saisie).',
  sirenMismatch: 'Le SIREN doit correspondre aux 9 premiers chiffres du SIRET.',
  rna: 'Numéro RNA invalide : la lettre W suivie de 9 chiffres.',
} as const;
