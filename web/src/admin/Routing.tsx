// Routing rules in their order of application: create, edit, delete, move up/down, and "test this rule"
// (the preview API: the decision, and why each rule did or did not apply).
import { useState, type FormEvent } from 'react';
import { api, del, get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { useRefData } from '../session.tsx';
import { Empty, ErrorMessage, FormError, Loading } from '../components/ui.tsx';
import { Checkbox, ConfirmButton, joinList, Notice, Select, splitList, TextArea, TextInput, FormTitle } from './forms.tsx';

interface Rule {
  id: string;
  position: number;
  name: string;
  active: boolean;
  topicCodes: string[];
  channels: string[];
  segments: string[];
  postcodePrefixes: string[];
  communes: string[];
  keywords: string[];
  targetUnitCode: string;
  targetUnitName: string;
  targetUnitActive: boolean;
}

type DraftRule = Omit<Rule, 'id' | 'position' | 'targetUnitName' | 'targetUnitActive'> & { id?: string };

const CHANNELS = [
  { value: 'phone', label: 'Téléphone' },
  { value: 'email', label: 'Courriel' },
  { value: 'mail', label: 'Courrier' },
  { value: 'portal', label: 'Portail' },
  { value: 'counter', label: 'Accueil' },
  { value: 'api', label: 'API' },
];
const SEGMENTS = [
  { value: 'particulier', label: 'Particulier' },
  { value: 'professionnel', label: 'Professionnel' },
  { value: 'association', label: 'Association' },
  { value: 'collectivite', label: 'Collectivité' },
];

function conditions(r: Rule): string {
  const parts = [
    r.topicCodes.length && `objets : ${r.topicCodes.join(', ')}`,
    r.channels.length && `canaux : ${r.channels.join(', ')}`,
    r.segments.length && `publics : ${r.segments.join(', ')}`,
    r.postcodePrefixes.length && `codes postaux : ${r.postcodePrefixes.join(', ')}`,
    r.communes.length && `communes : ${r.communes.join(', ')}`,
    r.keywords.length && `mots-clés : ${r.keywords.join(', ')}`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'toutes les demandes';
}

export function RoutingAdmin() {
  const r = useLoad((s) => get<{ items: Rule[] }>('/api/v1/routing-rules', {}, s), []);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const rules = r.data?.items ?? [];
  const done = (msg: string) => {
    setEditing(null);
    setNotice(msg);
    r.reload();
  };
  const move = async (index: number, delta: number) => {
    const ids = rules.map((x) => x.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id);
    if (await action.run(() => post('/api/v1/routing-rules/reorder', { ids }))) done(`Règle « ${rules[index].name} » déplacée en position ${index + delta + 1}.`);
  };
  const remove = async (rule: Rule) => {
    if (await action.run(() => del(`/api/v1/routing-rules/${rule.id}`).then(() => true))) done(`Règle « ${rule.name} » supprimée.`);
  };
  if (r.loading && !r.data) return <Loading />;
  return (
    <>
      <h2>Règles de routage</h2>
      <p className="hint">Les règles s’appliquent dans l’ordre : la première qui correspond désigne le service ; sinon, la demande va au service par défaut de son objet.</p>
      <Notice>{notice}</Notice>
      <ErrorMessage error={r.error ?? action.error} />
      <button type="button" className="button button-primary" aria-expanded={editing === 'new'} onClick={() => setEditing(editing === 'new' ? null : 'new')}>
        Nouvelle règle
      </button>
      {editing === 'new' && <RuleForm onDone={done} onCancel={() => setEditing(null)} />}
      {!rules.length ? (
        <Empty>Aucune règle : chaque demande va au service par défaut de son objet.</Empty>
      ) : (
        <ol className="result-list rules">
          {rules.map((rule, i) => (
            <li key={rule.id}>
              <strong>
                {rule.position}. {rule.name}
              </strong>
              {!rule.active && <span className="badge"> inactive</span>}
              <span className="meta">
                Si {conditions(rule)} → {rule.targetUnitName}
                {!rule.targetUnitActive && ' (service inactif)'}
              </span>
              <span className="action-buttons" role="group" aria-label={`Actions sur la règle ${rule.name}`}>
                <button type="button" className="button button-secondary" disabled={i === 0 || action.pending} aria-label={`Monter la règle ${rule.name}`} onClick={() => void move(i, -1)}>
                  Monter
                </button>
                <button type="button" className="button button-secondary" disabled={i === rules.length - 1 || action.pending} aria-label={`Descendre la règle ${rule.name}`} onClick={() => void move(i, 1)}>
                  Descendre
                </button>
                <button type="button" className="button button-secondary" aria-label={`Modifier la règle ${rule.name}`} aria-expanded={editing !== 'new' && editing?.id === rule.id} onClick={() => setEditing(rule)}>
                  Modifier
                </button>
                <ConfirmButton label="Supprimer" confirmLabel={`Confirmer la suppression de « ${rule.name} »`} disabled={action.pending} onConfirm={() => void remove(rule)} />
              </span>
              {editing !== 'new' && editing?.id === rule.id && <RuleForm key={rule.id} rule={rule} onDone={done} onCancel={() => setEditing(null)} />}
            </li>
          ))}
        </ol>
      )}
      <RoutePreview />
    </>
  );
}

function RuleForm({ rule, onDone, onCancel }: { rule?: Rule; onDone(msg: string): void; onCancel(): void }) {
  const { units } = useRefData();
  const [name, setName] = useState(rule?.name ?? '');
  const [active, setActive] = useState(rule?.active ?? true);
  const [topicCodes, setTopicCodes] = useState(joinList(rule?.topicCodes));
  const [channels, setChannels] = useState(joinList(rule?.channels));
  const [segments, setSegments] = useState(joinList(rule?.segments));
  const [postcodes, setPostcodes] = useState(joinList(rule?.postcodePrefixes));
  const [communes, setCommunes] = useState(joinList(rule?.communes));
  const [keywords, setKeywords] = useState(joinList(rule?.keywords));
  const [targetUnitCode, setTarget] = useState(rule?.targetUnitCode ?? units.find((u) => u.active)?.code ?? '');
  const { pending, error, run } = useAction();
  const title = rule ? `Modifier la règle « ${rule.name} »` : 'Nouvelle règle de routage';
  const draft: DraftRule = {
    ...(rule ? { id: rule.id } : {}),
    name: name || 'Règle à l’essai',
    active,
    topicCodes: splitList(topicCodes),
    channels: splitList(channels),
    segments: splitList(segments),
    postcodePrefixes: splitList(postcodes),
    communes: splitList(communes),
    keywords: splitList(keywords),
    targetUnitCode,
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...draft, name };
    delete body.id;
    const ok = rule ? await run(() => api('PATCH', `/api/v1/routing-rules/${rule.id}`, body)) : await run(() => post('/api/v1/routing-rules', body));
    if (ok) onDone(rule ? `Règle « ${name} » enregistrée.` : `Règle « ${name} » créée.`);
  };
  const listHint = (what: string) => `${what}, séparés par des virgules ; vide : sans condition.`;
  return (
    <div className="card">
      <form className="action-form" onSubmit={submit} noValidate aria-label={title}>
        <FormTitle>{title}</FormTitle>
        <FormError error={error} shown={['name', 'topicCodes', 'channels', 'segments', 'postcodePrefixes', 'communes', 'keywords', 'targetUnitCode']} />
        <TextInput label="Nom de la règle" name="name" error={error} value={name} onChange={setName} />
        <TextInput label="Objets (codes)" name="topicCodes" hint={listHint('Codes d’objets')} error={error} value={topicCodes} onChange={setTopicCodes} />
        <TextInput label="Canaux" name="channels" hint={listHint('phone, email, mail, portal, counter ou api')} error={error} value={channels} onChange={setChannels} />
        <TextInput label="Publics" name="segments" hint={listHint('particulier, professionnel, association ou collectivite')} error={error} value={segments} onChange={setSegments} />
        <TextInput label="Débuts de code postal" name="postcodePrefixes" hint={listHint('Ex. : 69, 38200')} error={error} value={postcodes} onChange={setPostcodes} />
        <TextInput label="Communes" name="communes" hint={listHint('Noms de communes')} error={error} value={communes} onChange={setCommunes} />
        <TextInput label="Mots-clés" name="keywords" hint={listHint('Mots cherchés dans le texte de la demande')} error={error} value={keywords} onChange={setKeywords} />
        <Select label="Service destinataire" name="targetUnitCode" error={error} value={targetUnitCode} onChange={setTarget} options={units.filter((u) => u.active).map((u) => ({ value: u.code, label: u.name }))} />
        <Checkbox label="Règle active" checked={active} onChange={setActive} />
        <div className="action-buttons">
          <button type="submit" className="button button-primary" disabled={pending}>
            {rule ? 'Enregistrer' : 'Créer la règle'}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Annuler
          </button>
        </div>
      </form>
      <RoutePreview draft={draft} />
    </div>
  );
}

interface Decision {
  unitCode: string;
  ruleId: string | null;
  reason: string;
}
interface TraceLine {
  position: number;
  name: string;
  outcome: 'applied' | 'matched' | 'no_match' | 'inactive' | 'target_inactive';
  failedConditions: string[];
  draft: boolean;
}
interface Preview {
  decision: Decision;
  trace: TraceLine[];
  draft: { matches: boolean; failedConditions: string[]; decision: Decision; changesUnit: boolean; summary: string; trace: TraceLine[] } | null;
}

const OUTCOMES: Record<TraceLine['outcome'], string> = {
  applied: 'Appliquée',
  matched: 'Correspond (une règle précédente s’applique déjà)',
  no_match: 'Ne correspond pas',
  inactive: 'Inactive',
  target_inactive: 'Service destinataire inactif',
};

/** "Tester cette règle": the routing of a sample request, with the draft rule in place when given. */
function RoutePreview({ draft }: { draft?: DraftRule }) {
  const { topics, units } = useRefData();
  const [topicCode, setTopic] = useState(topics[0]?.code ?? '');
  const [channel, setChannel] = useState('phone');
  const [segment, setSegment] = useState('particulier');
  const [postcode, setPostcode] = useState('');
  const [commune, setCommune] = useState('');
  const [text, setText] = useState('');
  const { pending, error, run } = useAction();
  const [result, setResult] = useState<Preview | null>(null);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const title = draft ? 'Tester cette règle' : 'Tester le routage';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await run(() => post<Preview>('/api/v1/routing-rules/preview', { topicCode, channel, segment, postcode: postcode || null, commune: commune || null, text: text || null, ...(draft ? { rule: draft } : {}) }));
    if (res) setResult(res);
  };
  const decision = result?.draft?.decision ?? result?.decision;
  const trace = result?.draft?.trace ?? result?.trace ?? [];
  return (
    <section aria-label={title} className="preview">
      <form className="action-form" onSubmit={submit} noValidate aria-label={title}>
        <h3>{title}</h3>
        <FormError error={error} shown={['topicCode', 'channel', 'segment', 'postcode', 'commune', 'text']} />
        <Select label="Objet" name="topicCode" error={error} value={topicCode} onChange={setTopic} options={topics.map((t) => ({ value: t.code, label: t.name }))} />
        <Select label="Canal" name="channel" error={error} value={channel} onChange={setChannel} options={CHANNELS} />
        <Select label="Public" name="segment" error={error} value={segment} onChange={setSegment} options={SEGMENTS} />
        <TextInput label="Code postal" name="postcode" error={error} value={postcode} onChange={setPostcode} />
        <TextInput label="Commune" name="commune" error={error} value={commune} onChange={setCommune} />
        <TextArea label="Texte de la demande" name="text" rows={3} error={error} value={text} onChange={setText} />
        <button type="submit" className="button button-primary" disabled={pending}>
          Tester
        </button>
      </form>
      <div aria-live="polite">
        {result && decision && (
          <div className="card preview-result">
            <p>
              <strong>Décision :</strong> {unitName(decision.unitCode)} — {decision.reason}
            </p>
            {result.draft && <p>{result.draft.summary}</p>}
            <table className="data">
              <caption>Examen des règles, dans l’ordre</caption>
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Règle</th>
                  <th scope="col">Résultat</th>
                  <th scope="col">Conditions non remplies</th>
                </tr>
              </thead>
              <tbody>
                {trace.map((t, i) => (
                  <tr key={i}>
                    <td>{t.position}</td>
                    <td>
                      {t.name}
                      {t.draft && ' (à l’essai)'}
                    </td>
                    <td>{OUTCOMES[t.outcome] ?? t.outcome}</td>
                    <td>{t.failedConditions.join(' ; ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
