// The one way a message enters: its raw bytes go to the file store and a row `inbound_emails` (with
// the parsing job) commits, all before the sending side is told we have it (SMTP 250, IMAP position
// and \Seen flag). Parsing and filing happen afterwards, in the `email.process` job. Messages arriving
// together are committed together (one transaction for a group), never before their own commit.
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../platform/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { emailTimes, now } from './timings.ts';
import { oneAtATime } from './serial-sql.ts';
import type { ProcessJob } from './filing.ts';

export interface IntakeMeta {
  source: 'smtp' | 'imap';
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  mailbox?: string;
  uidvalidity?: number;
  uid?: number;
}

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'email.process': ProcessJob;
    'email.send': { outboundId: string };
  }
}

export const intakeActor = systemActor('canal courriel');

export interface RawEmail {
  raw: Buffer;
  meta: IntakeMeta;
}

/**
 * Stores a received message; returns its row id (null when this IMAP uid was already stored).
 * Up to GROUPS_IN_FLIGHT transactions store messages side by side; a message arriving while all of
 * them are busy waits for the next one, with every other message that arrived meanwhile (group
 * commit: one transaction and one log flush for all of them, their files written and flushed side by
 * side). Each caller's promise settles only once its own message has committed.
 */
export function receiveRawEmail(rt: Runtime, raw: Buffer, meta: IntakeMeta): Promise<string | null> {
  let b = batchers.get(rt);
  if (!b) batchers.set(rt, (b = new GroupCommit(rt)));
  return b.submit({ raw, meta });
}

const batchers = new WeakMap<Runtime, GroupCommit>();
const GROUPS_IN_FLIGHT = 4;
const MAX_GROUP = 32;

class GroupCommit {
  private queue: Array<{ item: RawEmail; resolve: (id: string | null) => void; reject: (err: unknown) => void }> = [];
  private inFlight = 0;

  constructor(private readonly rt: Runtime) {}

  submit(item: RawEmail): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight < GROUPS_IN_FLIGHT) void this.run();
    });
  }

  private async run() {
    this.inFlight++;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const ids = await receiveRawEmails(this.rt, group.map((g) => g.item));
          group.forEach((g, i) => g.resolve(ids[i]));
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.inFlight--;
    }
  }
}

/**
 * Stores several received messages in one transaction: raw files (written and flushed side by side),
 * their rows, the IMAP position, their filing jobs. Returns each message's row id, in order (null for
 * an IMAP uid already stored). All or nothing.
 */
export async function receiveRawEmails(rt: Runtime, items: RawEmail[]): Promise<Array<string | null>> {
  if (!items.length) return [];
  const limit = rt.config.email.maxMessageBytes;
  let t = now();
  const ids = await rt.db.tx(async (tx) => {
    t = emailTimes.lap('accept: pool connect + BEGIN', t, items.length);
    // An oversized message fetched from IMAP cannot be refused any more: it is kept, quarantined.
    const serial = oneAtATime(tx);
    const settled = await Promise.allSettled(items.map(({ raw }) => rt.files.put(serial, raw, { declaredType: 'message/rfc822', maxBytes: Math.max(limit, raw.length) })));
    const files = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    t = emailTimes.lap('accept: raw files write + fsync + files rows', t, items.length);
    const rowIds = items.map(() => randomUUID());
    const tooLarge = items.map(({ raw }) => raw.length > limit);
    const col = <T>(f: (it: RawEmail, i: number) => T) => items.map(f);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO inbound_emails (id, source, raw_sha256, size, envelope_from, envelope_to, mailbox, uidvalidity, uid, status, reason)
       SELECT id, source, raw_sha256, size, envelope_from, ARRAY(SELECT jsonb_array_elements_text(envelope_to)), mailbox, uidvalidity, uid, status, reason
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[])
              AS u(id, source, raw_sha256, size, envelope_from, envelope_to, mailbox, uidvalidity, uid, status, reason)
       ON CONFLICT (mailbox, uidvalidity, uid) WHERE source = 'imap' DO NOTHING
       RETURNING id`,
      [
        rowIds, col((it) => it.meta.source), files.map((f) => f.sha256), files.map((f) => f.size), col((it) => it.meta.envelopeFrom ?? null),
        col((it) => JSON.stringify(it.meta.envelopeTo ?? [])), col((it) => it.meta.mailbox ?? null), col((it) => it.meta.uidvalidity ?? null),
        col((it) => it.meta.uid ?? null), tooLarge.map((big) => (big ? 'quarantined' : 'received')),
        files.map((f, i) => (tooLarge[i] ? `Message trop volumineux (${f.size} octets, maximum ${limit}).` : null)),
      ],
    );
    const stored = new Set(rows.map((r) => r.id));
    // The IMAP position: the highest uid stored per mailbox, in the same transaction as the rows.
    const positions = new Map<string, { uidvalidity: number; uid: number }>();
    for (const { meta } of items) {
      if (meta.source !== 'imap' || !meta.mailbox || meta.uidvalidity === undefined || meta.uid === undefined) continue;
      const p = positions.get(meta.mailbox);
      if (!p || p.uidvalidity !== meta.uidvalidity || meta.uid > p.uid) positions.set(meta.mailbox, { uidvalidity: meta.uidvalidity, uid: meta.uid });
    }
    for (const [mailbox, p] of positions) {
      await tx.query(
        `INSERT INTO imap_positions (mailbox, uidvalidity, last_uid) VALUES ($1, $2, $3)
         ON CONFLICT (mailbox) DO UPDATE SET
           last_uid = CASE WHEN imap_positions.uidvalidity = EXCLUDED.uidvalidity THEN greatest(imap_positions.last_uid, EXCLUDED.last_uid) ELSE EXCLUDED.last_uid END,
           uidvalidity = EXCLUDED.uidvalidity, updated_at = now()`,
        [mailbox, p.uidvalidity, p.uid],
      );
    }
    const out = rowIds.map((id) => (stored.has(id) ? id : null));
    for (const [i, id] of out.entries()) {
      if (!id) continue;
      const job = { inboundId: id, rawSha256: files[i].sha256, envelopeFrom: items[i].meta.envelopeFrom ?? null };
      if (!tooLarge[i]) await enqueue(tx, 'email.process', job, { uniqueKey: `email.process:${id}`, maxAttempts: 8 });
      tx.audit({ actor: intakeActor, action: 'email.receive', objectType: 'inbound_email', objectId: id, after: { source: items[i].meta.source, sha256: files[i].sha256, size: files[i].size, quarantined: tooLarge[i] } });
    }
    t = emailTimes.lap('accept: inbound rows + IMAP position + job rows', t, items.length);
    return out;
  });
  emailTimes.lap('accept: audit + COMMIT', t, items.length);
  if (ids.some((id) => id)) rt.worker.nudge();
  return ids;
}
