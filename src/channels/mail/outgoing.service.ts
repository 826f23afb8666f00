// Outgoing letters (acknowledgements, replies): each one is registered in the mail register with an
// S chrono number and its PDF, and printed with the day's batch.
import type { Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { parisToday } from '../../platform/calendar/calendar.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { nextChrono } from './chrono.ts';
import { unitePdfs } from './poppler.ts';

export interface OutgoingInput {
  kind: 'acknowledgement' | 'reply';
  caseId: string;
  inReplyTo?: string | null;
  subject: string;
  interactionId?: string | null;
  /** Renders the letter once its chrono number is known. */
  render: (chrono: string) => Promise<Buffer>;
  /** When it is sent (default now): its year's numbering and its print day. */
  at?: Date;
}

export async function registerOutgoing(rt: Runtime, tx: Tx, actor: Actor, input: OutgoingInput) {
  const at = input.at ?? new Date();
  const chrono = await nextChrono(tx, 'out', at);
  const pdf = await input.render(chrono);
  const file = await rt.files.put(tx, pdf, { declaredType: 'application/pdf', allowed: ['application/pdf'] });
  const day = parisToday(at);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO mail_letters (chrono, direction, kind, sha256, page_count, status, received_at, routed_at, subject, case_id, interaction_id, in_reply_to, print_day, created_by_type, created_by_id, created_at, updated_at)
     VALUES ($1, 'out', $2, $3, 1, 'routed', $11, $11, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
    [chrono, input.kind, file.sha256, input.subject, input.caseId, input.interactionId ?? null, input.inReplyTo ?? null, day, actor.kind, actor.id, at],
  );
  tx.audit({ actor, action: 'mail.letter.send', objectType: 'mail_letter', objectId: rows[0].id, after: { chrono, kind: input.kind, caseId: input.caseId, sha256: file.sha256, printDay: day } });
  return { id: rows[0].id, chrono, sha256: file.sha256, printDay: day };
}

/** Every outgoing letter of a day, in one PDF to print. */
export async function printBatch(rt: Runtime, actor: Actor, day: string): Promise<{ pdf: Buffer; count: number }> {
  authorize(actor, 'mail.read');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Invalid({ date: 'Date attendue au format AAAA-MM-JJ.' });
  const { rows } = await rt.db.query<{ sha256: string }>(`SELECT sha256 FROM mail_letters WHERE direction = 'out' AND print_day = $1 AND sha256 IS NOT NULL ORDER BY chrono`, [day]);
  if (!rows.length) throw new NotFound('Aucun courrier sortant à imprimer ce jour-là.');
  return { pdf: await unitePdfs(rows.map((r) => rt.files.pathOf(r.sha256))), count: rows.length };
}
