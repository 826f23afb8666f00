// The supervisors' wallboard: the day's calls, service level (answered within 20 s), abandon rate,
// average handling time, level-1 resolution, per agent and per hour; refreshed every 15 s. Below it, the
// staffing planner (Erlang C).
import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { usePageTitle } from '../../router.tsx';
import { ErrorMessage, Loading } from '../../components/ui.tsx';
import type { ApiError } from '../../api.ts';
import { Staffing } from './Staffing.tsx';

interface Row {
  calls: number;
  answered: number;
  abandoned: number;
  ahtSeconds: number | null;
  serviceLevel: number | null;
}
interface Wallboard extends Row {
  date: string;
  outOfHours: number;
  abandonRate: number | null;
  level1ResolutionRate: number | null;
  perAgent: Array<Row & { agentId: string; agentName: string }>;
  perHour: Array<Row & { hour: number }>;
  presence: Array<{ agentId: string; agentName: string; label: string }>;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
const secs = (x: number | null) => (x === null ? '—' : `${Math.floor(x / 60)} min ${String(x % 60).padStart(2, '0')} s`);

export function WallboardPage() {
  usePageTitle('Tableau de bord téléphonique');
  const [data, setData] = useState<Wallboard | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const load = () => get<Wallboard>('/api/v1/phone/wallboard').then(setData, setError);
    load();
    const t = setInterval(load, 15_000);
    return () => clearInterval(t);
  }, []);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Tableau de bord téléphonique</h1>
      <ErrorMessage error={error} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <dl className="facts">
            <div><dt>Appels</dt><dd>{data.calls}</dd></div>
            <div><dt>Répondus</dt><dd>{data.answered}</dd></div>
            <div><dt>Abandonnés</dt><dd>{data.abandoned} ({pct(data.abandonRate)})</dd></div>
            <div><dt>Hors horaires</dt><dd>{data.outOfHours}</dd></div>
            <div><dt>Niveau de service (20 s)</dt><dd>{pct(data.serviceLevel)}</dd></div>
            <div><dt>Durée moyenne de traitement</dt><dd>{secs(data.ahtSeconds)}</dd></div>
            <div><dt>Résolus au niveau 1</dt><dd>{pct(data.level1ResolutionRate)}</dd></div>
          </dl>
          <Table caption="Par agent" rowHeader="Agent" rows={data.perAgent.map((a) => ({ key: a.agentId, label: a.agentName, ...a }))} />
          <Table caption="Par heure" rowHeader="Heure" rows={data.perHour.map((h) => ({ key: String(h.hour), label: `${h.hour} h`, ...h }))} />
          <h2>Présence</h2>
          <ul>{data.presence.map((p) => <li key={p.agentId}>{p.agentName} : {p.label}</li>)}</ul>
        </>
      )}
      <Staffing />
    </section>
  );
}

function Table({ caption, rowHeader, rows }: { caption: string; rowHeader: string; rows: Array<Row & { key: string; label: string }> }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">{rowHeader}</th><th scope="col">Appels</th><th scope="col">Répondus</th><th scope="col">Abandonnés</th><th scope="col">Niveau de service</th><th scope="col">DMT</th></tr>
        </thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={6}>Aucun appel ce jour.</td></tr>}
          {rows.map((r) => (
            <tr key={r.key}><th scope="row">{r.label}</th><td>{r.calls}</td><td>{r.answered}</td><td>{r.abandoned}</td><td>{pct(r.serviceLevel)}</td><td>{secs(r.ahtSeconds)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
