// The mail office's back-office pages: /courrier (batches with their progress, letters to qualify) and
// /courrier/:id (qualification: the scan page by page beside the read text and the proposals, each with
// where it came from; the clerk confirms or corrects, then validates).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, get, post, upload } from '../../api.ts';
import { Link, match, navigate, usePageTitle } from '../../router.tsx';
import { Empty, ErrorMessage, Field, FormError, Loading } from '../../components/ui.tsx';
import { TopicSelect } from '../../components/pickers.tsx';
import { can, useSession } from '../../session.tsx';
import { formatSize, plural } from '../../format.ts';
import { ACCEPT, mebibytes, refusalOf, type Limits } from './upload-check.ts';
import { ScanViewer } from './ScanViewer.tsx';

interface Source { kind: string; line?: number; excerpt?: string; detail: string }
interface P<T> { value: T; source: Source }
interface Letter {
  id: string; chrono: string; status: string; statusLabel: string; pageCount: number; receivedAt: string; text?: string;
  warnings: string[]; ocrConfidence: number | null; caseReference: string | null; acknowledgementChrono: string | null;
  proposals: {
    sender?: { kind: string; name?: P<string>; firstName?: string; lastName?: string; orgName?: string; address?: P<{ line1: string; postcode: string; city: string }>; email?: P<string>; phone?: P<string> };
    subject?: P<string>; date?: P<string>; caseReference?: P<string>; siret?: P<string>; rna?: P<string>;
    contacts?: Array<{ id: string; displayName: string; reason: string }>;
    case?: { reference: string; subject: string; status: string } | null;
    topic?: P<{ code: string; name: string }>; unit?: P<{ code: string; name: string }>;
  };
}
interface Batch { id: string; filename: string; statusLabel: string; status: string; reason: string | null; pagesDone: number; pagesTotal: number; lettersCount: number; createdAt: string }

export function MailPages({ path }: { path: string }) {
  const m = match('/courrier/:id', path);
  return m ? <QualifyPage key={m.id} id={m.id} /> : <MailQueuePage />;
}

function MailQueuePage() {
  usePageTitle('Courrier à qualifier');
  const { session } = useSession();
  const [letters, setLetters] = useState<Letter[] | null>(null);
  const [batches, setBatches] = useState<Batch[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const live = useRef(true);
  const load = useCallback(
    () =>
      Promise.all([get<{ items: Letter[] }>('/api/v1/mail/letters', { status: 'to_qualify', limit: 200 }), get<{ items: Batch[] }>('/api/v1/mail/batches')])
        .then(([l, b]) => live.current && (setLetters(l.items), setBatches(b.items)))
        .catch((e) => live.current && setError(e)),
    [],
  );
  useEffect(() => {
    live.current = true;
    void load();
    const t = setInterval(load, 5000);
    return () => {
      live.current = false;
      clearInterval(t);
    };
  }, [load]);
  if (error) return <ErrorMessage error={error} />;
  if (!letters) return <Loading />;
  return (
    <section>
      <h1>Courrier à qualifier</h1>
      <p>
        <a href="/api/v1/mail/separator-sheet.pdf" target="_blank" rel="noreferrer">Imprimer une feuille de séparation</a>
      </p>
      {can(session, 'mail.intake') && <UploadSection onUploaded={load} />}
      <h2>Lots déposés</h2>
      <table>
        <thead><tr><th>Fichier</th><th>État</th><th>Avancement</th><th>Courriers</th></tr></thead>
        <tbody>
          {batches.slice(0, 10).map((b) => (
            <tr key={b.id}>
              <td>{b.filename}</td>
              <td>{b.statusLabel}{b.reason ? ` — ${b.reason}` : ''}</td>
              <td>{b.pagesTotal ? <><progress max={b.pagesTotal} value={b.pagesDone} aria-label={`Avancement du lot ${b.filename}`} /> {b.pagesDone}/{b.pagesTotal} pages</> : '—'}</td>
              <td>{b.lettersCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>À qualifier ({letters.length})</h2>
      {letters.length === 0 ? (
        <Empty>Aucun courrier en attente.</Empty>
      ) : (
        <table>
          <thead><tr><th>N° chrono</th><th>Reçu le</th><th>Expéditeur proposé</th><th>Objet proposé</th><th>Pages</th></tr></thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td><Link to={`/courrier/${l.id}`}>{l.chrono}</Link></td>
                <td>{new Date(l.receivedAt).toLocaleDateString('fr-FR')}</td>
                <td>{l.proposals.sender?.name?.value ?? '—'}</td>
                <td>{l.proposals.subject?.value ?? '—'}</td>
                <td>{l.pageCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Deposit {
  key: string; name: string; size: number;
  state: 'refused' | 'waiting' | 'sending' | 'received' | 'rejected';
  progress: number; message?: string; batchId?: string; pages?: number; duplicateOf?: string | null;
}

/** The clerk's deposit of scanned batches: one or several files, each sent on its own, with its progress. */
function UploadSection({ onUploaded }: { onUploaded(): void }) {
  const [limits, setLimits] = useState<Limits | null>(null);
  const [limitsError, setLimitsError] = useState<ApiError | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [deposits, setDeposits] = useState<Deposit[]>([]);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    get<Limits>('/api/v1/mail/intake-limits').then(setLimits, setLimitsError);
  }, []);
  const update = (key: string, patch: Partial<Deposit>) => setDeposits((ds) => ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!limits || busy) return;
    if (!files.length) {
      setFormError('Choisissez au moins un fichier numérisé.');
      input.current?.focus();
      return;
    }
    setFormError(null);
    setBusy(true);
    const stamp = Date.now();
    const list: Array<Deposit & { file: File }> = files.map((file, i) => {
      const refusal = refusalOf(file, limits);
      return { key: `${stamp}-${i}`, name: file.name, size: file.size, file, progress: 0, state: refusal ? 'refused' : 'waiting', message: refusal ?? undefined };
    });
    setDeposits((ds) => [...list.map(({ file: _file, ...d }) => d), ...ds]);
    for (const d of list) {
      if (d.state === 'refused') continue;
      update(d.key, { state: 'sending' });
      try {
        const r = await upload<{ batchId: string; pages: number; duplicateOf: string | null }>('/api/v1/mail/batches', d.file, (progress) => update(d.key, { progress }));
        update(d.key, { state: 'received', progress: 1, batchId: r.batchId, pages: r.pages, duplicateOf: r.duplicateOf });
      } catch (err) {
        update(d.key, { state: 'rejected', message: (err as ApiError).message });
      }
    }
    setFiles([]);
    if (input.current) input.current.value = '';
    setBusy(false);
    onUploaded();
  };
  return (
    <section className="mail-upload" aria-labelledby="mail-upload-title">
      <h2 id="mail-upload-title">Déposer des numérisations</h2>
      <ErrorMessage error={limitsError} />
      <form onSubmit={submit} noValidate>
        <Field
          label="Fichiers numérisés"
          error={formError ?? undefined}
          hint={`PDF (multipage), TIFF, JPEG ou PNG${limits ? `, au plus ${mebibytes(limits.maxBytes)} et ${limits.maxPages} pages par fichier` : ''}. Séparez les courriers d’un lot par une feuille de séparation ; sans feuille, un fichier = un courrier.`}
        >
          {(a) => <input {...a} ref={input} type="file" multiple accept={ACCEPT} disabled={busy} onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy || !limits}>
          {busy ? 'Dépôt en cours…' : files.length > 1 ? `Déposer les ${files.length} fichiers` : 'Déposer'}
        </button>
      </form>
      <ul className="mail-deposits" aria-live="polite" aria-label="Fichiers déposés">
        {deposits.map((d) => (
          <li key={d.key} className={`mail-deposit mail-deposit-${d.state}`}>
            <strong>{d.name}</strong> <span className="muted">({formatSize(d.size)})</span> — <DepositState d={d} />
            {d.batchId && d.state === 'received' && <BatchLetters batchId={d.batchId} onDone={onUploaded} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DepositState({ d }: { d: Deposit }) {
  switch (d.state) {
    case 'waiting':
      return <span>en attente d’envoi</span>;
    case 'sending':
      return (
        <span>
          envoi en cours <progress max={100} value={Math.round(d.progress * 100)} aria-label={`Envoi de ${d.name}`} /> {Math.round(d.progress * 100)} %
        </span>
      );
    case 'received':
      return (
        <span>
          reçu : {plural(d.pages ?? 0, 'page')}.{d.duplicateOf ? ' Attention : ce fichier (même contenu) avait déjà été déposé.' : ''}
        </span>
      );
    default:
      return <span className="mail-refusal">refusé : {d.message}</span>;
  }
}

const BATCH_FINAL = ['done', 'rejected', 'failed'];

/** A deposited batch: its progress while split and read, then its registered letters. */
function BatchLetters({ batchId, onDone }: { batchId: string; onDone(): void }) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [letters, setLetters] = useState<Letter[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const b = await get<Batch>(`/api/v1/mail/batches/${batchId}`);
        if (!live) return;
        setBatch(b);
        if (b.lettersCount > 0) {
          const l = await get<{ items: Letter[] }>('/api/v1/mail/letters', { batch: batchId });
          if (live) setLetters(l.items);
        }
        if (BATCH_FINAL.includes(b.status)) return onDone();
      } catch (e) {
        if (live) setError(e as ApiError);
      }
      if (live) timer = setTimeout(poll, 1500);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [batchId, onDone]);
  if (error) return <ErrorMessage error={error} />;
  if (!batch) return null;
  return (
    <div className="mail-batch">
      <p>
        Lot : {batch.statusLabel}
        {batch.reason ? ` — ${batch.reason}` : ''}
        {batch.pagesTotal > 0 && !BATCH_FINAL.includes(batch.status) && (
          <> — <progress max={batch.pagesTotal} value={batch.pagesDone} aria-label={`Lecture du lot ${batch.filename}`} /> {batch.pagesDone}/{batch.pagesTotal} pages lues</>
        )}
        {batch.lettersCount > 0 && <> — {plural(batch.lettersCount, 'courrier')}</>}
      </p>
      {letters && letters.length > 0 && (
        <table>
          <caption className="visually-hidden">Courriers du lot {batch.filename}</caption>
          <thead><tr><th>N° chrono</th><th>État</th><th>Expéditeur proposé</th><th>Objet proposé</th><th>Pages</th></tr></thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td><Link to={`/courrier/${l.id}`}>{l.chrono}</Link></td>
                <td>{l.statusLabel}</td>
                <td>{l.proposals.sender?.name?.value ?? '—'}</td>
                <td>{l.proposals.subject?.value ?? '—'}</td>
                <td>{l.pageCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Why({ p }: { p?: P<unknown> }) {
  if (!p) return null;
  return <p className="hint">{p.source.detail}{p.source.line ? ` (ligne ${p.source.line} : « ${p.source.excerpt} »)` : ''}</p>;
}

function QualifyPage({ id }: { id: string }) {
  const [letter, setLetter] = useState<Letter | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [form, setForm] = useState({ name: '', email: '', phone: '', line1: '', postcode: '', city: '', contactId: '', topic: '', subject: '', caseReference: '', paperLocation: '', level1: false });
  usePageTitle(letter ? `Courrier ${letter.chrono}` : 'Courrier');
  useEffect(() => {
    get<Letter>(`/api/v1/mail/letters/${id}`).then((l) => {
      setLetter(l);
      const p = l.proposals;
      setForm((f) => ({
        ...f,
        name: p.sender?.name?.value ?? '', email: p.sender?.email?.value ?? '', phone: p.sender?.phone?.value ?? '',
        line1: p.sender?.address?.value.line1 ?? '', postcode: p.sender?.address?.value.postcode ?? '', city: p.sender?.address?.value.city ?? '',
        contactId: p.contacts?.[0]?.id ?? '', topic: p.topic?.value.code ?? '', subject: p.subject?.value ?? '', caseReference: p.case?.reference ?? '',
      }));
    }, setError);
  }, [id]);
  if (!letter) return error ? <ErrorMessage error={error} /> : <Loading />;
  const p = letter.proposals;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const isOrg = p.sender?.kind === 'organisation';
    const contact = form.contactId
      ? undefined
      : {
          ...(isOrg ? { orgName: form.name, kind: 'organisation' as const } : { name: form.name }),
          email: form.email || undefined, phone: form.phone || undefined,
          address: form.line1 && form.postcode && form.city ? { line1: form.line1, postcode: form.postcode, city: form.city } : undefined,
        };
    try {
      const r = await post<{ caseReference: string }>(`/api/v1/mail/letters/${id}/validate`, {
        topic: form.topic, subject: form.subject, contactId: form.contactId || undefined, contact,
        caseReference: form.caseReference || null, level1: form.level1, paperLocation: form.paperLocation || null,
      });
      navigate(`/demandes/${r.caseReference}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="mail-qualify">
      <h1>Courrier {letter.chrono} <small>({letter.statusLabel})</small></h1>
      {letter.warnings.map((w) => <p key={w} className="warning" role="status">{w}</p>)}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0,1fr) minmax(0,1fr)', gap: '1.5rem' }}>
        <div>
          <ScanViewer chrono={letter.chrono} pageCount={letter.pageCount} pageUrl={(n) => `/api/v1/mail/letters/${id}/pages/${n}`} />
          <p>
            <a href={`/api/v1/mail/letters/${id}/scan.pdf`} target="_blank" rel="noreferrer">Ouvrir le PDF<span className="visually-hidden"> du courrier {letter.chrono}</span></a>
          </p>
          <details><summary>Texte lu{letter.ocrConfidence !== null ? ` (confiance ${Math.round(letter.ocrConfidence)} %)` : ''}</summary><pre style={{ whiteSpace: 'pre-wrap' }}>{letter.text}</pre></details>
        </div>
        {letter.status !== 'to_qualify' ? (
          <div>
            <p>Ce courrier est {letter.statusLabel.toLowerCase()}{letter.caseReference ? <> : <Link to={`/demandes/${letter.caseReference}`}>{letter.caseReference}</Link></> : null}.</p>
            {letter.acknowledgementChrono && (
              <p>
                Accusé de réception envoyé ({letter.acknowledgementChrono}) :{' '}
                <a href={`/api/v1/mail/letters/${id}/acknowledgement.pdf`} target="_blank" rel="noreferrer">afficher le PDF<span className="visually-hidden"> de l’accusé de réception {letter.acknowledgementChrono}</span></a>
              </p>
            )}
          </div>
        ) : (
          <form onSubmit={submit}>
            <FormError error={error} shown={['topic', 'subject']} />
            {p.contacts?.length ? (
              <Field label="Usager connu">{(a) => (
                <select {...a} value={form.contactId} onChange={set('contactId')}>
                  <option value="">Nouvel usager (ci-dessous)</option>
                  {p.contacts!.map((c) => <option key={c.id} value={c.id}>{c.displayName} — {c.reason}</option>)}
                </select>
              )}</Field>
            ) : null}
            {!form.contactId && (
              <>
                <Field label="Expéditeur">{(a) => <input {...a} value={form.name} onChange={set('name')} />}</Field>
                <Why p={p.sender?.name} />
                <Field label="Adresse">{(a) => <input {...a} value={form.line1} onChange={set('line1')} />}</Field>
                <Field label="Code postal">{(a) => <input {...a} value={form.postcode} onChange={set('postcode')} inputMode="numeric" />}</Field>
                <Field label="Commune">{(a) => <input {...a} value={form.city} onChange={set('city')} />}</Field>
                <Why p={p.sender?.address} />
                <Field label="Courriel">{(a) => <input {...a} value={form.email} onChange={set('email')} />}</Field>
                <Field label="Téléphone">{(a) => <input {...a} value={form.phone} onChange={set('phone')} />}</Field>
              </>
            )}
            <Field label="Objet du courrier" error={error?.fields.subject}>{(a) => <input {...a} required value={form.subject} onChange={set('subject')} />}</Field>
            <Why p={p.subject} />
            <Field label="Objet de la demande (thème)" error={error?.fields.topic}>{(a) => <TopicSelect {...a} required emptyLabel="Choisir…" value={form.topic} onChange={set('topic')} />}</Field>
            <Why p={p.topic} />
            {p.unit && <p className="hint">Service proposé : {p.unit.value.name} — {p.unit.source.detail}</p>}
            <Field label="Demande existante (référence)" hint={p.case ? `Citée : ${p.case.reference} — ${p.case.subject}` : 'Laisser vide pour ouvrir une nouvelle demande.'}>{(a) => <input {...a} value={form.caseReference} onChange={set('caseReference')} />}</Field>
            <Field label="Emplacement de l’original (boîte, étagère)">{(a) => <input {...a} value={form.paperLocation} onChange={set('paperLocation')} />}</Field>
            <p><label><input type="checkbox" checked={form.level1} onChange={(e) => setForm({ ...form, level1: e.target.checked })} /> Répondu au niveau 1 (demande close)</label></p>
            <button type="submit" className="button button-primary">Valider et orienter</button>
          </form>
        )}
      </div>
    </section>
  );
}
