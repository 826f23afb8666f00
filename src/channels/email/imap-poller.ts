// Polls an IMAP mailbox (IDLE where the server supports it, else every `pollMs`). New messages are
// fetched in groups; a group is stored (raws + rows + position in one transaction) before its
// messages are flagged \Seen; the position (UIDVALIDITY, last UID) lives in the database, so a restart
// neither skips nor repeats a message.
import { ImapFlow } from 'imapflow';
import type { Runtime } from '../../platform/runtime.ts';
import { receiveRawEmails, type RawEmail } from './intake.ts';

/** Messages fetched and stored together: at most this many, and this many bytes (unless one alone is larger). */
const IMAP_GROUP = 50;
const IMAP_GROUP_BYTES = 32 * 1024 * 1024;

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** An IMAP sequence set for sorted uids, consecutive ones as ranges: 1:40,42,45:50. */
export function uidSet(uids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; ) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j] + 1) j++;
    parts.push(j > i ? `${uids[i]}:${uids[j]}` : String(uids[i]));
    i = j + 1;
  }
  return parts.join(',');
}

export function parseImapUrl(url: string): ImapTarget {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port) || (u.protocol === 'imaps:' ? 993 : 143),
    secure: u.protocol === 'imaps:',
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export class ImapPoller {
  private client: ImapFlow | null = null;
  private stopped = false;
  private busy: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly rt: Runtime,
    private readonly target: ImapTarget,
    private readonly pollMs = 30_000,
  ) {}

  /** Connects and reads what is new; on failure keeps retrying in the background (and rethrows). */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.connect();
    } catch (err) {
      this.retryLater();
      throw err;
    }
  }

  private async connect() {
    const t = this.target;
    const client = new ImapFlow({ host: t.host, port: t.port, secure: t.secure, auth: { user: t.user, pass: t.pass }, logger: false, tls: { rejectUnauthorized: false }, doSTARTTLS: false } as never);
    client.on('error', (err: Error) => this.rt.log.warn({ err }, 'imap error'));
    client.on('exists', () => void this.sync());
    client.on('close', () => {
      if (!this.stopped) this.retryLater();
    });
    await client.connect();
    await client.mailboxOpen(t.mailbox);
    this.client = client;
    await this.sync();
    this.schedulePoll();
  }

  private retryLater() {
    if (this.stopped) return;
    this.client = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect().catch((err) => { this.rt.log.warn({ err }, 'imap reconnect failed'); this.retryLater(); }), 5000);
  }

  private schedulePoll() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync().finally(() => !this.stopped && this.schedulePoll()), this.pollMs);
  }

  /** Fetches and stores every message after the stored position; returns how many were stored. */
  sync(): Promise<number> {
    if (this.busy) {
      this.again = true;
      return this.busy;
    }
    this.busy = this.syncOnce()
      .catch((err) => {
        this.rt.log.warn({ err }, 'imap sync failed');
        return 0;
      })
      .finally(() => {
        this.busy = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.sync();
        }
      });
    return this.busy;
  }

  private async syncOnce(): Promise<number> {
    const client = this.client;
    if (!client || !client.mailbox) return 0;
    const mailbox = this.target.mailbox;
    const uidValidity = Number(client.mailbox.uidValidity);
    const { rows } = await this.rt.db.query<{ uidvalidity: number; last_uid: number }>('SELECT uidvalidity, last_uid FROM imap_positions WHERE mailbox = $1', [mailbox]);
    // A new UIDVALIDITY means the server renumbered the mailbox: start over (duplicates are recognised).
    const last = rows[0] && rows[0].uidvalidity === uidValidity ? rows[0].last_uid : 0;
    const uids = ((await client.search({ uid: `${last + 1}:*` }, { uid: true })) || []).filter((u) => u > last).sort((a, b) => a - b);
    // In groups (bounded in count and bytes): one FETCH, one transaction, one STORE \Seen per group.
    const sizes = new Map<number, number>();
    if (uids.length) {
      for await (const m of client.fetch(uidSet(uids), { size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
    }
    let stored = 0;
    for (let i = 0; i < uids.length && !this.stopped; ) {
      const group: number[] = [];
      let bytes = 0;
      while (i < uids.length && group.length < IMAP_GROUP && (group.length === 0 || bytes + (sizes.get(uids[i]) ?? 0) <= IMAP_GROUP_BYTES)) {
        bytes += sizes.get(uids[i]) ?? 0;
        group.push(uids[i++]);
      }
      const items: RawEmail[] = [];
      for await (const msg of client.fetch(uidSet(group), { source: true }, { uid: true })) {
        if (msg.source && msg.uid > last) items.push({ raw: msg.source, meta: { source: 'imap', mailbox, uidvalidity: uidValidity, uid: msg.uid, envelopeTo: [] } });
      }
      items.sort((a, b) => a.meta.uid! - b.meta.uid!);
      if (!items.length) continue;
      await receiveRawEmails(this.rt, items);
      stored += items.length;
      await client.messageFlagsAdd(uidSet(items.map((it) => it.meta.uid!)), ['\\Seen'], { uid: true });
    }
    return stored;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.busy) await this.busy;
    const c = this.client;
    this.client = null;
    if (c) await c.logout().catch(() => c.close());
  }
}
