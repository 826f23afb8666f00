// Phone numbers as one canonical value (E.164), whatever way they were typed, dictated or sent by the
// telephony system: duplicates, searches and caller identification (CTI) all compare these strings.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

const DEFAULT_COUNTRY: CountryCode = 'FR';
// Overseas departments and collectivities share the French national "0" dialling plan (0692 … is a
// Réunion mobile), but libphonenumber files them under their own regions.
const FRENCH_OVERSEAS: CountryCode[] = ['RE', 'YT', 'GP', 'MQ', 'GF', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF'];
// Digits and the separators people actually type; anything else (letters, "poste 12") is refused
// rather than guessed at.
const PHONE_CHARS = /^\+?[\d\s.\-/()]+$/;

function parseValid(raw: string, country: CountryCode): PhoneNumber | null {
  const parsed = parsePhoneNumberFromString(raw, country);
  return parsed?.isValid() ? parsed : null;
}

function parse(raw: string): PhoneNumber | null {
  const text = raw.trim();
  if (!text || text.length > 40 || !PHONE_CHARS.test(text)) return null;
  const found = parseValid(text, DEFAULT_COUNTRY);
  if (found || /^\s*(\+|00)/.test(text)) return found;
  for (const region of FRENCH_OVERSEAS) {
    const overseas = parseValid(text, region);
    if (overseas) return overseas;
  }
  return null;
}

/** `06 12 34 56 78`, `+33 6 12 34 56 78`, `0033 6 12 34 56 78`, `06.12.34.56.78` → `+33612345678`; null if not a valid number. */
export function normalizePhone(raw: string): string | null {
  return parse(raw)?.number ?? null;
}

/** How agents read a stored number: national format for French numbers (`06 12 34 56 78`), international otherwise. */
export function formatPhoneForDisplay(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  const french = parsed.country === DEFAULT_COUNTRY || FRENCH_OVERSEAS.includes(parsed.country as CountryCode);
  return french ? parsed.formatNational() : parsed.formatInternational();
}
