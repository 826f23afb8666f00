// Requests for missing documents on the case page: those sent (waiting or answered, with the usager's
// files), and the « Demander des pièces » action for agents who may act on the case.
import { useRef, useState } from 'react';
import { fileDownloadUrl, get } from '../../api.ts';
import { useLoad } from '../../hooks.ts';
import { formatDate, formatDateTime, formatSize } from '../../format.ts';
import type { CaseDetail } from '../../types.ts';
import type { DocumentRequest, DocumentRequests } from './types.ts';
import { DocumentRequestForm } from './DocumentRequestForm.tsx';

export function DocumentRequestsPanel({ c, onDone }: { c: CaseDetail; onDone(message: string): void }) {
  const list = useLoad((signal) => get<DocumentRequests>(`/api/v1/cases/${encodeURIComponent(c.reference)}/document-requests`, {}, signal), [c.reference, c.updatedAt, c.interactions.length]);
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const canRequest = c.abilities.act && c.status !== 'closed';
  const requests = list.data?.items ?? [];
  if (!list.data && !list.error) return null;
  // Nothing to show to someone who may not act on a case without requests.
  if (!requests.length && !canRequest && !list.error) return null;

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <section className="card" aria-labelledby="docreq-title">
      <h2 id="docreq-title">Pièces complémentaires</h2>
      {list.error && (
        <div className="alert alert-error" role="alert">
          {list.error.message}{' '}
          <button type="button" className="button-link" onClick={list.reload}>
            Réessayer
          </button>
        </div>
      )}
      {requests.length > 0 ? (
        <ul className="doc-requests">
          {requests.map((r) => (
            <RequestItem key={r.id} r={r} c={c} />
          ))}
        </ul>
      ) : (
        !list.error && <p className="muted">Aucune pièce demandée.</p>
      )}
      {canRequest && list.data && !list.data.portalAccount && (
        <p className="hint">L’usager n’a pas de compte sur l’espace citoyens : il ne pourra pas répondre en ligne. Préférez un courriel ou un courrier.</p>
      )}
      {canRequest && (
        <div className="action-buttons">
          <button ref={toggle} type="button" className="button button-secondary" aria-expanded={open} onClick={() => (open ? close() : setOpen(true))}>
            Demander des pièces
          </button>
        </div>
      )}
      {open && canRequest && (
        <DocumentRequestForm
          c={c}
          onCancel={close}
          onDone={(m) => {
            close();
            list.reload();
            onDone(m);
          }}
        />
      )}
    </section>
  );
}

function RequestItem({ r, c }: { r: DocumentRequest; c: CaseDetail }) {
  const answer = r.answerInteractionId ? c.interactions.find((i) => i.id === r.answerInteractionId) : undefined;
  return (
    <li className={`doc-request doc-request-${r.status}`}>
      <p>
        <span className={`badge${r.status === 'open' ? ' badge-soon' : ''}`}>{r.status === 'open' ? 'En attente de l’usager' : r.status === 'answered' ? 'Reçues' : 'Annulée'}</span>{' '}
        <span className="muted">
          demandées le <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
          {r.requestedBy ? ` par ${r.requestedBy}` : ''}
          {r.dueDate ? `, à fournir avant le ${formatDate(r.dueDate)}` : ''}
        </span>
      </p>
      <ul>
        {r.items.map((item, i) => (
          <li key={`${i}-${item}`}>{item}</li>
        ))}
      </ul>
      {r.message && <p className="pre tl-reason">{r.message}</p>}
      {r.status === 'answered' && (
        <div className="doc-answer">
          <p>
            Réponse de l’usager{r.answeredAt ? <> le <time dateTime={r.answeredAt}>{formatDateTime(r.answeredAt)}</time></> : null}
            {answer?.body ? ' :' : '.'}
          </p>
          {answer?.body && <p className="pre">{answer.body}</p>}
          {answer && answer.attachments.length > 0 && (
            <ul className="attachments" aria-label="Pièces reçues">
              {answer.attachments.map((a) => (
                <li key={a.id}>
                  <a href={fileDownloadUrl(a.sha256, a.filename)} download={a.filename}>
                    {a.filename}
                  </a>{' '}
                  <span className="muted">({formatSize(a.size)})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
