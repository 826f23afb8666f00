// Email addresses are compared as stored: lower case, trimmed. Channels (incoming mail) reuse this so
// that a sender is matched to the contact whatever case the mail client used.

// Deliberately simple: one @, a dot in the domain, no spaces. Exotic-but-legal addresses are rarer here
// than typos, and the bounce handling flags the addresses that do not work (failing_since).
const EMAIL_RE = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/;

/** `Marie.Dupont@Example.FR ` → `marie.dupont@example.fr`; null when it cannot be an address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_RE.test(email) || email.includes('..')) return null;
  return email;
}
