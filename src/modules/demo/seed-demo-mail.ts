// The demo département's mail register, written inside the demo seed's transaction (seed-demo.ts):
//  - the last days' scanned batches (from the scanners' hot folder), each letter registered under the
//    E chrono number the demo's letter already carries, with its PDF attached to its case (laid out here
//    with the letter fonts and a text layer: no OCR while seeding), its pages, text and paper location;
//  - acknowledgements of receipt for the latest mail requests (the real acknowledgement code, dated
//    when they were sent) and the outgoing replies (S numbers) with their PDFs and print days;
//  - this morning's and the previous day's letters still waiting for qualification, with the indexing
//    assistant's proposals (the real proposals service).
// Deterministic for a given seed and `now` (PRNG, fixed PDF creation dates).
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { systemActor } from '../../platform/actor.ts';
import { isBusinessDay, shiftDay } from '../../platform/calendar/calendar.ts';
import { formatPhoneForDisplay } from '../contacts/phone.ts';
import { newPdf, pdfToBuffer } from '../../channels/mail/pdf-doc.ts';
import { frenchLongDate, renderLetter } from '../../channels/mail/letter-layout.ts';
import { unitePdfs } from '../../channels/mail/poppler.ts';
import { separatorSheetPdf } from '../../channels/mail/separator.ts';
import { nextChrono } from '../../channels/mail/chrono.ts';
import { proposeFor } from '../../channels/mail/proposals.service.ts';
import { writeAcknowledgement } from '../../channels/mail/acknowledgement.ts';
import { Prng } from './prng.ts';
import { parisAt, parisDay, parisOffset } from './calendar-index.ts';
import { FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES } from './people.data.ts';
import { LOIRET_COMMUNES, STREET_NAMES } from './places.data.ts';

export interface DemoMailOptions {
  now?: Date;
  /** Business days (today included) of registered incoming letters (default 4). */
  days?: number;
  /** Business days (today included) of registered outgoing replies (default 3). */
  replyDays?: number;
  /** Days before `now` whose new mail requests get an acknowledgement of receipt (default 4). */
  acknowledgeDays?: number;
  seed?: number;
  log?: (msg: string) => void;
}

export interface DemoMailCounts {
  batches: number;
  registered: number;
  toQualify: number;
  replies: number;
  acknowledgements: number;
}

const MIN = 60_000;
const RECIPIENT = ['Monsieur le Président', 'Conseil départemental du Loiret', '15 rue Eugène Vignat', '45945 Orléans Cedex 9'];
const ANNEXES = ['Justificatif de domicile', 'Copie de la pièce d’identité', 'Dernier avis d’imposition', 'Relevé d’identité bancaire', 'Certificat médical', 'Attestation de la caisse d’allocations familiales', 'Photographies'];

interface Sender {
  lines: string[];
  name: string;
  city: string;
}

/** One letter as paper: its page-1 lines (as a text layer reads them) and its annexes. */
interface PaperLetter {
  sender: Sender;
  writtenAt: Date;
  subject: string;
  reference?: string;
  paragraphs: string[];
  annexes: string[];
}

interface Rendered {
  pdf: Buffer;
  pages: string[];
}

/** The letter as the sender wrote it, with a text layer; the page texts as the text layer gives them. */
async function renderIncoming(l: PaperLetter, createdAt: Date): Promise<Rendered> {
  const doc = newPdf({ title: l.subject, creationDate: createdAt });
  const left = 64;
  const width = doc.page.width - left * 2;
  const dateLine = `${l.sender.city}, le ${frenchLongDate(l.writtenAt)}`;
  doc.fontSize(10.5).text(l.sender.lines.join('\n'), left, 60, { width: 240 });
  doc.text(RECIPIENT.join('\n'), 320, 150, { width: 220 });
  doc.text(dateLine, 320, 230, { width: 220 });
  doc.moveDown(2).font('bold').text(`Objet : ${l.subject}`, left, undefined, { width });
  if (l.reference) doc.font('regular').text(`Réf. : ${l.reference}`, left, undefined, { width });
  doc.font('regular').moveDown(1.2);
  for (const p of l.paragraphs) doc.text(p, left, undefined, { width, align: 'justify' }).moveDown(0.7);
  const page1 = [...l.sender.lines, '', ...RECIPIENT, '', dateLine, '', `Objet : ${l.subject}`, ...(l.reference ? [`Réf. : ${l.reference}`] : []), '', l.paragraphs.join('\n\n')].join('\n');
  const pages = [page1];
  for (const [i, title] of l.annexes.entries()) {
    doc.addPage();
    const head = `Pièce jointe n° ${i + 1} : ${title}`;
    const note = `Copie jointe au courrier de ${l.sender.name} du ${frenchLongDate(l.writtenAt)}.`;
    doc.font('bold').fontSize(12).text(head, left, 70, { width }).font('regular').fontSize(10).text(note, left, undefined, { width });
    doc.rect(left, 130, width, 420).lineWidth(0.5).strokeColor('#888888').stroke().strokeColor('#000000');
    doc.fontSize(9).fillColor('#666666').text('[document photocopié]', left, 330, { width, align: 'center' }).fillColor('#000000');
    pages.push(`${head}\n${note}\n[document photocopié]`);
  }
  return { pdf: await pdfToBuffer(doc), pages };
}

/** « 0912 »: the Paris wall-clock time of an instant, as scanners name their files. */
function hhmm(ms: number) {
  return new Date(ms + parisOffset(ms) * 3_600_000).toISOString().slice(11, 16).replace(':', '');
}

function upper(s: string) {
  return s.toLocaleUpperCase('fr-FR');
}

interface ContactRow {
  id: string;
  kind: string;
  orgType: string | null;
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  siret: string | null;
  line1: string | null;
  line2: string | null;
  postcode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
}

function senderOf(c: Partial<ContactRow> & { displayName: string }, opts: { email?: boolean; phone?: boolean } = {}): Sender {
  const lines: string[] = [];
  if (c.kind === 'organisation') {
    lines.push(c.orgType === 'commune' ? `Mairie de ${c.city ?? c.displayName.replace(/^Commune d(e |')/, '')}` : c.displayName);
  } else {
    const civ = c.civility === 'Mme' ? 'Madame' : c.civility === 'M.' ? 'Monsieur' : '';
    lines.push([civ, c.firstName, c.lastName ? upper(c.lastName) : null].filter(Boolean).join(' ') || c.displayName);
  }
  if (c.line1) lines.push(c.line1);
  if (c.line2) lines.push(c.line2);
  if (c.postcode) lines.push(`${c.postcode} ${c.city}`);
  if (c.siret) lines.push(`SIRET ${c.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4')}`);
  if (opts.email && c.email) lines.push(c.email);
  if (opts.phone && c.phone) lines.push(`Tél. ${formatPhoneForDisplay(c.phone)}`);
  return { lines, name: c.displayName, city: c.city ?? 'Orléans' };
}

/** A Paris instant on the latest business day, at `minutes` after midnight, not after `latest`. */
function businessSlot(latest: number, minutes: number): Date {
  let day = parisDay(latest);
  for (let i = 0; i < 30; i++, day = shiftDay(day, -1)) {
    if (isBusinessDay(day) && parisAt(day, minutes) <= latest) return new Date(parisAt(day, minutes));
  }
  return new Date(latest);
}

/** Midnight (Paris) of the `n`-th business day back from `now`'s day, that day counting as the first if it is one. */
function businessDaysBack(now: number, n: number): number {
  let day = parisDay(now);
  for (let found = 0, i = 0; i < 60; i++, day = shiftDay(day, -1)) {
    if (isBusinessDay(day) && ++found >= n) break;
  }
  return parisAt(day, 0);
}

const some = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export async function seedDemoMail(rt: Runtime, tx: Tx, opts: DemoMailOptions = {}): Promise<DemoMailCounts> {
  const log = opts.log ?? (() => {});
  const now = (opts.now ?? new Date()).getTime();
  const rng = new Prng(opts.seed ?? 4507);
  const since = new Date(businessDaysBack(now, opts.days ?? 4));
  const repliesSince = businessDaysBack(now, opts.replyDays ?? 3);
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-demo-mail-'));
  try {
    const separator = path.join(work, 'separateur.pdf');
    await fsp.writeFile(separator, await separatorSheetPdf());
    const store = async (pdf: Buffer) => (await rt.files.put(tx, pdf, { declaredType: 'application/pdf' })).sha256;

    // -- 1. the letters the demo's cases already carry, over the last days ------------------------------
    const { rows: letters } = await tx.query(
      `SELECT i.id, i.case_id AS "caseId", i.contact_id AS "contactId", i.direction, i.occurred_at AS at, i.subject, i.body,
              i.metadata, i.author_type AS "authorType", i.author_id AS "authorId",
              c.reference, c.status, c.channel, c.topic_id AS "topicId", c.created_at AS "caseCreatedAt",
              coalesce(c.answered_at, c.closed_at) AS "answeredAt", u.name AS "unitName", u.phone AS "unitPhone", u.email AS "unitEmail",
              ct.kind, ct.org_type AS "orgType", ct.civility, ct.first_name AS "firstName", ct.last_name AS "lastName",
              coalesce(ct.display_name, 'Madame, Monsieur') AS "displayName", ct.siret, a.line1, a.line2, a.postcode, a.city,
              (SELECT count(*)::int FROM interactions x WHERE x.case_id = i.case_id) AS "caseInteractions",
              t.acknowledge
         FROM interactions i JOIN cases c ON c.id = i.case_id
         LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN topics t ON t.id = c.topic_id
         LEFT JOIN contacts ct ON ct.id = c.contact_id
         LEFT JOIN LATERAL (SELECT line1, line2, postcode, city FROM contact_addresses WHERE contact_id = ct.id ORDER BY is_primary DESC, created_at LIMIT 1) a ON true
        WHERE i.kind = 'letter' AND i.metadata ? 'chrono' AND i.occurred_at >= $1 AND i.occurred_at <= $2
        ORDER BY i.occurred_at, i.id`,
      [since, new Date(now)],
    );
    const incoming = letters.filter((l) => l.direction === 'inbound');
    const outgoing = letters.filter((l) => l.direction === 'outbound' && l.at.getTime() >= repliesSince);

    // the scanners' batches: one per day, a little before the first letter of the day was qualified
    const byDay = new Map<string, any[]>();
    for (const l of incoming) {
      const d = parisDay(l.at.getTime());
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d)!.push(l);
    }
    let batches = 0;
    const registered: Array<{ letterId: string; row: any; receivedAt: Date }> = [];
    for (const [day, list] of byDay) {
      const scannedAt = new Date(Math.max(parisAt(day, 8 * 60 + 10), list[0].at.getTime() - rng.int(15, 45) * MIN));
      const files: Array<{ sha: string; pages: string[] }> = [];
      for (const l of list) {
        const meta = l.metadata ?? {};
        const first = l.at.getTime() - l.caseCreatedAt.getTime() < MIN;
        const pageCount = Math.min(3, Math.max(1, Number(meta.pages) || 1));
        const body = String(l.body ?? '').split(/\n\s*\n/).map((p: string) => p.trim()).filter(Boolean);
        if (!/^(Madame|Monsieur)/.test(body[0] ?? '')) body.unshift('Madame, Monsieur,');
        if (!first) body.push('Je vous prie d’agréer, Madame, Monsieur, l’expression de mes salutations distinguées.', l.displayName);
        const paper: PaperLetter = {
          sender: senderOf(l), writtenAt: new Date(l.at.getTime() - rng.int(1, 4) * 86_400_000), subject: l.subject ?? 'Demande',
          reference: first ? undefined : l.reference, paragraphs: body,
          annexes: Array.from({ length: pageCount - 1 }, (_, k) => ANNEXES[(k + rng.int(0, ANNEXES.length - 1)) % ANNEXES.length]),
        };
        const r = await renderIncoming(paper, scannedAt);
        files.push({ sha: await store(r.pdf), pages: r.pages });
      }
      const batchPdf = await unitePdfs(files.flatMap((f, i) => [...(i ? [separator] : []), rt.files.pathOf(f.sha)]));
      const batchSha = await store(batchPdf);
      const pagesTotal = files.reduce((n, f) => n + f.pages.length, 0);
      const { rows: b } = await tx.query<{ id: string }>(
        `INSERT INTO mail_batches (source, filename, sha256, mime_type, size, status, pages_total, pages_scanned, pages_done, letters_count, separators,
                                   created_by_type, created_by_id, created_at, updated_at, finished_at)
         VALUES ('watch', $1, $2, 'application/pdf', $3, 'done', $4, $5, $4, $6, $7, 'system', NULL, $8, $9, $9) RETURNING id`,
        [`SCAN_${day.replaceAll('-', '')}_${hhmm(scannedAt.getTime())}.pdf`,
          batchSha, batchPdf.length, pagesTotal, pagesTotal + list.length - 1, list.length, list.length - 1, scannedAt, new Date(scannedAt.getTime() + 3 * MIN)],
      );
      batches++;
      let batchPage = 0;
      for (const [pos, l] of list.entries()) {
        const f = files[pos];
        const readAt = new Date(Math.min(scannedAt.getTime() + 2 * MIN, l.at.getTime()));
        const answered = l.answeredAt && l.answeredAt.getTime() <= now && ['answered', 'closed'].includes(l.status);
        const { rows: ins } = await tx.query<{ id: string }>(
          `INSERT INTO mail_letters (chrono, direction, batch_id, batch_position, sha256, page_count, status, received_at, text_extracted_at, to_qualify_at,
                                     routed_at, answered_at, text, text_source, proposals, subject, case_id, interaction_id, topic_id, contact_id,
                                     paper_location, created_by_type, created_at, updated_at)
           VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, 'pdf_text', '{}', $12, $13, $14, $15, $16, $17, 'system', $7, $9) RETURNING id`,
          [l.metadata.chrono, b[0].id, pos, f.sha, f.pages.length, answered ? 'answered' : 'routed', scannedAt, readAt, l.at, answered ? l.answeredAt : null,
            f.pages.join('\n\n'), l.subject, l.caseId, l.id, l.topicId, l.contactId, `Boîte ${day}, étagère ${String.fromCharCode(65 + (batches % 6))}`],
        );
        for (const [p, text] of f.pages.entries()) {
          await tx.query(
            `INSERT INTO mail_pages (letter_id, position, batch_page, status, source, text, confidence, done_at) VALUES ($1, $2, $3, 'done', 'pdf_text', $4, 100, $5)`,
            [ins[0].id, p, batchPage + p + 1, text, readAt],
          );
        }
        batchPage += f.pages.length + 1; // and the separator sheet
        await tx.query(
          `INSERT INTO interaction_attachments (interaction_id, sha256, filename, mime_type, size, position)
           SELECT $1, sha256, $2, mime_type, size, 0 FROM files WHERE sha256 = $3`,
          [l.id, `courrier-${l.metadata.chrono}.pdf`, f.sha],
        );
        await tx.query(`UPDATE interactions SET metadata = metadata || $2::jsonb WHERE id = $1`, [l.id, JSON.stringify({ letterId: ins[0].id, pages: f.pages.length })]);
        registered.push({ letterId: ins[0].id, row: l, receivedAt: scannedAt });
      }
    }

    // -- 2. acknowledgements of the latest new mail requests (at most 5 exchanges per case, as the demo) ----
    const ackSince = now - (opts.acknowledgeDays ?? 4) * 86_400_000;
    let acknowledgements = 0;
    for (const r of registered) {
      const l = r.row;
      const created = l.channel === 'mail' && l.at.getTime() - l.caseCreatedAt.getTime() < MIN;
      if (!created || !l.acknowledge || l.caseInteractions >= 5 || l.at.getTime() < ackSince || l.status === 'new') continue;
      const at = new Date(Math.min(now - MIN, l.at.getTime() + rng.int(5, 40) * MIN));
      await writeAcknowledgement(rt, tx, r.letterId, at);
      acknowledgements++;
    }

    // -- 3. the outgoing replies by letter: their PDFs, S numbers already given, printed that day ------------
    const lh = rt.config.mail.letterhead;
    let replies = 0;
    for (const l of outgoing) {
      const chrono = l.metadata.chrono as string;
      const recipient = [l.displayName, l.line1, l.line2, l.postcode ? `${l.postcode} ${upper(l.city ?? '')}` : null].filter(Boolean) as string[];
      const paragraphs = String(l.body ?? '').split(/\n\s*\n/).map((p: string) => p.trim()).filter(Boolean);
      const pdf = await renderLetter(lh, {
        title: l.subject ?? 'Courrier', chrono, caseReference: l.reference, date: `Le ${frenchLongDate(l.at)}`, recipient, subject: l.subject ?? `Votre demande ${l.reference}`,
        paragraphs, signature: [], createdAt: l.at,
        unit: l.unitName ? { name: l.unitName, address: [], phone: l.unitPhone ? formatPhoneForDisplay(l.unitPhone) : null, email: l.unitEmail } : null,
      });
      const sha = await store(pdf);
      const { rows: inReply } = await tx.query<{ id: string }>(
        `SELECT id FROM mail_letters WHERE case_id = $1 AND direction = 'in' AND received_at <= $2 ORDER BY received_at DESC LIMIT 1`,
        [l.caseId, l.at],
      );
      const { rows: ins } = await tx.query<{ id: string }>(
        `INSERT INTO mail_letters (chrono, direction, kind, sha256, page_count, status, received_at, routed_at, subject, case_id, interaction_id, in_reply_to,
                                   print_day, created_by_type, created_by_id, created_at, updated_at)
         VALUES ($1, 'out', 'reply', $2, 1, 'routed', $3, $3, $4, $5, $6, $7, $8, $9, $10, $3, $3) RETURNING id`,
        [chrono, sha, l.at, l.subject, l.caseId, l.id, inReply[0]?.id ?? null, parisDay(l.at.getTime()), l.authorType, l.authorId],
      );
      await tx.query(
        `INSERT INTO interaction_attachments (interaction_id, sha256, filename, mime_type, size, position)
         SELECT $1, sha256, $2, mime_type, size, 0 FROM files WHERE sha256 = $3`,
        [l.id, `courrier-${chrono}.pdf`, sha],
      );
      await tx.query(`UPDATE interactions SET metadata = metadata || $2::jsonb WHERE id = $1`, [l.id, JSON.stringify({ letterId: ins[0].id, printDay: parisDay(l.at.getTime()) })]);
      replies++;
    }

    // -- 4. letters waiting for qualification: this morning's batch and the end of the previous day's ---------
    const queued = await queuedLetters(tx, rng, now);
    // the previous business day's afternoon batch (its last letters), then the latest morning's
    const morning = businessSlot(now - 20 * MIN, 9 * 60 + 40);
    const groups = [
      { scannedAt: businessSlot(parisAt(parisDay(morning.getTime()), 0) - MIN, 16 * 60 + 20), list: queued.slice(queued.length - 3) },
      { scannedAt: morning, list: queued.slice(0, queued.length - 3) },
    ];
    let toQualify = 0;
    for (const { scannedAt, list } of groups) {
      const files: Array<{ sha: string; pages: string[]; paper: PaperLetter }> = [];
      for (const paper of list) {
        const r = await renderIncoming(paper, scannedAt);
        files.push({ sha: await store(r.pdf), pages: r.pages, paper });
      }
      const batchPdf = await unitePdfs(files.flatMap((f, i) => [...(i ? [separator] : []), rt.files.pathOf(f.sha)]));
      const pagesTotal = files.reduce((n, f) => n + f.pages.length, 0);
      const day = parisDay(scannedAt.getTime());
      const { rows: b } = await tx.query<{ id: string }>(
        `INSERT INTO mail_batches (source, filename, sha256, mime_type, size, status, pages_total, pages_scanned, pages_done, letters_count, separators,
                                   created_by_type, created_by_id, created_at, updated_at, finished_at)
         VALUES ('watch', $1, $2, 'application/pdf', $3, 'done', $4, $5, $4, $6, $7, 'system', NULL, $8, $9, $9) RETURNING id`,
        [`SCAN_${day.replaceAll('-', '')}_${hhmm(scannedAt.getTime())}.pdf`, await store(batchPdf), batchPdf.length, pagesTotal, pagesTotal + list.length - 1,
          list.length, list.length - 1, scannedAt, new Date(scannedAt.getTime() + 3 * MIN)],
      );
      let batchPage = 0;
      for (const [pos, f] of files.entries()) {
        const readAt = new Date(scannedAt.getTime() + 2 * MIN);
        const text = f.pages.join('\n\n');
        const proposals = await proposeFor(tx, text);
        const { rows: ins } = await tx.query<{ id: string }>(
          `INSERT INTO mail_letters (chrono, direction, batch_id, batch_position, sha256, page_count, status, received_at, text_extracted_at, to_qualify_at,
                                     text, text_source, proposals, subject, created_by_type, created_at, updated_at)
           VALUES ($1, 'in', $2, $3, $4, $5, 'to_qualify', $6, $7, $7, $8, 'pdf_text', $9, $10, 'system', $6, $7) RETURNING id`,
          [await nextChrono(tx, 'in', scannedAt), b[0].id, pos, f.sha, f.pages.length, scannedAt, readAt, text, JSON.stringify(proposals), proposals.subject?.value ?? f.paper.subject],
        );
        for (const [p, pageText] of f.pages.entries()) {
          await tx.query(
            `INSERT INTO mail_pages (letter_id, position, batch_page, status, source, text, confidence, done_at) VALUES ($1, $2, $3, 'done', 'pdf_text', $4, 100, $5)`,
            [ins[0].id, p, batchPage + p + 1, pageText, readAt],
          );
        }
        batchPage += f.pages.length + 1;
        toQualify++;
      }
      batches++;
    }

    const counts = { batches, registered: registered.length, toQualify, replies, acknowledgements };
    tx.audit({ actor: systemActor('données de démonstration'), action: 'demo.seed.mail', objectType: 'demo', objectId: null, after: counts });
    log(`registre du courrier : ${some(batches, 'lot numérisé', 'lots numérisés')}, ${some(registered.length, 'courrier enregistré et orienté', 'courriers enregistrés et orientés')}, ${toQualify} à qualifier, ${some(replies, 'réponse', 'réponses')} et ${some(acknowledgements, 'accusé', 'accusés')} de réception`);
    return counts;
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/** The letters waiting in the qualification queue: known senders (matched by e-mail, SIRET, name and postcode), new ones, a follow-up citing its reference. */
async function queuedLetters(tx: Tx, rng: Prng, now: number): Promise<PaperLetter[]> {
  const contacts = async (where: string, limit = 60) =>
    (
      await tx.query<ContactRow>(
        `SELECT c.id, c.kind, c.org_type AS "orgType", c.civility, c.first_name AS "firstName", c.last_name AS "lastName", c.display_name AS "displayName",
                c.siret, a.line1, a.line2, a.postcode, a.city,
                (SELECT e.email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY e.is_primary DESC, e.email LIMIT 1) AS email,
                (SELECT p.e164 FROM contact_phones p WHERE p.contact_id = c.id ORDER BY p.is_primary DESC, p.e164 LIMIT 1) AS phone
           FROM contacts c JOIN LATERAL (SELECT line1, line2, postcode, city FROM contact_addresses WHERE contact_id = c.id ORDER BY is_primary DESC, created_at LIMIT 1) a ON true
          WHERE c.merged_into IS NULL AND NOT c.to_check AND ${where} ORDER BY c.id LIMIT ${limit}`,
      )
    ).rows;
  const withEmail = await contacts(`c.kind = 'person' AND c.civility IS NOT NULL AND EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)`);
  const persons = await contacts(`c.kind = 'person' AND c.civility IS NOT NULL`);
  const assoc = await contacts(`c.org_type = 'association' AND c.siret IS NOT NULL`);
  const communes = await contacts(`c.org_type = 'commune'`);
  const { rows: open } = await tx.query(
    `SELECT c.reference, c.subject, ct.display_name AS "displayName", ct.kind, ct.civility, ct.first_name AS "firstName", ct.last_name AS "lastName", ct.org_type AS "orgType",
            a.line1, a.line2, a.postcode, a.city
       FROM cases c JOIN contacts ct ON ct.id = c.contact_id
       JOIN LATERAL (SELECT line1, line2, postcode, city FROM contact_addresses WHERE contact_id = ct.id ORDER BY is_primary DESC, created_at LIMIT 1) a ON true
      WHERE c.status IN ('assigned', 'in_progress', 'waiting_on_contact') AND NOT c.sensitive AND ct.kind = 'person' AND c.channel <> 'mail'
      ORDER BY c.reference DESC LIMIT 40`,
  );
  const stranger = (): Sender & { female: boolean } => {
    const female = rng.chance(0.5);
    const first = rng.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M);
    const last = rng.pick(LAST_NAMES);
    const commune = rng.pick(LOIRET_COMMUNES);
    return {
      female, name: `${first} ${last}`, city: commune.name,
      lines: [`${female ? 'Madame' : 'Monsieur'} ${first} ${upper(last)}`, `${rng.int(1, 60)} ${rng.pick(STREET_NAMES)}`, `${commune.postcode} ${commune.name}`],
    };
  };
  const written = (d: number) => new Date(now - d * 86_400_000);
  const close = 'Je vous prie d’agréer, Monsieur le Président, l’expression de mes salutations distinguées.';
  const out: PaperLetter[] = [];

  const apa = rng.pick(withEmail);
  out.push({
    sender: senderOf(apa, { email: true }), writtenAt: written(3), subject: 'Demande d’allocation personnalisée d’autonomie pour ma mère', annexes: ['Certificat médical', 'Dernier avis d’imposition'],
    paragraphs: ['Monsieur le Président,', 'Ma mère, âgée de 88 ans, vit seule à son domicile et ne peut plus assurer seule sa toilette ni ses repas depuis une chute en octobre. Je sollicite pour elle l’allocation personnalisée d’autonomie à domicile.', 'Vous trouverez ci-joints le certificat médical de son médecin traitant et son dernier avis d’imposition. Je reste joignable à l’adresse électronique ci-dessus pour convenir de la visite d’évaluation.', close, apa.displayName],
  });
  const parent = stranger();
  out.push({
    sender: parent, writtenAt: written(4), subject: 'Inscription de mon fils au transport scolaire', annexes: ['Justificatif de domicile'],
    paragraphs: ['Madame, Monsieur,', 'Nous venons d’emménager et notre fils Lucas entre en classe de sixième au collège de notre secteur après les vacances. Nous souhaitons l’inscrire au transport scolaire pour le trajet quotidien entre notre domicile et le collège.', 'Pourriez-vous nous indiquer l’arrêt le plus proche et nous faire parvenir le formulaire d’inscription ?', 'Je vous prie d’agréer, Madame, Monsieur, l’expression de mes salutations distinguées.', parent.name],
  });
  const club = rng.pick(assoc);
  out.push({
    sender: senderOf(club), writtenAt: written(5), subject: 'Demande de subvention de fonctionnement pour la saison 2026-2027', annexes: ['Relevé d’identité bancaire'],
    paragraphs: ['Monsieur le Président,', `Au nom du bureau de l’association ${club.displayName}, j’ai l’honneur de solliciter une subvention de fonctionnement du Département pour la saison 2026-2027.`, 'Notre association compte cette année 140 adhérents, dont une majorité de jeunes de moins de 18 ans, et organise deux manifestations ouvertes au public. Vous trouverez ci-joints notre budget prévisionnel, le compte rendu de notre dernière assemblée générale et notre relevé d’identité bancaire.', close, 'Le président de l’association'],
  });
  const follow = open.length ? rng.pick(open) : null;
  if (follow) {
    out.push({
      sender: senderOf(follow), writtenAt: written(2), subject: `Complément à ma demande : ${follow.subject}`, reference: follow.reference, annexes: [],
      paragraphs: ['Madame, Monsieur,', `Suite à mon appel, je vous adresse les informations complémentaires concernant ma demande enregistrée sous la référence ${follow.reference}. Je n’ai pas eu de nouvelles depuis et je souhaiterais connaître l’état d’avancement de mon dossier.`, 'Je vous remercie par avance de votre réponse.', 'Veuillez agréer, Madame, Monsieur, mes salutations distinguées.', follow.displayName],
    });
  }
  const mayor = rng.pick(communes);
  const road = LOIRET_COMMUNES.find((c) => c.name === mayor.city)?.roads[0] ?? 'RD 951';
  out.push({
    sender: senderOf(mayor, { phone: true }), writtenAt: written(2), subject: `Dégradation de la chaussée de la ${road} en agglomération`, annexes: ['Photographies'],
    paragraphs: ['Monsieur le Président,', `Je me permets d’attirer votre attention sur l’état de la ${road} dans la traversée de notre commune : plusieurs nids-de-poule se sont formés depuis les pluies de novembre à proximité de l’école, et les accotements sont affaissés.`, 'Les riverains s’inquiètent pour la sécurité des enfants et des cyclistes. Je vous serais reconnaissant de bien vouloir faire intervenir les services des routes dans les meilleurs délais.', 'Je vous prie d’agréer, Monsieur le Président, l’expression de ma haute considération.', 'Le Maire'],
  });
  const cmi = stranger();
  out.push({
    sender: { ...cmi, lines: [...cmi.lines, `Tél. 06 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`] }, writtenAt: written(3), subject: 'Renouvellement de ma carte mobilité inclusion', annexes: [],
    paragraphs: ['Madame, Monsieur,', 'Ma carte mobilité inclusion mention stationnement arrive à échéance à la fin du mois de janvier. Je souhaite en demander le renouvellement et je ne sais pas quel formulaire utiliser.', 'Pouvez-vous me l’envoyer par la poste ? Je n’ai pas d’ordinateur.', 'Avec mes remerciements, veuillez recevoir mes salutations distinguées.', cmi.name],
  });
  const known = rng.pick(persons);
  out.push({
    sender: senderOf(known), writtenAt: written(4), subject: 'Aide à la demi-pension au collège pour ma fille', annexes: ['Attestation de la caisse d’allocations familiales'],
    paragraphs: ['Madame, Monsieur,', 'Ma fille est demi-pensionnaire au collège depuis la rentrée. Ma situation a changé (perte d’emploi en septembre) et je voudrais savoir si je peux bénéficier de l’aide départementale à la demi-pension.', 'Je joins mon attestation de quotient familial de la caisse d’allocations familiales.', 'Je vous prie de croire, Madame, Monsieur, à mes sentiments les meilleurs.', known.displayName],
  });
  // the previous day's afternoon batch
  const genealogist = stranger();
  out.push({
    sender: genealogist, writtenAt: written(6), subject: 'Recherche généalogique : acte de naissance de mon arrière-grand-père', annexes: [],
    paragraphs: ['Madame, Monsieur,', 'Je recherche l’acte de naissance de mon arrière-grand-père, Eugène Marchand, né vers 1878 à Beaugency. Pourriez-vous m’indiquer si les registres de cette commune sont consultables aux Archives départementales et comment en obtenir une copie ?', 'Avec mes remerciements anticipés, veuillez agréer mes salutations distinguées.', genealogist.name],
  });
  const carteGrise = stranger();
  out.push({
    sender: carteGrise, writtenAt: written(5), subject: 'Changement d’adresse sur ma carte grise', annexes: [],
    paragraphs: ['Monsieur le Président,', 'J’ai déménagé en octobre et je dois faire modifier l’adresse figurant sur le certificat d’immatriculation de mon véhicule. Pouvez-vous me dire à quel service m’adresser ?', 'Veuillez agréer, Monsieur le Président, mes salutations respectueuses.', carteGrise.name],
  });
  const complaint = rng.pick(withEmail.filter((c) => c.id !== apa.id));
  out.push({
    sender: senderOf(complaint, { email: true, phone: true }), writtenAt: written(3), subject: 'Réclamation : aucune réponse à mes appels', annexes: [],
    paragraphs: ['Madame, Monsieur,', 'J’ai appelé à trois reprises le standard du Département la semaine dernière au sujet de mon dossier, sans obtenir de réponse ni de rappel, alors qu’on m’avait promis d’être recontacté sous 48 heures.', 'Je vous remercie de bien vouloir m’indiquer qui suit mon dossier.', 'Salutations distinguées.', complaint.displayName],
  });
  return out;
}
