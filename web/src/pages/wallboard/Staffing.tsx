// The staffing planner (Erlang C) on the supervisors' wallboard: agents needed for a volume of calls per
// hour, day or month (spread over the day's half-hours by the intraday curve), a handling time, a service
// level target and shrinkage. Shows at once what today's 440 calls/day and 20,000 calls/month need.
import { useEffect, useState } from 'react';
import { get, type ApiError } from '../../api.ts';
import { Field, ErrorMessage } from '../../components/ui.tsx';

interface Result {
  agentsOnPhones: number;
  agents: number;
  serviceLevel: number;
  asaSeconds: number;
  occupancy: number;
}
interface DayPlan {
  mode: 'day';
  callsPerDay: number;
  slots: Array<Result & { start: string; calls: number }>;
  peakAgents: number;
  agentHours: number;
}
type Plan = DayPlan | (Result & { mode: 'interval' });
type Per = 'hour' | 'day' | 'month';

interface Params {
  volume: number;
  per: Per;
  aht: number;
  target: number;
  within: number;
  shrinkage: number;
}

const PER_PARAM: Record<Per, string> = { hour: 'callsPerHour', day: 'callsPerDay', month: 'callsPerMonth' };
const PER_LABEL: Record<Per, string> = { hour: 'par heure', day: 'par jour', month: 'par mois' };
const DEFAULTS = { aht: 180, target: 80, within: 20, shrinkage: 30 };
const PRESETS: Array<{ volume: number; per: Per; label: string }> = [
  { volume: 440, per: 'day', label: '440 appels par jour' },
  { volume: 20_000, per: 'month', label: '20 000 appels par mois' },
];

const pct = (x: number) => `${Math.round(x * 100)} %`;
const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

function fetchPlan(p: Params) {
  return get<Plan>('/api/v1/phone/staffing', {
    [PER_PARAM[p.per]]: p.volume, aht: p.aht, target: p.target / 100, within: p.within, shrinkage: p.shrinkage / 100,
  });
}

export function Staffing() {
  const [presets, setPresets] = useState<Array<DayPlan | null>>([]);
  const [form, setForm] = useState<Params>({ volume: 440, per: 'day', ...DEFAULTS });
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    Promise.all(PRESETS.map((p) => fetchPlan({ ...p, ...DEFAULTS }).then((r) => (r.mode === 'day' ? r : null), () => null))).then(setPresets);
  }, []);

  const compute = (p: Params) => {
    setError(null);
    fetchPlan(p).then(setPlan, (err) => {
      setPlan(null);
      setError(err);
    });
  };
  const set = (k: keyof Params) => (e: { target: { value: string } }) => setForm({ ...form, [k]: k === 'per' ? e.target.value : Number(e.target.value) });

  return (
    <section aria-labelledby="staffing-title">
      <h2 id="staffing-title">Dimensionnement (Erlang C)</h2>
      <p className="muted">
        Durée moyenne de traitement {DEFAULTS.aht} s, {DEFAULTS.target} % des appels répondus en {DEFAULTS.within} s, {DEFAULTS.shrinkage} % d’absentéisme
        (pauses, formation, absences), courbe horaire de 7 h 30 à 19 h.
      </p>
      <ul>
        {PRESETS.map((p, i) => {
          const r = presets[i];
          return (
            <li key={p.label}>
              <strong>{p.label}</strong>
              {r ? ` : ${r.peakAgents} agents à planifier au pic (${nf.format(r.callsPerDay)} appels par jour ouvré), ${nf.format(r.agentHours)} heures-agents par jour.` : ' : …'}
            </li>
          );
        })}
      </ul>
      <form className="staffing-form" aria-label="Calculer un dimensionnement" onSubmit={(e) => { e.preventDefault(); compute(form); }}>
        <ErrorMessage error={error} />
        <div className="staffing-fields">
          <Field label="Volume d’appels" error={error?.fields.callsPerHour ?? error?.fields.callsPerDay}>
            {(p) => <input {...p} type="number" min={0} step="any" value={form.volume} onChange={set('volume')} required />}
          </Field>
          <Field label="Période">
            {(p) => (
              <select {...p} value={form.per} onChange={set('per')}>
                {(Object.keys(PER_LABEL) as Per[]).map((k) => <option key={k} value={k}>{PER_LABEL[k]}</option>)}
              </select>
            )}
          </Field>
          <Field label="Durée moyenne de traitement (s)" error={error?.fields.aht}>
            {(p) => <input {...p} type="number" min={1} value={form.aht} onChange={set('aht')} required />}
          </Field>
          <Field label="Objectif (%)" error={error?.fields.target}>
            {(p) => <input {...p} type="number" min={1} max={99} value={form.target} onChange={set('target')} required />}
          </Field>
          <Field label="Répondus en (s)" error={error?.fields.within}>
            {(p) => <input {...p} type="number" min={1} value={form.within} onChange={set('within')} required />}
          </Field>
          <Field label="Absentéisme (%)" error={error?.fields.shrinkage}>
            {(p) => <input {...p} type="number" min={0} max={90} value={form.shrinkage} onChange={set('shrinkage')} required />}
          </Field>
        </div>
        <button type="submit" className="button button-secondary">Calculer</button>
      </form>
      {plan && <PlanView plan={plan} />}
    </section>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  if (plan.mode === 'interval') {
    return (
      <p role="status">
        {plan.agents} agents à planifier ({plan.agentsOnPhones} en ligne) : niveau de service {pct(plan.serviceLevel)}, attente moyenne {Math.round(plan.asaSeconds)} s,
        occupation {pct(plan.occupancy)}.
      </p>
    );
  }
  return (
    <>
      <p role="status">
        {plan.peakAgents} agents à planifier au pic pour {nf.format(plan.callsPerDay)} appels par jour ouvré ; {nf.format(plan.agentHours)} heures-agents par jour.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Agents par demi-heure</caption>
          <thead>
            <tr><th scope="col">Début</th><th scope="col">Appels</th><th scope="col">En ligne</th><th scope="col">À planifier</th><th scope="col">Niveau de service</th><th scope="col">Attente moyenne</th><th scope="col">Occupation</th></tr>
          </thead>
          <tbody>
            {plan.slots.map((s) => (
              <tr key={s.start}>
                <th scope="row">{s.start.replace(':', ' h ')}</th><td>{nf.format(s.calls)}</td><td>{s.agentsOnPhones}</td><td>{s.agents}</td>
                <td>{pct(s.serviceLevel)}</td><td>{Math.round(s.asaSeconds)} s</td><td>{pct(s.occupancy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
