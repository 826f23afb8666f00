// Finding a contact from what an agent has at hand: part of a name (accents optional), an email, a
// phone number typed any way, a SIRET/SIREN or an RNA number. Merged contacts are never listed.
import type { Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { normalizePhone } from './phone.ts';
import { normalizeEmail } from './email.ts';
import { compactIdentifier } from './identifiers.ts';
import { isUuid, listItems, searchContactPositions, type SearchCriteria, type SearchPosition } from './contacts.repository.ts';
import type { ContactPage, SearchQuery } from './contacts.schema.ts';

const DEFAULT_LIMIT = 20;
const PHONE_LIKE = /^\+?[\d\s.\-/()]{6,}$/;

/** What the free text `q` looks like decides where it is searched. */
function criteriaFromText(q: string): SearchCriteria {
  if (q.includes('@')) return { email: normalizeEmail(q) ?? q.toLowerCase() };
  const compact = compactIdentifier(q);
  if (/^\d{14}$/.test(compact)) return { siret: compact };
  if (/^\d{9}$/.test(compact)) return { siren: compact };
  if (/^W\d{9}$/.test(compact)) return { rna: compact };
  const e164 = PHONE_LIKE.test(q) ? normalizePhone(q) : null;
  if (e164) return { e164 };
  // LIKE wildcards typed by someone are not wildcards to them
  const name = q.replace(/[%_\\]/g, ' ').replace(/\s+/g, ' ').trim();
  return name ? { name } : {};
}

function criteriaFrom(query: SearchQuery): SearchCriteria {
  const criteria: SearchCriteria = query.q?.trim() ? criteriaFromText(query.q.trim()) : {};
  if (query.email?.trim()) criteria.email = normalizeEmail(query.email) ?? query.email.trim().toLowerCase();
  if (query.phone?.trim()) {
    const e164 = normalizePhone(query.phone);
    if (!e164) throw new Invalid({ phone: 'Numéro de téléphone invalide.' });
    criteria.e164 = e164;
  }
  return criteria;
}

// The cursor is the position of the last item shown, opaque to clients.
function encodeCursor(p: SearchPosition): string {
  return Buffer.from(JSON.stringify([p.rank, p.nameKey, p.id])).toString('base64url');
}

function decodeCursor(cursor: string): SearchPosition {
  try {
    const [rank, nameKey, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(rank) && typeof nameKey === 'string' && isUuid(id)) return { rank, nameKey, id };
  } catch {
    /* reported below */
  }
  throw new Invalid({ cursor: 'Curseur de pagination invalide : relancez la recherche.' });
}

export async function searchContacts(sql: Sql, actor: Actor, query: SearchQuery): Promise<ContactPage> {
  authorize(actor, 'contact.read');
  const criteria = criteriaFrom(query);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const positions = await searchContactPositions(sql, criteria, after, limit + 1);
  const page = positions.slice(0, limit);
  return {
    items: await listItems(sql, page.map((p) => p.id)),
    nextCursor: positions.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}
