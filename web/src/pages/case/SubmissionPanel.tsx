// The online procedure behind a portal case: the answers the usager submitted (labels as the form showed
// them, values as validated), the attached files and the PDF summary, all downloadable. Shown only when
// the case has a submission (GET /api/v1/cases/:ref/submission).
import { fileDownloadUrl, get } from '../../api.ts';
import { useLoad } from '../../hooks.ts';
import { formatDateTime, formatSize } from '../../format.ts';
import type { CaseDetail } from '../../types.ts';
import type { Submission } from './types.ts';


export function SubmissionPanel({ c }: { c: CaseDetail }) {
  // The PDF summary is attached by a job after the submission: reload when the case's exchanges change.
  const s = useLoad(
    (signal) => (c.channel === 'portal' ? get<{ submission: Submission | null }>(`/api/v1/cases/${encodeURIComponent(c.reference)}/submission`, {}, signal) : Promise.resolve({ submission: null })),
    [c.reference, c.channel, c.updatedAt, c.interactions.length],
  );
  if (s.error && !s.data) {
    return (
      <section className="card" aria-labelledby="submission-title">
        <h2 id="submission-title">Démarche en ligne</h2>
        <div className="alert alert-error" role="alert">
          {s.error.message}{' '}
          <button type="button" className="button-link" onClick={s.reload}>
            Réessayer
          </button>
        </div>
      </section>
    );
  }
  const sub = s.data?.submission;
  if (!sub) return null;
  return (
    <section className="card submission" aria-labelledby="submission-title">
      <h2 id="submission-title">Démarche en ligne : {sub.procedureTitle}</h2>
      <p className="muted">
        Déposée sur l’espace citoyens le <time dateTime={sub.createdAt}>{formatDateTime(sub.createdAt)}</time> (formulaire version {sub.procedureVersion}).
      </p>
      {sub.summary.map((section, i) => (
        <section key={`${i}-${section.title}`} aria-labelledby={`submission-section-${i}`}>
          <h3 id={`submission-section-${i}`}>{section.title}</h3>
          <dl className="answers">
            {section.items.map((item, j) => (
              <div key={`${j}-${item.label}`}>
                <dt>{item.label}</dt>
                <dd className="pre">{item.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <h3>Documents</h3>
      <ul className="attachments" aria-label="Documents de la démarche">
        {sub.files.map((f) => (
          <li key={`${f.field}-${f.sha256}`}>
            <a href={fileDownloadUrl(f.sha256, f.filename)} download={f.filename}>
              {f.filename}
            </a>{' '}
            <span className="muted">({formatSize(f.size)})</span>
          </li>
        ))}
        {sub.pdfSha256 ? (
          <li>
            <a href={fileDownloadUrl(sub.pdfSha256, `recapitulatif-${c.reference}.pdf`)} download={`recapitulatif-${c.reference}.pdf`}>
              Récapitulatif PDF de la démarche
            </a>
          </li>
        ) : (
          <li className="muted">Récapitulatif PDF en cours de préparation.</li>
        )}
      </ul>
    </section>
  );
}
