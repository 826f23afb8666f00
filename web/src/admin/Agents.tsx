// Agent accounts: a filterable list, creation, and editing of roles, units, extension, activation and
// password (each change audited by the API).
import { useState, type FormEvent } from 'react';
import { api, get, post } from '../api.ts';
import { useAction, useDebounced, useLoad } from '../hooks.ts';
import { useRefData } from '../session.tsx';
import { Empty, ErrorMessage, FormError, Loading } from '../components/ui.tsx';
import { Checkbox, CheckList, Notice, TextInput, FormTitle } from './forms.tsx';

interface Agent {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  unitCodes: string[];
  extension: string | null;
  active: boolean;
}

export const ROLE_OPTIONS = [
  { value: 'contact_center', label: 'Agent du centre de contact (niveau 1)' },
  { value: 'unit_agent', label: 'Agent de service (niveau 2)' },
  { value: 'unit_manager', label: 'Responsable de service' },
  { value: 'mail_clerk', label: 'Agent du bureau du courrier' },
  { value: 'counter_agent', label: 'Agent d’accueil' },
  { value: 'supervisor', label: 'Superviseur' },
  { value: 'admin', label: 'Administrateur' },
];
const roleLabel = (r: string) => ROLE_OPTIONS.find((o) => o.value === r)?.label ?? r;

export function AgentsAdmin() {
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const r = useLoad((s) => get<{ items: Agent[] }>('/api/v1/agents', { q: query }, s), [query]);
  const [editing, setEditing] = useState<Agent | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const done = (msg: string) => {
    setEditing(null);
    setNotice(msg);
    r.reload();
  };
  const agents = r.data?.items ?? [];
  return (
    <>
      <h2>Agents et rôles</h2>
      <Notice>{notice}</Notice>
      <div className="filters">
        <TextInput label="Filtrer par nom ou adresse" name="q" error={null} value={q} onChange={setQ} type="search" />
        <button type="button" className="button button-primary" aria-expanded={editing === 'new'} onClick={() => setEditing(editing === 'new' ? null : 'new')}>
          Nouvel agent
        </button>
      </div>
      {editing === 'new' && <AgentForm onDone={done} onCancel={() => setEditing(null)} />}
      <ErrorMessage error={r.error} />
      {r.loading && !r.data ? (
        <Loading />
      ) : !agents.length ? (
        <Empty>Aucun agent ne correspond.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Comptes agents</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôles</th>
                <th scope="col">Services</th>
                <th scope="col">Poste</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td>{a.displayName}</td>
                  <td>{a.email}</td>
                  <td>{a.roles.map(roleLabel).join(', ')}</td>
                  <td>{a.unitCodes.join(', ') || '—'}</td>
                  <td>{a.extension ?? '—'}</td>
                  <td>{a.active ? 'Actif' : 'Désactivé'}</td>
                  <td>
                    <button type="button" className="button button-secondary" aria-label={`Modifier ${a.displayName}`} onClick={() => setEditing(a)}>
                      Modifier
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && editing !== 'new' && <AgentForm key={editing.id} agent={editing} onDone={done} onCancel={() => setEditing(null)} />}
    </>
  );
}

function AgentForm({ agent, onDone, onCancel }: { agent?: Agent; onDone(msg: string): void; onCancel(): void }) {
  const { units } = useRefData();
  const [email, setEmail] = useState(agent?.email ?? '');
  const [displayName, setDisplayName] = useState(agent?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>(agent?.roles ?? []);
  const [unitCodes, setUnitCodes] = useState<string[]>(agent?.unitCodes ?? []);
  const [extension, setExtension] = useState(agent?.extension ?? '');
  const [active, setActive] = useState(agent?.active ?? true);
  const { pending, error, run } = useAction();
  const title = agent ? `Modifier le compte de ${agent.displayName}` : 'Nouvel agent';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = agent
      ? await run(() =>
          api('PATCH', `/api/v1/agents/${agent.id}`, { displayName, roles, unitCodes, extension: extension.trim() || null, active, ...(password ? { password } : {}) }),
        )
      : await run(() => post('/api/v1/agents', { email, displayName, password, roles, unitCodes, ...(extension.trim() ? { extension: extension.trim() } : {}) }));
    if (ok) onDone(agent ? `Compte de ${displayName} enregistré.` : `Compte de ${displayName} créé.`);
  };

  return (
    <form className="action-form card" onSubmit={submit} noValidate aria-label={title}>
      <FormTitle>{title}</FormTitle>
      <FormError error={error} shown={['email', 'displayName', 'password', 'roles', 'unitCodes', 'extension']} />
      {!agent && <TextInput label="Adresse électronique" name="email" type="email" error={error} value={email} onChange={setEmail} />}
      <TextInput label="Nom affiché" name="displayName" error={error} value={displayName} onChange={setDisplayName} />
      <TextInput
        label={agent ? 'Nouveau mot de passe' : 'Mot de passe'}
        name="password"
        type="password"
        autoComplete="new-password"
        hint={agent ? 'Laisser vide pour ne pas le changer. L’agent devra se reconnecter.' : undefined}
        error={error}
        value={password}
        onChange={setPassword}
      />
      <CheckList legend="Rôles" name="roles" error={error} options={ROLE_OPTIONS} values={roles} onChange={setRoles} />
      <CheckList legend="Services" name="unitCodes" error={error} options={units.filter((u) => u.active).map((u) => ({ value: u.code, label: u.name }))} values={unitCodes} onChange={setUnitCodes} />
      <TextInput label="Poste téléphonique" name="extension" hint="Numéro court du poste (facultatif)." error={error} value={extension} onChange={setExtension} />
      {agent && <Checkbox label="Compte actif" checked={active} onChange={setActive} />}
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          {agent ? 'Enregistrer' : 'Créer l’agent'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
