// Reply templates: list, create, edit, delete; the placeholders a template may use are listed by the form.
import { useState, type FormEvent } from 'react';
import { api, del, get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { useRefData } from '../session.tsx';
import { Empty, ErrorMessage, FormError, Loading } from '../components/ui.tsx';
import { Checkbox, ConfirmButton, Notice, Select, TextArea, TextInput, FormTitle } from './forms.tsx';

interface Template {
  code: string;
  name: string;
  channel: string;
  topicCode: string | null;
  topicName: string | null;
  subject: string | null;
  body: string;
  active: boolean;
}

const CHANNELS = [
  { value: 'any', label: 'Tous les canaux' },
  { value: 'email', label: 'Courriel' },
  { value: 'letter', label: 'Courrier' },
  { value: 'portal', label: 'Portail' },
];
const channelLabel = (c: string) => CHANNELS.find((o) => o.value === c)?.label ?? c;

// Mirrors TEMPLATE_PLACEHOLDERS of src/modules/templates/templates.render.ts.
const PLACEHOLDERS: Array<[string, string]> = [
  ['reference', 'Référence de la demande (2026-000123)'],
  ['contact.name', 'Nom de l’usager'],
  ['unit.name', 'Service en charge'],
  ['dueDate', 'Date d’échéance'],
  ['agent.name', 'Nom de l’agent'],
  ['agent.signature', 'Signature de l’agent'],
  ['today', 'Date du jour'],
];

export function TemplatesAdmin() {
  const r = useLoad((s) => get<{ items: Template[] }>('/api/v1/reply-templates', { includeInactive: true }, s), []);
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const done = (msg: string) => {
    setEditing(null);
    setNotice(msg);
    r.reload();
  };
  if (r.loading && !r.data) return <Loading />;
  const items = r.data?.items ?? [];
  return (
    <>
      <h2>Modèles de réponse</h2>
      <Notice>{notice}</Notice>
      <ErrorMessage error={r.error ?? action.error} />
      <button type="button" className="button button-primary" aria-expanded={editing === 'new'} onClick={() => setEditing(editing === 'new' ? null : 'new')}>
        Nouveau modèle
      </button>
      {editing === 'new' && <TemplateForm onDone={done} onCancel={() => setEditing(null)} />}
      {editing && editing !== 'new' && <TemplateForm key={editing.code} template={editing} onDone={done} onCancel={() => setEditing(null)} />}
      {!items.length ? (
        <Empty>Aucun modèle de réponse.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Modèles de réponse</caption>
            <thead>
              <tr>
                <th scope="col">Modèle</th>
                <th scope="col">Canal</th>
                <th scope="col">Objet de demande</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.code}>
                  <td>
                    {t.name} <code>{t.code}</code>
                  </td>
                  <td>{channelLabel(t.channel)}</td>
                  <td>{t.topicName ?? 'Tous'}</td>
                  <td>{t.active ? 'Actif' : 'Inactif'}</td>
                  <td>
                    <button type="button" className="button button-secondary" aria-label={`Modifier le modèle ${t.name}`} onClick={() => setEditing(t)}>
                      Modifier
                    </button>{' '}
                    <ConfirmButton
                      label="Supprimer"
                      confirmLabel={`Confirmer la suppression de « ${t.name} »`}
                      onConfirm={() => void action.run(() => del(`/api/v1/reply-templates/${encodeURIComponent(t.code)}`).then(() => true)).then((ok) => ok && done(`Modèle « ${t.name} » supprimé.`))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function TemplateForm({ template, onDone, onCancel }: { template?: Template; onDone(msg: string): void; onCancel(): void }) {
  const { topics } = useRefData();
  const [code, setCode] = useState(template?.code ?? '');
  const [name, setName] = useState(template?.name ?? '');
  const [channel, setChannel] = useState(template?.channel ?? 'any');
  const [topicCode, setTopicCode] = useState(template?.topicCode ?? '');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [active, setActive] = useState(template?.active ?? true);
  const { pending, error, run } = useAction();
  const title = template ? `Modifier le modèle « ${template.name} »` : 'Nouveau modèle de réponse';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = { name, channel, topicCode: topicCode || null, subject: subject.trim() || null, body, active };
    const ok = template ? await run(() => api('PATCH', `/api/v1/reply-templates/${encodeURIComponent(template.code)}`, fields)) : await run(() => post('/api/v1/reply-templates', { code, ...fields }));
    if (ok) onDone(template ? `Modèle « ${name} » enregistré.` : `Modèle « ${name} » créé.`);
  };
  return (
    <form className="action-form card" onSubmit={submit} noValidate aria-label={title}>
      <FormTitle>{title}</FormTitle>
      <FormError error={error} shown={['code', 'name', 'channel', 'topicCode', 'subject', 'body']} />
      {!template && <TextInput label="Code" name="code" hint="Minuscules, chiffres et tirets (ex. : reponse-voirie)." error={error} value={code} onChange={setCode} />}
      <TextInput label="Nom" name="name" error={error} value={name} onChange={setName} />
      <Select label="Canal" name="channel" error={error} value={channel} onChange={setChannel} options={CHANNELS} />
      <Select label="Objet de demande" name="topicCode" error={error} value={topicCode} onChange={setTopicCode} options={[{ value: '', label: 'Tous les objets' }, ...topics.map((t) => ({ value: t.code, label: t.name }))]} />
      <TextInput label="Objet du message" name="subject" error={error} value={subject} onChange={setSubject} />
      <TextArea label="Texte" name="body" rows={10} hint="Champs de fusion utilisables : voir la liste ci-dessous." error={error} value={body} onChange={setBody} />
      <details open>
        <summary>Champs de fusion</summary>
        <dl className="facts">
          {PLACEHOLDERS.map(([k, v]) => (
            <div key={k}>
              <dt>
                <code>{`{{${k}}}`}</code>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </details>
      <Checkbox label="Modèle actif" checked={active} onChange={setActive} />
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          {template ? 'Enregistrer' : 'Créer le modèle'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
