// The demo's mail register, as `guichet seed --demo` leaves it (a smaller département than the default,
// on a real database): scanned batches with their raw files, registered letters attached to their
// cases, acknowledgements and replies with their PDFs, letters waiting in the qualification queue with
// proposals; the same letters, byte for byte, for the same seed and date.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { createRuntime, type Runtime } from '../../platform/runtime.ts';
import { pdfInfo, pdfPageTexts } from '../../channels/mail/poppler.ts';
import { seedDemo } from './seed-demo.ts';

// a Monday morning: this morning's batch is in the queue, the previous Friday's afternoon batch too
const NOW = new Date('2026-11-30T09:40:00Z');
const OPTIONS = { now: NOW, cases: 2500, persons: 500 };

async function demo(): Promise<{ rt: Runtime; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-demo-mail-'));
  const db = await createTestDatabase();
  const rt = await createRuntime(loadConfig({ GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent' }), { db, runMigrations: false, log: pino({ level: 'silent' }) });
  await seedDemo(rt, OPTIONS);
  return { rt, dir };
}

describe('demo mail register', () => {
  let rt: Runtime;
  let dir: string;
  const q = async <T = any>(text: string, params?: unknown[]) => (await rt.db.query(text, params)).rows as T[];
  const text = async (sha: string) => (await pdfPageTexts(rt.files.pathOf(sha), 1))[0].replace(/\s+/g, ' ');

  beforeAll(async () => {
    ({ rt, dir } = await demo());
  });

  afterAll(async () => {
    await rt?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has scanned batches from the hot folder, done, with their raw file and separator sheets', async () => {
    const [counts] = await q(`SELECT after FROM audit_events WHERE action = 'demo.seed.mail'`);
    expect(counts.after.registered).toBeGreaterThan(3);
    expect(counts.after.toQualify).toBeGreaterThanOrEqual(9);
    const batches = await q(`SELECT * FROM mail_batches ORDER BY created_at`);
    expect(batches.length).toBe(counts.after.batches);
    for (const b of batches) {
      expect(b).toMatchObject({ source: 'watch', status: 'done', mime_type: 'application/pdf', separators: b.letters_count - 1 });
      expect(b.filename).toMatch(/^SCAN_\d{8}_\d{4}\.pdf$/);
      expect(b.created_at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect((await pdfInfo(rt.files.pathOf(b.sha256))).pages).toBe(b.pages_total + b.separators);
      const { n } = (await q(`SELECT count(*)::int AS n FROM mail_letters WHERE batch_id = $1`, [b.id]))[0];
      expect(n).toBe(b.letters_count);
    }
  });

  it('registers the last days’ letters under their E numbers, their scan attached to the case', async () => {
    const letters = await q(
      `SELECT l.*, i.metadata AS im, a.filename, a.sha256 AS "attachment", c.subject AS "caseSubject"
         FROM mail_letters l JOIN interactions i ON i.id = l.interaction_id JOIN cases c ON c.id = l.case_id
         LEFT JOIN interaction_attachments a ON a.interaction_id = i.id AND a.sha256 = l.sha256
        WHERE l.direction = 'in' ORDER BY l.chrono`,
    );
    expect(letters.length).toBeGreaterThan(3);
    for (const l of letters) {
      expect(l.chrono).toMatch(/^\d{4}-E-\d{6}$/);
      expect(l.im.chrono).toBe(l.chrono);
      expect(l.im.letterId).toBe(l.id);
      expect(['routed', 'answered']).toContain(l.status);
      expect(l.filename).toBe(`courrier-${l.chrono}.pdf`);
      expect(l.received_at <= l.text_extracted_at && l.text_extracted_at <= l.routed_at).toBe(true);
      expect(l.paper_location).toMatch(/^Boîte \d{4}-\d{2}-\d{2}, étagère [A-F]$/);
      expect((await pdfInfo(rt.files.pathOf(l.sha256))).pages).toBe(l.page_count);
      const { n } = (await q(`SELECT count(*)::int AS n FROM mail_pages WHERE letter_id = $1 AND status = 'done' AND source = 'pdf_text'`, [l.id]))[0];
      expect(n).toBe(l.page_count);
    }
    // the scan carries a text layer: the subject reads from the PDF itself
    const sample = letters[0];
    expect(await text(sample.sha256)).toContain(`Objet : ${sample.subject}`.replace(/\s+/g, ' '));
    // no case got more than five exchanges (the demo's rule), none dated after « now »
    expect((await q(`SELECT count(*)::int AS n FROM (SELECT case_id FROM interactions GROUP BY case_id HAVING count(*) > 5) x`))[0].n).toBe(0);
    expect((await q(`SELECT count(*)::int AS n FROM interactions WHERE occurred_at > $1`, [NOW]))[0].n).toBe(0);
  });

  it('sends acknowledgements of the latest mail requests and keeps the replies by letter, with S numbers and PDFs', async () => {
    const out = await q(
      `SELECT l.*, a.filename FROM mail_letters l JOIN interaction_attachments a ON a.interaction_id = l.interaction_id AND a.sha256 = l.sha256
        WHERE l.direction = 'out' ORDER BY l.chrono`,
    );
    const acks = out.filter((l) => l.kind === 'acknowledgement');
    const replies = out.filter((l) => l.kind === 'reply');
    expect(acks.length).toBeGreaterThan(0);
    expect(replies.length).toBeGreaterThan(0);
    for (const l of out) {
      expect(l.chrono).toMatch(/^\d{4}-S-\d{6}$/);
      expect(l.print_day).toBeTruthy();
      expect(l.routed_at.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    const ack = acks[0];
    expect(ack.filename).toBe(`accuse-reception-${ack.chrono}.pdf`);
    const t = await text(ack.sha256);
    expect(t).toContain('Accusé de réception');
    expect(t).toContain('L112-3');
    const [source] = await q(`SELECT chrono, received_at FROM mail_letters WHERE id = $1`, [ack.in_reply_to]);
    expect(t).toContain(source.chrono);
    expect(ack.routed_at.getTime()).toBeGreaterThanOrEqual(source.received_at.getTime());
    expect(await text(replies[0].sha256)).toContain(replies[0].chrono);
  });

  it('leaves letters to qualify with proposals: known senders by e-mail and SIRET, a cited case, topics and units', async () => {
    const queue = await q(`SELECT * FROM mail_letters WHERE status = 'to_qualify' ORDER BY chrono`);
    expect(queue.length).toBeGreaterThanOrEqual(9);
    for (const l of queue) {
      expect(l.case_id).toBeNull();
      expect(l.proposals.subject.value).toBe(l.subject);
      expect(l.proposals.sender.name.value).toBeTruthy();
      expect(l.proposals.sender.address.value.postcode).toMatch(/^45\d{3}$/);
      expect(l.proposals.topic.value.code).toBeTruthy();
      expect(l.proposals.unit.value.code).toBeTruthy();
      expect(l.received_at.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    const reasons = queue.flatMap((l) => (l.proposals.contacts ?? []).map((c: any) => c.reason));
    expect(reasons).toContain('Même adresse électronique');
    expect(reasons).toContain('Même SIRET');
    const cited = queue.find((l) => l.proposals.case);
    expect(cited.proposals.topic.source.kind).toBe('case');
    expect((await q(`SELECT 1 FROM cases WHERE reference = $1`, [cited.proposals.case.reference])).length).toBe(1);
    const apa = queue.find((l) => /autonomie/.test(l.subject));
    expect(apa.proposals.topic.value.code).toBe('apa');
    // received this morning (the latest queue chronos follow every registered one)
    const max = (await q(`SELECT max(chrono) AS m FROM mail_letters WHERE direction = 'in' AND status <> 'to_qualify'`))[0].m;
    for (const l of queue) expect(l.chrono > max).toBe(true);
  });

  it('is the same register for the same seed and date', async () => {
    const other = await demo();
    try {
      const files = (r: Runtime) => r.db.query(`SELECT chrono, sha256 FROM mail_letters ORDER BY chrono`).then((x) => x.rows);
      // (a batch's raw file is joined by pdfunite, which stamps its own file ID: its bytes differ)
      const batches = (r: Runtime) => r.db.query(`SELECT filename, pages_total, letters_count, created_at FROM mail_batches ORDER BY created_at`).then((x) => x.rows);
      expect(await files(other.rt)).toEqual(await files(rt));
      expect(await batches(other.rt)).toEqual(await batches(rt));
    } finally {
      await other.rt.close();
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
