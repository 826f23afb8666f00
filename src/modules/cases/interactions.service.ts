// Recording interactions (call, letter, email, portal message, visit, note) on a case. Channels call
// this, never their own copy.
import type { Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';

export const INTERACTION_KINDS = ['call', 'letter', 'email', 'portal_message', 'visit', 'note'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const INTERACTION_LABELS: Record<InteractionKind, string> = {
  call: 'Appel',
  letter: 'Courrier',
  email: 'Courriel',
  portal_message: 'Message du portail',
  visit: "Visite à l'accueil",
  note: 'Note interne',
};

export interface AttachmentRef {
  sha256: string;
  filename: string;
  contentId?: string;
}

export interface InteractionInput {
  kind: InteractionKind;
  direction?: Direction;
  subject?: string | null;
  body?: string | null;
  /** Already sanitised HTML (the email channel sanitises before calling). */
  bodyHtml?: string | null;
  occurredAt?: Date;
  metadata?: Record<string, unknown>;
  attachments?: AttachmentRef[];
}

export interface InsertedInteraction {
  id: string;
  kind: InteractionKind;
  direction: Direction;
  occurredAt: Date;
}

export function defaultDirection(kind: InteractionKind): Direction {
  return kind === 'note' ? 'internal' : 'inbound';
}

export async function insertInteraction(
  tx: Tx,
  actor: Actor,
  target: { caseId: string; contactId: string | null },
  input: InteractionInput,
): Promise<InsertedInteraction> {
  const direction = input.direction ?? defaultDirection(input.kind);
  if (input.kind === 'note' && direction !== 'internal') throw new Invalid({ direction: 'Une note interne ne peut pas être envoyée ni reçue.' });
  if (input.kind !== 'note' && direction === 'internal') throw new Invalid({ direction: 'Seules les notes sont internes.' });
  if (!input.body?.trim() && !input.subject?.trim() && !input.attachments?.length && input.kind !== 'call') {
    throw new Invalid({ body: 'Le contenu est vide.' });
  }
  const { rows } = await tx.query<{ id: string; occurred_at: Date }>(
    `INSERT INTO interactions (case_id, contact_id, kind, direction, occurred_at, author_type, author_id, author_label,
                               subject, body, body_html, metadata)
     VALUES ($1, $2, $3, $4, coalesce($5, now()), $6, $7, $8, $9, $10, $11, $12) RETURNING id, occurred_at`,
    [
      target.caseId, target.contactId, input.kind, direction, input.occurredAt ?? null, actor.kind, actor.id, actor.label,
      input.subject?.trim() || null, input.body ?? null, input.bodyHtml ?? null, JSON.stringify(input.metadata ?? {}),
    ],
  );
  const id = rows[0].id;
  for (const [i, a] of (input.attachments ?? []).entries()) {
    const r = await tx.query(
      `INSERT INTO interaction_attachments (interaction_id, sha256, filename, mime_type, size, content_id, position)
       SELECT $1, f.sha256, $3, f.mime_type, f.size, $4, $5 FROM files f WHERE f.sha256 = $2`,
      [id, a.sha256, sanitizeFilename(a.filename), a.contentId ?? null, i],
    );
    if (!r.rowCount) throw new Invalid({ [`attachments.${i}`]: 'Pièce jointe introuvable : téléversez-la d’abord.' });
  }
  tx.audit({
    actor,
    action: 'interaction.create',
    objectType: 'case',
    objectId: target.caseId,
    after: { interactionId: id, kind: input.kind, direction, subject: input.subject ?? null, attachments: (input.attachments ?? []).map((a) => a.sha256) },
  });
  return { id, kind: input.kind, direction, occurredAt: rows[0].occurred_at };
}

/** Keeps a displayable name: no path, no control characters, bounded length. */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'fichier';
}
