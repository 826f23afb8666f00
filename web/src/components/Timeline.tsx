// The case's story in one list: interactions (calls, letters with their scans, emails, portal messages,
// visits, notes) and events (status, routing, assignment, with their reasons), oldest first.
import { useState } from 'react';
import { fileDownloadUrl } from '../api.ts';
import { DIRECTION_LABELS, eventReason, eventText, INTERACTION_LABELS } from '../labels.ts';
import { formatDateTime, formatSize } from '../format.ts';
import type { Attachment, CaseDetail, CaseEvent, Interaction } from '../types.ts';

type Entry = { at: string; kind: 'interaction'; i: Interaction } | { at: string; kind: 'event'; e: CaseEvent };

export function Timeline({ c }: { c: CaseDetail }) {
  const [viewing, setViewing] = useState<Attachment | null>(null);
  const entries: Entry[] = [
    ...c.interactions.map((i) => ({ at: i.occurredAt, kind: 'interaction' as const, i })),
    ...c.events.map((e) => ({ at: e.occurredAt, kind: 'event' as const, e })),
  ].sort((a, b) => a.at.localeCompare(b.at) || (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1));

  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Historique</h2>
      {viewing && <FileViewer file={viewing} onClose={() => setViewing(null)} />}
      {!entries.length ? (
        <p className="empty">Aucun échange pour le moment.</p>
      ) : (
        <ol className="timeline">
          {entries.map((x) =>
            x.kind === 'event' ? (
              <li key={`e${x.e.id}`} className={`tl-event tl-${x.e.kind}`}>
                <p>
                  <span className="tl-text">{eventText(x.e)}</span>
                  <span className="tl-meta">
                    {' '}
                    — <time dateTime={x.e.occurredAt}>{formatDateTime(x.e.occurredAt)}</time>
                    {x.e.actorLabel ? `, par ${x.e.actorLabel}` : ''}
                  </span>
                </p>
                {eventReason(x.e) && <p className="tl-reason">Motif : {eventReason(x.e)}</p>}
              </li>
            ) : (
              <InteractionItem key={`i${x.i.id}`} i={x.i} onView={setViewing} />
            ),
          )}
        </ol>
      )}
    </section>
  );
}

/** The usager's first message of an online procedure: its body is the submitted answers as text. */
export function isProcedureDeposit(i: Interaction): boolean {
  return i.kind === 'portal_message' && i.direction === 'inbound' && typeof i.metadata?.procedure === 'string';
}

function InteractionItem({ i, onView }: { i: Interaction; onView(a: Attachment): void }) {
  const label = INTERACTION_LABELS[i.kind] ?? i.kind;
  const dir = i.kind === 'note' ? '' : ` ${DIRECTION_LABELS[i.direction] ?? ''}`;
  const duration = typeof i.metadata?.durationSeconds === 'number' ? Math.round((i.metadata.durationSeconds as number) / 60) : null;
  return (
    <li className={`tl-interaction tl-${i.kind}${i.direction === 'outbound' ? ' tl-out' : ''}`}>
      <article aria-label={`${label}${dir}, ${formatDateTime(i.occurredAt)}`}>
        <header>
          <strong>
            {label}
            {dir}
          </strong>{' '}
          <span className="tl-meta">
            — <time dateTime={i.occurredAt}>{formatDateTime(i.occurredAt)}</time>
            {i.authorLabel ? `, ${i.kind === 'note' || i.direction === 'outbound' ? 'par' : 'de'} ${i.authorLabel}` : ''}
            {duration !== null ? `, ${duration} min` : ''}
          </span>
        </header>
        {i.subject && <p className="tl-subject">{i.subject}</p>}
        {isProcedureDeposit(i) ? (
          // the answers are laid out in the « Démarche en ligne » panel: not repeated here as plain text
          <p>
            <a href="#submission-title">Voir les réponses du formulaire</a>
          </p>
        ) : i.bodyHtml ? (
          <EmailBody html={i.bodyHtml} />
        ) : i.body ? (
          <p className="pre">{i.body}</p>
        ) : null}
        {i.attachments.length > 0 && (
          <ul className="attachments" aria-label="Pièces jointes">
            {i.attachments.map((a) => (
              <li key={a.id}>
                <span className="file-name">{a.filename}</span> <span className="muted">({formatSize(a.size)})</span>{' '}
                {/^(image\/(png|jpeg|gif|webp)|application\/pdf)$/.test(a.mimeType) && (
                  <button type="button" className="button-link" onClick={() => onView(a)}>
                    Afficher<span className="visually-hidden"> {a.filename}</span>
                  </button>
                )}{' '}
                <a href={fileDownloadUrl(a.sha256, a.filename)} download={a.filename}>
                  Télécharger<span className="visually-hidden"> {a.filename}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </article>
    </li>
  );
}

/** Email HTML (sanitised by the email channel) in a fully sandboxed frame: no script, no form, no navigation. */
function EmailBody({ html }: { html: string }) {
  const doc = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>body{font:15px/1.5 system-ui,sans-serif;color:#1b1b1b;margin:8px}img{max-width:100%}</style></head><body>${html}</body></html>`;
  return <iframe className="email-frame" sandbox="" srcDoc={doc} title="Contenu du courriel" referrerPolicy="no-referrer" />;
}

/** The scan viewer: images with zoom and rotation, PDFs in the browser's viewer. */
function FileViewer({ file, onClose }: { file: Attachment; onClose(): void }) {
  const [zoom, setZoom] = useState(1);
  const [turn, setTurn] = useState(0);
  const src = `/api/v1/files/${file.sha256}`;
  const isImage = file.mimeType.startsWith('image/');
  return (
    <section className="viewer" aria-label={`Visionneuse : ${file.filename}`}>
      <div className="viewer-bar">
        <strong>{file.filename}</strong>
        {isImage && (
          <>
            <button type="button" className="button button-secondary" onClick={() => setZoom((z) => Math.min(4, z + 0.25))}>
              Agrandir
            </button>
            <button type="button" className="button button-secondary" onClick={() => setZoom((z) => Math.max(0.25, z - 0.25))}>
              Réduire
            </button>
            <button type="button" className="button button-secondary" onClick={() => setTurn((t) => (t + 90) % 360)}>
              Pivoter
            </button>
          </>
        )}
        <a href={fileDownloadUrl(file.sha256, file.filename)} download={file.filename}>
          Télécharger
        </a>
        <button type="button" className="button button-secondary" onClick={onClose} autoFocus>
          Fermer la visionneuse
        </button>
      </div>
      <div className="viewer-body">
        {isImage ? (
          <img src={src} alt={`Numérisation : ${file.filename}`} style={{ transform: `scale(${zoom}) rotate(${turn}deg)` }} />
        ) : (
          <iframe src={src} title={`Document PDF : ${file.filename}`} />
        )}
      </div>
    </section>
  );
}
