// Topics (objets de demande) by domain: default unit, deadline in business days, sensitivity, retention,
// acknowledgement and extra handling units; creation and editing.
import { useState, type FormEvent } from 'react';
import { api, ApiError, get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { useRefData } from '../session.tsx';
import { Empty, ErrorMessage, FormError, Loading } from '../components/ui.tsx';
import { Checkbox, CheckList, Notice, Select, TextArea, TextInput, FormTitle } from './forms.tsx';

export interface AdminTopic {
  code: string;
  name: string;
  description: string | null;
  domainCode: string;
  domainName: string;
  defaultUnitCode: string;
  defaultUnitName: string;
  extraUnitCodes: string[];
  deadlineDays: number;
  sensitive: boolean;
  retentionYears: number;
  retentionAction: string;
  acknowledge: boolean;
  onReplyClosed: string;
  active: boolean;
}

interface Domain {
  code: string;
  name: string;
}

export function TopicsAdmin() {
  const r = useLoad((s) => Promise.all([get<{ items: AdminTopic[] }>('/api/v1/topics', {}, s), get<{ items: Domain[] }>('/api/v1/domains', {}, s)]), []);
  const [editing, setEditing] = useState<AdminTopic | 'new' | 'domain' | null>(null);
  const [notice, setNotice] = useState('');
  if (r.loading && !r.data) return <Loading />;
  const [topics, domains] = r.data ? [r.data[0].items, r.data[1].items] : [[], []];
  const done = (msg: string) => {
    setEditing(null);
    setNotice(msg);
    r.reload();
  };
  return (
    <>
      <h2>Objets de demande</h2>
      <Notice>{notice}</Notice>
      <button type="button" className="button button-primary" aria-expanded={editing === 'new'} onClick={() => setEditing(editing === 'new' ? null : 'new')}>
        Nouvel objet
      </button>{' '}
      <button type="button" className="button button-secondary" aria-expanded={editing === 'domain'} onClick={() => setEditing(editing === 'domain' ? null : 'domain')}>
        Nouveau domaine
      </button>
      {editing === 'domain' && <DomainForm onDone={done} onCancel={() => setEditing(null)} />}
      {editing === 'new' && <TopicForm domains={domains} onDone={done} onCancel={() => setEditing(null)} />}
      {editing && editing !== 'new' && editing !== 'domain' && <TopicForm key={editing.code} topic={editing} domains={domains} onDone={done} onCancel={() => setEditing(null)} />}
      <ErrorMessage error={r.error} />
      {!topics.length && <Empty>Aucun objet de demande.</Empty>}
      {domains
        .filter((d) => topics.some((t) => t.domainCode === d.code))
        .map((d) => (
          <section key={d.code} aria-labelledby={`domain-${d.code}`}>
            <h3 id={`domain-${d.code}`}>{d.name}</h3>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Objet</th>
                    <th scope="col">Service en charge</th>
                    <th scope="col">Délai (jours ouvrés)</th>
                    <th scope="col">Sensible</th>
                    <th scope="col">Conservation</th>
                    <th scope="col">État</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {topics
                    .filter((t) => t.domainCode === d.code)
                    .map((t) => (
                      <tr key={t.code}>
                        <td>
                          {t.name} <code>{t.code}</code>
                        </td>
                        <td>{t.defaultUnitName}</td>
                        <td>{t.deadlineDays}</td>
                        <td>{t.sensitive ? 'Oui' : 'Non'}</td>
                        <td>
                          {t.retentionYears} an(s), puis {t.retentionAction === 'archive' ? 'archivage' : 'destruction'}
                        </td>
                        <td>{t.active ? 'Actif' : 'Inactif'}</td>
                        <td>
                          <button type="button" className="button button-secondary" aria-label={`Modifier l’objet ${t.name}`} onClick={() => setEditing(t)}>
                            Modifier
                          </button>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </section>
        ))}
    </>
  );
}

function TopicForm({ topic, domains, onDone, onCancel }: { topic?: AdminTopic; domains: Domain[]; onDone(msg: string): void; onCancel(): void }) {
  const { units } = useRefData();
  const active = units.filter((u) => u.active);
  const [code, setCode] = useState(topic?.code ?? '');
  const [name, setName] = useState(topic?.name ?? '');
  const [description, setDescription] = useState(topic?.description ?? '');
  const [domainCode, setDomainCode] = useState(topic?.domainCode ?? domains[0]?.code ?? '');
  const [defaultUnitCode, setDefaultUnitCode] = useState(topic?.defaultUnitCode ?? active[0]?.code ?? '');
  const [deadlineDays, setDeadlineDays] = useState(String(topic?.deadlineDays ?? 15));
  const [sensitive, setSensitive] = useState(topic?.sensitive ?? false);
  const [retentionYears, setRetentionYears] = useState(String(topic?.retentionYears ?? 5));
  const [retentionAction, setRetentionAction] = useState(topic?.retentionAction ?? 'destroy');
  const [acknowledge, setAcknowledge] = useState(topic?.acknowledge ?? true);
  const [onReplyClosed, setOnReplyClosed] = useState(topic?.onReplyClosed ?? 'reopen');
  const [extraUnitCodes, setExtraUnitCodes] = useState<string[]>(topic?.extraUnitCodes ?? []);
  const [isActive, setIsActive] = useState(topic?.active ?? true);
  const { pending, error, run, setError } = useAction();
  const title = topic ? `Modifier l’objet « ${topic.name} »` : 'Nouvel objet de demande';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const days = Number(deadlineDays);
    const years = Number(retentionYears);
    if (!Number.isInteger(days) || !Number.isInteger(years) || deadlineDays === '' || retentionYears === '') {
      setError(new ApiError(400, 'validation', 'Vérifiez les champs signalés.', {
        ...(!Number.isInteger(days) || deadlineDays === '' ? { deadlineDays: 'Indiquez un nombre entier de jours ouvrés.' } : {}),
        ...(!Number.isInteger(years) || retentionYears === '' ? { retentionYears: 'Indiquez un nombre entier d’années.' } : {}),
      }));
      return;
    }
    const body = { name, description: description.trim() || null, domainCode, defaultUnitCode, deadlineDays: days, sensitive, retentionYears: years, retentionAction, acknowledge, onReplyClosed, extraUnitCodes, active: isActive };
    const ok = topic ? await run(() => api('PATCH', `/api/v1/topics/${encodeURIComponent(topic.code)}`, body)) : await run(() => post('/api/v1/topics', { code, ...body }));
    if (ok) onDone(topic ? `Objet « ${name} » enregistré.` : `Objet « ${name} » créé.`);
  };

  const unitOptions = active.map((u) => ({ value: u.code, label: u.name }));
  return (
    <form className="action-form card" onSubmit={submit} noValidate aria-label={title}>
      <FormTitle>{title}</FormTitle>
      <FormError error={error} shown={['code', 'name', 'description', 'domainCode', 'defaultUnitCode', 'deadlineDays', 'retentionYears', 'retentionAction', 'onReplyClosed', 'extraUnitCodes']} />
      {!topic && <TextInput label="Code" name="code" hint="Minuscules, chiffres et tirets (ex. : nid-de-poule)." error={error} value={code} onChange={setCode} />}
      <TextInput label="Nom" name="name" error={error} value={name} onChange={setName} />
      <TextArea label="Description" name="description" rows={3} error={error} value={description} onChange={setDescription} />
      <Select label="Domaine" name="domainCode" error={error} value={domainCode} onChange={setDomainCode} options={domains.map((d) => ({ value: d.code, label: d.name }))} />
      <Select label="Service en charge par défaut" name="defaultUnitCode" error={error} value={defaultUnitCode} onChange={setDefaultUnitCode} options={unitOptions} />
      <TextInput label="Délai de traitement (jours ouvrés)" name="deadlineDays" type="number" error={error} value={deadlineDays} onChange={setDeadlineDays} />
      <Checkbox label="Objet sensible (visible seulement des services en charge)" checked={sensitive} onChange={setSensitive} />
      <TextInput label="Durée de conservation (années)" name="retentionYears" type="number" error={error} value={retentionYears} onChange={setRetentionYears} />
      <Select label="À l’issue de la conservation" name="retentionAction" error={error} value={retentionAction} onChange={setRetentionAction} options={[{ value: 'destroy', label: 'Destruction' }, { value: 'archive', label: 'Archivage' }]} />
      <Checkbox label="Envoyer un accusé de réception" checked={acknowledge} onChange={setAcknowledge} />
      <Select label="Réponse de l’usager après clôture" name="onReplyClosed" error={error} value={onReplyClosed} onChange={setOnReplyClosed} options={[{ value: 'reopen', label: 'Rouvre la demande' }, { value: 'new_case', label: 'Crée une nouvelle demande' }]} />
      <CheckList legend="Autres services pouvant traiter" name="extraUnitCodes" error={error} options={unitOptions.filter((o) => o.value !== defaultUnitCode)} values={extraUnitCodes} onChange={setExtraUnitCodes} />
      {topic && <Checkbox label="Objet actif" checked={isActive} onChange={setIsActive} />}
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          {topic ? 'Enregistrer' : 'Créer l’objet'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

function DomainForm({ onDone, onCancel }: { onDone(msg: string): void; onCancel(): void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => post('/api/v1/domains', { code, name }))) onDone(`Domaine « ${name} » créé.`);
  };
  return (
    <form className="action-form card" onSubmit={submit} noValidate aria-label="Nouveau domaine">
      <FormTitle>Nouveau domaine</FormTitle>
      <FormError error={error} shown={['code', 'name']} />
      <TextInput label="Code" name="code" hint="Minuscules, chiffres et tirets (ex. : mobilites)." error={error} value={code} onChange={setCode} />
      <TextInput label="Nom" name="name" error={error} value={name} onChange={setName} />
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          Créer le domaine
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
