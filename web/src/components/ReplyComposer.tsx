// The composer under the case header: one tab per way of answering or annotating. The internal note is
// always there (when the case may be annotated); every reply channel the server has registered
// (GET /api/v1/cases/:ref/reply-channels: email, letter, portal message… as their issues land) gets a tab,
// sent through POST /api/v1/cases/:ref/replies. A channel needing its own form registers it in
// `replyChannels` under the server channel's id. Nothing is faked: no server channel, no tab.
import { useId, useRef, useState, type ComponentType, type FormEvent, type KeyboardEvent } from 'react';
import { get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { Field, FormError } from './ui.tsx';
import type { CaseDetail } from '../types.ts';

export interface ReplyChannelProps {
  c: CaseDetail;
  onDone(message: string): void;
}

export interface ReplyChannel {
  id: string;
  label: string;
  available(c: CaseDetail): boolean;
  Form: ComponentType<ReplyChannelProps>;
}

function NoteForm({ c, onDone }: ReplyChannelProps) {
  const [body, setBody] = useState('');
  const { run, pending, error } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => post(`/api/v1/cases/${c.reference}/interactions`, { kind: 'note', body }))) {
      setBody('');
      onDone('Note interne ajoutée.');
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Note interne" hint="Visible des agents seulement, jamais de l’usager." error={error?.fields.body}>
        {(p) => <textarea {...p} rows={4} value={body} maxLength={200000} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <FormError error={error} shown={['body']} />
      <button type="submit" className="button button-primary" disabled={pending || !body.trim()}>
        Ajouter la note
      </button>
    </form>
  );
}

/** Client-side forms: the note, and custom forms for server channels (by the server channel's id). */
export const replyChannels: ReplyChannel[] = [{ id: 'note', label: 'Note', available: (c) => c.abilities.annotate, Form: NoteForm }];

export function registerReplyChannel(ch: ReplyChannel) {
  if (!replyChannels.some((x) => x.id === ch.id)) replyChannels.push(ch);
}

interface ServerChannel {
  id: string;
  label: string;
  available: boolean;
  reason?: string;
}

/** The default form of a server reply channel: subject and message, sent by POST …/replies. */
function replyForm(ch: ServerChannel): ComponentType<ReplyChannelProps> {
  return function GenericReplyForm({ c, onDone }: ReplyChannelProps) {
    const [subject, setSubject] = useState('');
    const [body, setBody] = useState('');
    const { run, pending, error } = useAction();
    if (!ch.available) return <p className="muted">Indisponible pour cette demande{ch.reason ? ` : ${ch.reason}` : '.'}</p>;
    const submit = async (e: FormEvent) => {
      e.preventDefault();
      if (await run(() => post(`/api/v1/cases/${c.reference}/replies`, { channel: ch.id, subject: subject.trim() || null, body }))) {
        setSubject('');
        setBody('');
        onDone(`Réponse envoyée (${ch.label.toLowerCase()}).`);
      }
    };
    return (
      <form onSubmit={submit} noValidate>
        <Field label="Objet" error={error?.fields.subject}>
          {(p) => <input {...p} value={subject} maxLength={500} onChange={(e) => setSubject(e.target.value)} />}
        </Field>
        <Field label="Message" error={error?.fields.body}>
          {(p) => <textarea {...p} rows={6} value={body} maxLength={100000} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <FormError error={error} shown={['subject', 'body']} />
        <button type="submit" className="button button-primary" disabled={pending || !body.trim()}>
          Envoyer
        </button>
      </form>
    );
  };
}

// One component per server channel state, kept: a new component type on every render would reset the form.
const forms = new Map<string, ComponentType<ReplyChannelProps>>();
function replyFormFor(ch: ServerChannel) {
  const key = JSON.stringify(ch);
  let f = forms.get(key);
  if (!f) forms.set(key, (f = replyForm(ch)));
  return f;
}

export function ReplyComposer({ c, onDone }: ReplyChannelProps) {
  const uid = useId();
  const server = useLoad((signal) => (c.abilities.act ? get<{ items: ServerChannel[] }>(`/api/v1/cases/${c.reference}/reply-channels`, {}, signal) : Promise.resolve({ items: [] })), [c.reference, c.abilities.act]);
  const tabs: ReplyChannel[] = [
    ...replyChannels.filter((ch) => ch.id === 'note' && ch.available(c)),
    ...(server.data?.items ?? []).map((sc) => {
      const custom = replyChannels.find((ch) => ch.id === sc.id);
      return { id: sc.id, label: sc.label, available: () => true, Form: custom && sc.available ? custom.Form : replyFormFor(sc) };
    }),
  ];
  const [current, setCurrent] = useState(tabs[0]?.id);
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  if (!tabs.length) return null;
  const active = tabs.find((t) => t.id === current) ?? tabs[0];

  const onKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    setCurrent(tabs[next].id);
    refs.current[next]?.focus();
  };

  return (
    <section className="card composer" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Répondre ou annoter</h2>
      <div role="tablist" aria-label="Canal" className="tabs">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => void (refs.current[i] = el)}
            type="button"
            role="tab"
            id={`${uid}-tab-${t.id}`}
            aria-selected={t.id === active.id}
            aria-controls={`${uid}-panel`}
            tabIndex={t.id === active.id ? 0 : -1}
            onClick={() => setCurrent(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${active.id}`}>
        <active.Form c={c} onDone={onDone} />
      </div>
    </section>
  );
}
