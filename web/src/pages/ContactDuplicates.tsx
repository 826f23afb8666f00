// Possible duplicates of a contact, with why they are suggested, and a merge into this record after a
// confirmation step (cases, interactions and contact details of the other record join this one).
import { useState } from 'react';
import { get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { Link } from '../router.tsx';
import { ErrorMessage, Loading } from '../components/ui.tsx';

interface Candidate {
  id: string;
  displayName: string;
  emails: string[];
  phones: string[];
  postcode: string | null;
  city: string | null;
  reasons: string[];
}

export function ContactDuplicates({ id, name, onMerged }: { id: string; name: string; onMerged(): void }) {
  const r = useLoad((s) => get<{ items: Candidate[] }>(`/api/v1/contacts/${encodeURIComponent(id)}/duplicates`, {}, s), [id]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const { pending, error, run } = useAction();
  const merge = async (c: Candidate) => {
    const ok = await run(() => post(`/api/v1/contacts/${encodeURIComponent(id)}/merge`, { sourceId: c.id }));
    setConfirming(null);
    if (ok) {
      setNotice(`La fiche « ${c.displayName} » a été fusionnée dans celle-ci.`);
      r.reload();
      onMerged();
    }
  };
  const items = r.data?.items ?? [];
  if (!notice && !error && !r.error && !items.length) return r.loading && !r.data ? <Loading label="Recherche de doublons…" /> : null;
  return (
    <section aria-labelledby="contact-duplicates" className="results">
      <h2 id="contact-duplicates">Doublons possibles</h2>
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={r.error ?? error} />
      <ul className="result-list">
        {items.map((c) => (
          <li key={c.id}>
            <Link to={`/usagers/${c.id}`}>{c.displayName}</Link>
            <span className="meta">{[...c.emails, ...c.phones, [c.postcode, c.city].filter(Boolean).join(' ')].filter(Boolean).join(' · ')}</span>
            <span className="snippet">Suggéré : {c.reasons.join(', ')}</span>
            {confirming === c.id ? (
              <span role="group" aria-label="Confirmation de la fusion">
                <span>
                  Les demandes, échanges et coordonnées de « {c.displayName} » rejoindront la fiche « {name} ». Cette opération ne peut pas être annulée.
                </span>{' '}
                <button type="button" className="button button-primary" disabled={pending} onClick={() => void merge(c)}>
                  Confirmer la fusion
                </button>{' '}
                <button type="button" className="button button-secondary" onClick={() => setConfirming(null)}>
                  Annuler
                </button>
              </span>
            ) : (
              <button type="button" className="button button-secondary" aria-label={`Fusionner dans cette fiche : « ${c.displayName} »`} onClick={() => setConfirming(c.id)}>
                Fusionner dans cette fiche
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
