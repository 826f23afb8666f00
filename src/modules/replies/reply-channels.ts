// The reply composer's back end: each channel (email, letter, portal message...) registers how it sends
// a reply to the contact of a case. One route dispatches; the case page lists what is available.
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import type { CaseRow } from '../cases/cases.repository.ts';

export interface ReplyInput {
  channel: string;
  subject?: string | null;
  body: string;
  templateCode?: string | null;
  attachments?: Array<{ sha256: string; filename: string }>;
  /** Channel-specific options (e.g. the postal address to print on a letter). */
  options?: Record<string, unknown>;
}

export interface ReplyResult {
  interactionId: string;
  /** Something to show or fetch (a generated PDF's sha256, a message id...). */
  details?: Record<string, unknown>;
}

export interface ReplyChannel {
  id: string;
  /** French label shown on the composer tab. */
  label: string;
  /** Whether this case can be answered this way (e.g. the contact has an email address). */
  availableFor(db: Database, c: CaseRow): Promise<{ available: boolean; reason?: string }>;
  /** Sends (or queues) the reply and records it as an outbound interaction, audited. */
  send(rt: Runtime, actor: Actor, c: CaseRow, input: ReplyInput): Promise<ReplyResult>;
}

const channels = new Map<string, ReplyChannel>();

export function registerReplyChannel(ch: ReplyChannel) {
  channels.set(ch.id, ch);
}

export function replyChannel(id: string): ReplyChannel | undefined {
  return channels.get(id);
}

export function replyChannels(): ReplyChannel[] {
  return [...channels.values()];
}
