// Merging two records of the same person or organisation. Everything attached to the source (cases,
// interactions, emails, phones, addresses, links) moves to the target; the source stays, marked
// merged_into, so that old links and ids still lead somewhere and nothing is lost.
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { ensurePrimary, findContact, isUuid, listAddresses, listEmails, listOrganisationsOf, listPeopleOf, listPhones, type ContactRow } from './contacts.repository.ts';

export interface MergeInput {
  targetId: string;
  sourceId: string;
}

export interface MergeResult {
  targetId: string;
  sourceId: string;
  movedCaseIds: string[];
  movedInteractions: number;
}

/** Both rows locked FOR UPDATE, in id order (two crossed merges cannot deadlock). */
async function lockPair(tx: Tx, targetId: string, sourceId: string): Promise<{ target: ContactRow; source: ContactRow }> {
  const locked = new Map<string, ContactRow | null>();
  for (const id of [targetId, sourceId].sort()) locked.set(id, await findContact(tx, id, 'merge'));
  const target = locked.get(targetId);
  const source = locked.get(sourceId);
  if (!target) throw new NotFound('Usager introuvable.');
  if (!source) throw new Invalid({ sourceId: 'Usager à fusionner introuvable.' });
  return { target, source };
}

function checkMergeable(target: ContactRow, source: ContactRow): void {
  if (target.mergedInto) throw new Conflict('Cette fiche a déjà été fusionnée dans une autre : fusionnez dans la fiche conservée.', 'contact_merged');
  if (source.mergedInto) throw new Conflict('La fiche à fusionner a déjà été fusionnée.', 'contact_merged');
  if (target.kind !== source.kind) throw new Invalid({ sourceId: 'Impossible de fusionner une personne et une organisation.' });
}

async function snapshot(tx: Tx, c: ContactRow) {
  return {
    ...c,
    emails: await listEmails(tx, c.id),
    phones: await listPhones(tx, c.id),
    addresses: await listAddresses(tx, c.id),
    organisations: await listOrganisationsOf(tx, c.id),
    people: await listPeopleOf(tx, c.id),
  };
}

async function moveHistory(tx: Tx, targetId: string, sourceId: string) {
  const cases = await tx.query<{ id: string }>('UPDATE cases SET contact_id = $1 WHERE contact_id = $2 RETURNING id', [targetId, sourceId]);
  const interactions = await tx.query('UPDATE interactions SET contact_id = $1 WHERE contact_id = $2', [targetId, sourceId]);
  return { movedCaseIds: cases.rows.map((r) => r.id), movedInteractions: interactions.rowCount ?? 0 };
}

/** Emails and phones the target lacks move over (never as primary); those it already has are dropped. */
async function moveDetails(tx: Tx, targetId: string, sourceId: string) {
  for (const [table, column] of [['contact_emails', 'email'], ['contact_phones', 'e164']] as const) {
    await tx.query(
      `UPDATE ${table} s SET contact_id = $1, is_primary = false
        WHERE s.contact_id = $2 AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.contact_id = $1 AND t.${column} = s.${column})`,
      [targetId, sourceId],
    );
    await tx.query(`DELETE FROM ${table} WHERE contact_id = $1`, [sourceId]);
    await ensurePrimary(tx, table, targetId);
  }
  // the same address typed twice differs at most in case and spacing
  await tx.query(
    `UPDATE contact_addresses s SET contact_id = $1, is_primary = false
      WHERE s.contact_id = $2 AND NOT EXISTS (
        SELECT 1 FROM contact_addresses t WHERE t.contact_id = $1 AND t.postcode = s.postcode AND t.country = s.country
           AND lower(immutable_unaccent(t.line1)) = lower(immutable_unaccent(s.line1))
           AND lower(immutable_unaccent(coalesce(t.line2, ''))) = lower(immutable_unaccent(coalesce(s.line2, '')))
           AND lower(immutable_unaccent(t.city)) = lower(immutable_unaccent(s.city)))`,
    [targetId, sourceId],
  );
  await tx.query('DELETE FROM contact_addresses WHERE contact_id = $1', [sourceId]);
  await ensurePrimary(tx, 'contact_addresses', targetId);
}

async function moveLinks(tx: Tx, targetId: string, sourceId: string) {
  await tx.query(
    `INSERT INTO contact_links (person_id, organisation_id, role, confirmed, created_at)
     SELECT CASE WHEN person_id = $2 THEN $1::uuid ELSE person_id END,
            CASE WHEN organisation_id = $2 THEN $1::uuid ELSE organisation_id END,
            role, confirmed, created_at
       FROM contact_links
      WHERE (person_id = $2 AND organisation_id <> $1) OR (organisation_id = $2 AND person_id <> $1)
     ON CONFLICT DO NOTHING`,
    [targetId, sourceId],
  );
  await tx.query('DELETE FROM contact_links WHERE person_id = $1 OR organisation_id = $1', [sourceId]);
}

/**
 * Identity facts the target lacks are taken from the source (a SIRET, a birth date...); names are
 * not, as the agent chose the target's. Notes are kept side by side.
 */
async function completeTargetIdentity(tx: Tx, targetId: string, sourceId: string) {
  await tx.query(
    `UPDATE contacts t SET
        civility = coalesce(t.civility, s.civility), birth_date = coalesce(t.birth_date, s.birth_date),
        org_type = coalesce(t.org_type, s.org_type), siret = coalesce(t.siret, s.siret), siren = coalesce(t.siren, s.siren),
        rna = coalesce(t.rna, s.rna), insee_code = coalesce(t.insee_code, s.insee_code),
        notes = nullif(concat_ws(E'\\n\\n', t.notes, s.notes), ''), updated_at = now()
       FROM contacts s WHERE t.id = $1 AND s.id = $2`,
    [targetId, sourceId],
  );
}

async function retireSource(tx: Tx, targetId: string, sourceId: string) {
  await tx.query('UPDATE contacts SET merged_into = $1, updated_at = now() WHERE id = $2', [targetId, sourceId]);
  // contacts merged earlier into the source now point straight at the survivor
  await tx.query('UPDATE contacts SET merged_into = $1 WHERE merged_into = $2', [targetId, sourceId]);
}

/** Merges `sourceId` into `targetId`. Audited as 'contact.merge' with both records before, and after. */
export async function mergeContacts(db: Database, actor: Actor, input: MergeInput): Promise<MergeResult> {
  authorize(actor, 'contact.merge');
  if (!isUuid(input.targetId)) throw new NotFound('Usager introuvable.');
  if (!isUuid(input.sourceId)) throw new Invalid({ sourceId: 'Usager à fusionner introuvable.' });
  const [targetId, sourceId] = [input.targetId.toLowerCase(), input.sourceId.toLowerCase()];
  if (targetId === sourceId) throw new Invalid({ sourceId: 'Une fiche ne peut pas être fusionnée avec elle-même.' });
  return db.tx(async (tx) => {
    const { target, source } = await lockPair(tx, targetId, sourceId);
    checkMergeable(target, source);
    const before = { target: await snapshot(tx, target), source: await snapshot(tx, source) };
    const moved = await moveHistory(tx, target.id, source.id);
    await moveDetails(tx, target.id, source.id);
    await moveLinks(tx, target.id, source.id);
    await completeTargetIdentity(tx, target.id, source.id);
    await retireSource(tx, target.id, source.id);
    const after = { target: await snapshot(tx, (await findContact(tx, target.id))!), sourceId: source.id, mergedInto: target.id, ...moved };
    tx.audit({ actor, action: 'contact.merge', objectType: 'contact', objectId: target.id, before, after });
    return { targetId: target.id, sourceId: source.id, ...moved };
  });
}
