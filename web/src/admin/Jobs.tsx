// Failed background jobs (dead after their last attempt), each with a "Relancer" button.
import { useState } from 'react';
import { get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { formatDateTime } from '../format.ts';
import { Empty, ErrorMessage, Loading } from '../components/ui.tsx';
import { Notice } from './forms.tsx';

interface Job {
  id: number;
  name: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function JobsAdmin() {
  const r = useLoad((s) => get<{ items: Job[] }>('/api/v1/admin/jobs', { status: 'dead' }, s), []);
  const action = useAction();
  const [notice, setNotice] = useState('');
  const retry = async (j: Job) => {
    const ok = await action.run(() => post(`/api/v1/admin/jobs/${j.id}/retry`).then(() => true));
    if (ok) {
      setNotice(`Tâche n° ${j.id} relancée.`);
      r.reload();
    }
  };
  if (r.loading && !r.data) return <Loading />;
  const jobs = r.data?.items ?? [];
  return (
    <>
      <h2>Tâches de fond en échec</h2>
      <Notice>{notice}</Notice>
      <ErrorMessage error={r.error ?? action.error} />
      {!jobs.length ? (
        <Empty>Aucune tâche en échec.</Empty>
      ) : (
        <ul className="result-list">
          {jobs.map((j) => (
            <li key={j.id}>
              <strong>{j.name}</strong> n° {j.id}
              <span className="meta">
                {j.attempts} tentative(s) sur {j.maxAttempts} · créée le {formatDateTime(j.createdAt)}
                {j.finishedAt ? ` · abandonnée le ${formatDateTime(j.finishedAt)}` : ''}
              </span>
              {j.lastError && <span className="snippet">{j.lastError}</span>}
              <button type="button" className="button button-secondary" disabled={action.pending} aria-label={`Relancer la tâche n° ${j.id}`} onClick={() => void retry(j)}>
                Relancer
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
