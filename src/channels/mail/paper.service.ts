// Paper originals: where each one is kept, when it may be destroyed or must go to the archives (the
// topic's retention rule, counted from the case's closing), and the signed lists that record it.
// Nothing a case still needs is disposed of: an open (or reopened) case refuses the list.
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import type { Sql, Tx } from '../../platform/db/database.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { newPdf, pdfToBuffer } from './pdf-doc.ts';
import { frenchLongDate } from './letter-layout.ts';

export type DisposalAction = 'destroy' | 'archive';

const PAPER_SELECT = `
  SELECT l.id, l.chrono, l.received_at AS "receivedAt", l.subject, l.paper_location AS "paperLocation",
         l.paper_disposal AS "paperDisposal", c.reference AS "caseReference", c.status AS "caseStatus", c.closed_at AS "closedAt",
         t.retention_years AS "retentionYears", t.retention_action AS "retentionAction",
         (c.closed_at + make_interval(years => t.retention_years))::date AS "disposalDue"
    FROM mail_letters l LEFT JOIN cases c ON c.id = l.case_id LEFT JOIN topics t ON t.id = c.topic_id`;

/** Originals whose retention has run out (case closed long enough), by action. */
export async function listPaperDue(sql: Sql, actor: Actor, action: DisposalAction) {
  authorize(actor, 'mail.paper');
  const { rows } = await sql.query(
    `${PAPER_SELECT}
      WHERE l.direction = 'in' AND l.paper_disposal IS NULL AND c.status = 'closed' AND t.retention_action = $1
        AND c.closed_at + make_interval(years => t.retention_years) <= now()
      ORDER BY l.received_at LIMIT 1000`,
    [action],
  );
  return { items: rows };
}

/** Why this original may not be disposed of now (French), or null. */
function refusal(l: any, action: DisposalAction): string | null {
  if (l.paperDisposal) return `${l.chrono} : l’original n’est plus conservé.`;
  if (!l.caseReference) return `${l.chrono} : courrier non qualifié, rattaché à aucune demande.`;
  if (l.caseStatus !== 'closed') return `${l.chrono} : la demande ${l.caseReference} est encore ouverte.`;
  if (l.retentionAction !== action) return `${l.chrono} : la règle de conservation prévoit ${l.retentionAction === 'archive' ? 'un versement aux archives' : 'une destruction'}.`;
  if (new Date(`${l.disposalDue}T00:00:00Z`) > new Date()) return `${l.chrono} : à conserver jusqu’au ${frenchLongDate(l.disposalDue)}.`;
  return null;
}

async function lockLetters(tx: Tx, ids: string[]) {
  const { rows } = await tx.query(`${PAPER_SELECT} WHERE l.id = ANY($1::uuid[]) AND l.direction = 'in' ORDER BY l.chrono FOR UPDATE OF l`, [ids]);
  if (rows.length !== new Set(ids).size) throw new Invalid({ letterIds: 'Certains courriers sont introuvables.' });
  return rows;
}

export async function createDisposalList(rt: Runtime, actor: Actor, input: { action: DisposalAction; letterIds: string[] }) {
  authorize(actor, 'mail.paper');
  if (!input.letterIds.length) throw new Invalid({ letterIds: 'Choisissez au moins un courrier.' });
  if (input.letterIds.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) throw new Invalid({ letterIds: 'Identifiant de courrier invalide.' });
  return rt.db.tx(async (tx) => {
    const letters = await lockLetters(tx, input.letterIds);
    const refused = letters.map((l) => refusal(l, input.action)).filter(Boolean);
    if (refused.length) throw new Conflict(`Liste refusée : ${refused.join(' ; ')}`, 'disposal_refused');
    const pdf = await disposalListPdf(rt, input.action, letters);
    const file = await rt.files.put(tx, pdf, { declaredType: 'application/pdf', allowed: ['application/pdf'] });
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO mail_disposal_lists (action, letter_ids, sha256, created_by_type, created_by_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [input.action, letters.map((l) => l.id), file.sha256, actor.kind, actor.id],
    );
    tx.audit({ actor, action: 'mail.paper.list', objectType: 'mail_disposal_list', objectId: rows[0].id, after: { action: input.action, letters: letters.map((l) => l.chrono) } });
    return { id: rows[0].id, action: input.action, count: letters.length, sha256: file.sha256 };
  });
}

/** The signed list came back: the originals are recorded as destroyed (or handed to the archives). */
export async function confirmDisposalList(rt: Runtime, actor: Actor, id: string) {
  authorize(actor, 'mail.paper');
  return rt.db.tx(async (tx) => {
    const { rows } = await tx.query(`SELECT id, action, letter_ids AS "letterIds", confirmed_at AS "confirmedAt" FROM mail_disposal_lists WHERE id = $1 FOR UPDATE`, [id]);
    const list = rows[0];
    if (!list) throw new NotFound('Liste introuvable.');
    if (list.confirmedAt) throw new Conflict('Cette liste est déjà confirmée.', 'already_confirmed');
    const letters = await lockLetters(tx, list.letterIds);
    const refused = letters.map((l) => refusal(l, list.action)).filter(Boolean);
    if (refused.length) throw new Conflict(`Confirmation refusée : ${refused.join(' ; ')}`, 'disposal_refused');
    const disposal = list.action === 'destroy' ? 'destroyed' : 'archived';
    await tx.query(
      `UPDATE mail_letters SET paper_disposal = $2, paper_disposed_at = now(), disposal_list_id = $3, status = 'archived', archived_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [list.letterIds, disposal, id],
    );
    await tx.query(`UPDATE mail_disposal_lists SET confirmed_at = now() WHERE id = $1`, [id]);
    for (const l of letters) tx.audit({ actor, action: `mail.paper.${disposal}`, objectType: 'mail_letter', objectId: l.id, before: { location: l.paperLocation }, after: { disposal, listId: id, status: 'archived' } });
    return { id, confirmed: letters.length };
  });
}

export async function disposalListFile(sql: Sql, actor: Actor, id: string): Promise<string> {
  authorize(actor, 'mail.paper');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFound('Liste introuvable.');
  const { rows } = await sql.query<{ sha256: string }>(`SELECT sha256 FROM mail_disposal_lists WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Liste introuvable.');
  return rows[0].sha256;
}

async function disposalListPdf(rt: Runtime, action: DisposalAction, letters: any[]): Promise<Buffer> {
  const title = action === 'destroy' ? 'Bordereau d’élimination de courriers originaux' : 'Bordereau de versement aux archives';
  const doc = newPdf({ title });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('bold').fontSize(13).text(rt.config.mail.letterhead.name).moveDown(0.5).fontSize(15).text(title, { align: 'center' });
  doc.font('regular').fontSize(9).moveDown(0.5).text(`Établi le ${frenchLongDate(new Date())} — ${letters.length} original(aux). Les demandes correspondantes sont clôturées et leur durée de conservation est échue.`, { width });
  doc.moveDown(1);
  const cols = [left, left + 90, left + 160, left + 340, left + 410];
  const header = ['Courrier', 'Reçu le', 'Objet', 'Demande', 'Emplacement'];
  doc.font('bold');
  header.forEach((h, i) => doc.text(h, cols[i], doc.y, { width: (cols[i + 1] ?? left + width) - cols[i] - 4, continued: false, lineBreak: false }));
  doc.font('regular').moveDown(1);
  for (const l of letters) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    const y = doc.y;
    const cells = [l.chrono, new Date(l.receivedAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }), String(l.subject ?? '').slice(0, 60), l.caseReference ?? '', l.paperLocation ?? '—'];
    let maxY = y;
    cells.forEach((c, i) => {
      doc.text(c, cols[i], y, { width: (cols[i + 1] ?? left + width) - cols[i] - 4 });
      maxY = Math.max(maxY, doc.y);
    });
    doc.y = maxY + 3;
  }
  doc.moveDown(2).fontSize(10);
  doc.text('Visa du responsable du bureau du courrier :', left).moveDown(3);
  doc.text(action === 'destroy' ? 'Visa du directeur des archives départementales (autorisation d’élimination) :' : 'Pris en charge par les archives départementales le :', left).moveDown(3);
  doc.text('Date et signature :', left);
  return pdfToBuffer(doc);
}
