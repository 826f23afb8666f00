// The case page: header (reference, contact, topic, status, unit/agent, due date and SLA), the timeline
// of interactions and events, the reply composer, and the actions the API says this agent may take.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { useLiveCases } from '../live.ts';
import { Link, navigate, usePageTitle } from '../router.tsx';
import { queueKinds, useRefData, useSession } from '../session.tsx';
import { channel as channelLabel, LINK_LABELS, PRIORITY_LABELS, status as statusLabel, TRANSITION_LABELS } from '../labels.ts';
import { formatDateTime } from '../format.ts';
import { flash, lastQueuePath } from '../flash.ts';
import { DueDate, Field, FormError, Loading, StatusBadge } from '../components/ui.tsx';
import { TopicSelect, UnitSelect, useUnitMembers } from '../components/pickers.tsx';
import { isProcedureDeposit, Timeline } from '../components/Timeline.tsx';
import { ReplyComposer } from '../components/ReplyComposer.tsx';
import { NotFoundPage } from './NotFound.tsx';
import { SubmissionPanel } from './case/SubmissionPanel.tsx';
import { DocumentRequestsPanel } from './case/DocumentRequestsPanel.tsx';
import type { CaseDetail } from '../types.ts';

export function CasePage({ reference }: { reference: string }) {
  const c = useLoad((signal) => get<CaseDetail>(`/api/v1/cases/${encodeURIComponent(reference)}`, {}, signal), [reference]);
  const [message, setMessage] = useState<string | null>(null);
  usePageTitle(c.error?.status === 404 ? 'Demande introuvable' : `Demande ${reference}`);

  useLiveCases((e) => {
    if (e.reference === reference) c.reload();
  });

  if (c.error?.status === 404) return <NotFoundPage title="Demande introuvable" message={`${c.error.message} Vérifiez la référence ${reference}, ou demandez l’accès au service en charge.`} />;
  if (!c.data) {
    return c.error ? (
      <section className="page" aria-labelledby="page-title">
        <h1 id="page-title">Demande {reference}</h1>
        <div className="alert alert-error" role="alert">
          {c.error.message}{' '}
          <button type="button" className="button-link" onClick={c.reload}>
            Réessayer
          </button>
        </div>
      </section>
    ) : (
      <Loading label="Chargement de la demande…" />
    );
  }
  const d = c.data;
  const done = (msg: string) => {
    setMessage(msg);
    c.reload();
  };
  return (
    <article className="page case" aria-labelledby="page-title">
      <CaseHeader c={d} />
      <div role="status" className="status-slot">
        {message && <p className="alert alert-success">{message}</p>}
      </div>
      <div className="case-grid">
        <div className="case-main">
          {/* an online procedure's description is its answers, which the submission panel lays out */}
          {d.description && !d.interactions.some(isProcedureDeposit) && (
            <section aria-labelledby="desc-title" className="card">
              <h2 id="desc-title">Description</h2>
              <p className="pre">{d.description}</p>
            </section>
          )}
          <SubmissionPanel c={d} />
          <ReplyComposer c={d} onDone={done} />
          <Timeline c={d} />
        </div>
        <aside className="case-side" aria-label="Actions sur la demande">
          <CaseActions c={d} onDone={done} />
          <DocumentRequestsPanel c={d} onDone={done} />
          <LinksPanel c={d} onDone={done} />
        </aside>
      </div>
    </article>
  );
}

function CaseHeader({ c }: { c: CaseDetail }) {
  return (
    <header className="case-head">
      <p className="eyebrow">
        Demande {c.sensitive && <span className="badge badge-sensitive">Sensible</span>} {c.resolvedLevel1 && <span className="badge">Résolue au niveau 1</span>}
      </p>
      <h1 id="page-title">
        <span className="ref">{c.reference}</span> <span className="case-subject">{c.subject}</span>
      </h1>
      <dl className="facts">
        <div>
          <dt>Usager</dt>
          <dd>{c.contact ? <Link to={`/usagers/${c.contact.id}`}>{c.contact.displayName}</Link> : <span className="muted">Non renseigné</span>}</dd>
        </div>
        <div>
          <dt>Objet</dt>
          <dd>{c.topic ? `${c.topic.name} (${c.topic.domainName})` : <span className="muted">Non qualifiée</span>}</dd>
        </div>
        <div>
          <dt>Statut</dt>
          <dd>
            <StatusBadge status={c.status} />
          </dd>
        </div>
        <div>
          <dt>Service</dt>
          <dd>{c.unit?.name ?? <span className="muted">Aucun (niveau 1)</span>}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{c.assignee?.displayName ?? <span className="muted">Non attribuée</span>}</dd>
        </div>
        <div>
          <dt>Échéance</dt>
          <dd>
            <DueDate dueDate={c.dueDate} sla={c.sla} />
          </dd>
        </div>
        <div>
          <dt>Canal</dt>
          <dd>{channelLabel(c.channel)}</dd>
        </div>
        <div>
          <dt>Priorité</dt>
          <dd>{PRIORITY_LABELS[c.priority] ?? c.priority}</dd>
        </div>
        <div>
          <dt>Reçue le</dt>
          <dd>{formatDateTime(c.createdAt)}</dd>
        </div>
        {c.tags.length > 0 && (
          <div>
            <dt>Étiquettes</dt>
            <dd>{c.tags.join(', ')}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}

type Panel = 'none' | 'qualify' | 'assign' | 'transfer' | 'status' | 'escalate';

function CaseActions({ c, onDone }: { c: CaseDetail; onDone(msg: string): void }) {
  const { session } = useSession();
  const a = c.abilities;
  const me = session.agent.id;
  const [panel, setPanel] = useState<Panel>('none');
  const toggle = (p: Panel) => setPanel((x) => (x === p ? 'none' : p));
  const { run, pending, error } = useAction();
  const level1 = queueKinds(session).toQualify;
  // Qualification and assignment have their own actions: the status list offers the other moves.
  const transitions = a.transitions.filter((t) => !(t === 'qualified' && c.status === 'new') && t !== 'assigned');

  const assign = async (assigneeId: string | null, msg: string) => {
    if (await run(() => post(`/api/v1/cases/${c.reference}/assign`, { assigneeId }))) onDone(msg);
  };

  const nothing = !a.act && !a.assign && !a.takeOwnership && !transitions.length;
  return (
    <section className="card actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {nothing && <p className="muted">Vous pouvez consulter cette demande, mais elle relève d’un autre service : aucune action n’est possible.</p>}
      <div className="action-buttons">
        {a.takeOwnership && c.assignee?.id !== me && (
          <button type="button" className="button button-primary" disabled={pending} onClick={() => void assign(me, 'Demande attribuée à vous.')}>
            M’attribuer la demande
          </button>
        )}
        {a.takeOwnership && c.assignee?.id === me && (
          <button type="button" className="button button-secondary" disabled={pending} onClick={() => void assign(null, 'Vous n’êtes plus attribué à cette demande.')}>
            Me retirer
          </button>
        )}
        {a.act && (
          <button type="button" className="button button-secondary" aria-expanded={panel === 'qualify'} onClick={() => toggle('qualify')}>
            {c.topic ? 'Requalifier' : 'Qualifier'}
          </button>
        )}
        {a.assign && c.unit && (
          <button type="button" className="button button-secondary" aria-expanded={panel === 'assign'} onClick={() => toggle('assign')}>
            Attribuer à un agent
          </button>
        )}
        {a.act && c.topic && c.status !== 'closed' && (
          <button type="button" className="button button-secondary" aria-expanded={panel === 'transfer'} onClick={() => toggle('transfer')}>
            Transférer
          </button>
        )}
        {a.act && c.topic && level1 && c.status !== 'closed' && (
          <button type="button" className="button button-secondary" aria-expanded={panel === 'escalate'} onClick={() => toggle('escalate')}>
            Transmettre au niveau 2
          </button>
        )}
        {transitions.length > 0 && (
          <button type="button" className="button button-secondary" aria-expanded={panel === 'status'} onClick={() => toggle('status')}>
            Changer le statut
          </button>
        )}
      </div>
      {panel === 'none' && <FormError error={error} shown={[]} />}
      {panel === 'qualify' && <QualifyForm c={c} onDone={(m) => (setPanel('none'), onDone(m))} />}
      {panel === 'assign' && c.unit && <AssignForm c={c} onDone={(m) => (setPanel('none'), onDone(m))} />}
      {panel === 'transfer' && <TransferForm c={c} />}
      {panel === 'escalate' && <EscalateForm c={c} />}
      {panel === 'status' && <StatusForm c={c} transitions={transitions} onDone={(m) => (setPanel('none'), onDone(m))} />}
    </section>
  );
}

function QualifyForm({ c, onDone }: { c: CaseDetail; onDone(m: string): void }) {
  const [topic, setTopic] = useState(c.topic?.code ?? '');
  const [reason, setReason] = useState('');
  const { run, pending, error } = useAction();
  const { topics } = useRefData();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => post<{ unitCode?: string; routing?: string }>(`/api/v1/cases/${c.reference}/qualify`, { topic, reason: reason.trim() || null }));
    if (r) onDone(`Demande qualifiée : ${topics.find((t) => t.code === topic)?.name ?? topic}.${r.routing ? ` ${r.routing}` : ''}`);
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Qualifier la demande">
      <Field label="Objet de la demande" error={error?.fields.topic} hint="La demande sera orientée vers le service en charge de cet objet et son échéance calculée.">
        {(p) => <TopicSelect {...p} emptyLabel="Choisir un objet" value={topic} onChange={(e) => setTopic(e.target.value)} required />}
      </Field>
      <Field label="Commentaire (facultatif)" error={error?.fields.reason}>
        {(p) => <input {...p} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError error={error} shown={['topic', 'reason']} />
      <button type="submit" className="button button-primary" disabled={pending || !topic}>
        Qualifier
      </button>
    </form>
  );
}

function AssignForm({ c, onDone }: { c: CaseDetail; onDone(m: string): void }) {
  const members = useUnitMembers([c.unit!.code]);
  const [who, setWho] = useState('');
  const { run, pending, error } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = members?.find((x) => x.id === who);
    if (!m) return;
    if (await run(() => post(`/api/v1/cases/${c.reference}/assign`, { assigneeId: m.id }))) onDone(`Demande attribuée à ${m.displayName}.`);
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label="Attribuer à un agent">
      <Field label={`Agent du service ${c.unit!.name}`} error={error?.fields.assigneeId}>
        {(p) => (
          <select {...p} value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">{members === null ? 'Chargement…' : 'Choisir un agent'}</option>
            {members?.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormError error={error} shown={['assigneeId']} />
      <button type="submit" className="button button-primary" disabled={pending || !who}>
        Attribuer
      </button>
    </form>
  );
}

function TransferForm({ c }: { c: CaseDetail }) {
  const [unit, setUnit] = useState('');
  const [reason, setReason] = useState('');
  const { run, pending, error, setError } = useAction();
  const { units } = useRefData();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!unit) fields.unit = 'Choisissez le service destinataire.';
    if (!reason.trim()) fields.reason = 'Le motif du transfert est obligatoire.';
    if (Object.keys(fields).length) return setError(new ApiError(422, 'invalid', 'Complétez le transfert.', fields));
    if (await run(() => post(`/api/v1/cases/${c.reference}/transfer`, { unit, reason: reason.trim() }))) {
      flash(`Demande ${c.reference} transférée au service ${units.find((u) => u.code === unit)?.name ?? unit}.`);
      navigate(lastQueuePath());
    }
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Transférer la demande">
      <Field label="Service destinataire" error={error?.fields.unit}>
        {(p) => <UnitSelect {...p} emptyLabel="Choisir un service" exclude={c.unit?.code} value={unit} onChange={(e) => setUnit(e.target.value)} />}
      </Field>
      <Field label="Motif du transfert" error={error?.fields.reason} hint="Visible dans l’historique de la demande.">
        {(p) => <textarea {...p} rows={3} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError error={error} shown={['unit', 'reason']} />
      <button type="submit" className="button button-primary" disabled={pending}>
        Transférer
      </button>
    </form>
  );
}

function EscalateForm({ c }: { c: CaseDetail }) {
  const [reason, setReason] = useState('');
  const [callback, setCallback] = useState(false);
  const { run, pending, error } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => post<{ routing?: string }>(`/api/v1/cases/${c.reference}/escalate`, { reason: reason.trim() || null, callbackRequested: callback }));
    if (r) {
      flash(`Demande ${c.reference} transmise au niveau 2.${r.routing ? ` ${r.routing}` : ''}`);
      navigate(lastQueuePath());
    }
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label="Transmettre au niveau 2">
      <Field label="Précisions pour le service (facultatif)" error={error?.fields.reason}>
        {(p) => <textarea {...p} rows={3} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={callback} onChange={(e) => setCallback(e.target.checked)} /> L’usager souhaite être rappelé
      </label>
      <FormError error={error} shown={['reason']} />
      <button type="submit" className="button button-primary" disabled={pending}>
        Transmettre
      </button>
    </form>
  );
}

function StatusForm({ c, transitions, onDone }: { c: CaseDetail; transitions: string[]; onDone(m: string): void }) {
  const [to, setTo] = useState(transitions[0] ?? '');
  const [reason, setReason] = useState('');
  const { run, pending, error } = useAction();
  useEffect(() => {
    if (!transitions.includes(to)) setTo(transitions[0] ?? '');
  }, [transitions, to]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => post(`/api/v1/cases/${c.reference}/transitions`, { to, reason: reason.trim() || null }))) onDone(`Statut changé : ${statusLabel(to)}.`);
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Changer le statut">
      <Field label="Nouveau statut" error={error?.fields.to}>
        {(p) => (
          <select {...p} value={to} onChange={(e) => setTo(e.target.value)}>
            {transitions.map((t) => (
              <option key={t} value={t}>
                {c.status === 'closed' && t === 'in_progress' ? 'Rouvrir (en cours)' : (TRANSITION_LABELS[t] ?? statusLabel(t))}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Motif" error={error?.fields.reason} hint="Obligatoire pour rouvrir une demande ou clôturer une demande non qualifiée.">
        {(p) => <textarea {...p} rows={2} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError error={error} shown={['to', 'reason']} />
      <button type="submit" className="button button-primary" disabled={pending || !to}>
        Enregistrer le statut
      </button>
    </form>
  );
}

function LinksPanel({ c, onDone }: { c: CaseDetail; onDone(m: string): void }) {
  const [mode, setMode] = useState<'none' | 'link' | 'merge'>('none');
  const [other, setOther] = useState('');
  const [kind, setKind] = useState('related');
  const [note, setNote] = useState('');
  const { run, pending, error } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ref = other.trim();
    if (mode === 'link') {
      if (await run(() => post(`/api/v1/cases/${c.reference}/links`, { other: ref, kind, ...(note.trim() ? { note: note.trim() } : {}) }))) {
        setMode('none');
        setOther('');
        onDone(`Demande liée à ${ref}.`);
      }
    } else if (await run(() => post<{ movedInteractions: number }>(`/api/v1/cases/${c.reference}/merge`, { duplicate: ref }))) {
      setMode('none');
      setOther('');
      onDone(`Demande ${ref} fusionnée dans celle-ci.`);
    }
  };
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">Demandes liées</h2>
      {c.links.length ? (
        <ul className="links">
          {c.links.map((l) => (
            <li key={`${l.direction}-${l.reference}`}>
              <span className="badge">{LINK_LABELS[l.kind] ?? l.kind}</span> <Link to={`/demandes/${l.reference}`}>{l.reference}</Link> — {l.subject} ({statusLabel(l.status)})
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Aucune demande liée.</p>
      )}
      <div className="action-buttons">
        {c.abilities.annotate && (
          <button type="button" className="button button-secondary" aria-expanded={mode === 'link'} onClick={() => setMode(mode === 'link' ? 'none' : 'link')}>
            Lier une demande
          </button>
        )}
        {c.abilities.act && c.status !== 'closed' && (
          <button type="button" className="button button-secondary" aria-expanded={mode === 'merge'} onClick={() => setMode(mode === 'merge' ? 'none' : 'merge')}>
            Fusionner un doublon
          </button>
        )}
      </div>
      {mode !== 'none' && (
        <form className="action-form" onSubmit={submit} noValidate aria-label={mode === 'link' ? 'Lier une demande' : 'Fusionner un doublon'}>
          <Field
            label={mode === 'link' ? 'Référence de l’autre demande' : 'Référence de la demande en double'}
            error={error?.fields.other ?? error?.fields.duplicate}
            hint={mode === 'merge' ? 'Ses échanges seront repris ici et elle sera clôturée.' : 'Format AAAA-NNNNNN, par exemple 2026-000123.'}
          >
            {(p) => <input {...p} value={other} onChange={(e) => setOther(e.target.value)} inputMode="numeric" pattern="\d{4}-\d{6,}" />}
          </Field>
          {mode === 'link' && (
            <>
              <Field label="Nature du lien">
                {(p) => (
                  <select {...p} value={kind} onChange={(e) => setKind(e.target.value)}>
                    <option value="related">Demande liée</option>
                    <option value="duplicate">Doublon</option>
                    <option value="follow_up">Suite d’une demande</option>
                  </select>
                )}
              </Field>
              <Field label="Note (facultatif)">{(p) => <input {...p} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />}</Field>
            </>
          )}
          <FormError error={error} shown={['other', 'duplicate']} />
          <button type="submit" className="button button-primary" disabled={pending || !other.trim()}>
            {mode === 'link' ? 'Lier' : 'Fusionner'}
          </button>
        </form>
      )}
    </section>
  );
}
