// Directions and units, shown as a tree (direction → its units), and the creation of a new one.
import { useState, type FormEvent } from 'react';
import { get, post } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { can, useSession } from '../session.tsx';
import { Empty, ErrorMessage, FormError, Loading } from '../components/ui.tsx';
import { Notice, Select, TextInput, FormTitle } from './forms.tsx';
import type { Unit } from '../types.ts';

export function UnitsAdmin() {
  const { session } = useSession();
  const r = useLoad((s) => get<{ items: Unit[] }>('/api/v1/units', {}, s), []);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState('');
  if (r.loading && !r.data) return <Loading />;
  const all = r.data?.items ?? [];
  // A unit whose parent is not listed is shown at the top level rather than lost.
  const ids = new Set(all.map((u) => u.id));
  const units = all.map((u) => (u.parentId && !ids.has(u.parentId) ? { ...u, parentId: null } : u));
  return (
    <>
      <h2>Directions et services</h2>
      <Notice>{notice}</Notice>
      {can(session, 'org.manage') && (
        <button type="button" className="button button-primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          Nouvelle direction ou nouveau service
        </button>
      )}
      {creating && (
        <UnitForm
          directions={units.filter((u) => u.kind === 'direction')}
          onCancel={() => setCreating(false)}
          onDone={(name) => {
            setCreating(false);
            setNotice(`« ${name} » créé.`);
            r.reload();
          }}
        />
      )}
      <ErrorMessage error={r.error} />
      {!units.length ? <Empty>Aucun service.</Empty> : <UnitBranch units={units} parent={null} />}
    </>
  );
}

function UnitForm({ directions, onDone, onCancel }: { directions: Unit[]; onDone(name: string): void; onCancel(): void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState('unit');
  const [parentCode, setParentCode] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => post('/api/v1/units', { code, name, kind, ...(parentCode ? { parentCode } : {}), ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) }));
    if (ok) onDone(name);
  };
  return (
    <form className="action-form card" onSubmit={submit} noValidate aria-label="Nouvelle direction ou nouveau service">
      <FormTitle>Nouvelle direction ou nouveau service</FormTitle>
      <FormError error={error} shown={['code', 'name', 'kind', 'parentCode', 'email', 'phone']} />
      <TextInput label="Code" name="code" hint="Minuscules, chiffres et tirets (ex. : routes-nord)." error={error} value={code} onChange={setCode} />
      <TextInput label="Nom" name="name" error={error} value={name} onChange={setName} />
      <Select label="Type" name="kind" error={error} value={kind} onChange={setKind} options={[{ value: 'unit', label: 'Service' }, { value: 'direction', label: 'Direction' }]} />
      <Select label="Direction de rattachement" name="parentCode" error={error} value={parentCode} onChange={setParentCode} options={[{ value: '', label: '— Aucune —' }, ...directions.map((d) => ({ value: d.code, label: d.name }))]} />
      <TextInput label="Adresse électronique du service" name="email" type="email" error={error} value={email} onChange={setEmail} />
      <TextInput label="Téléphone du service" name="phone" type="tel" error={error} value={phone} onChange={setPhone} />
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          Créer
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

function UnitBranch({ units, parent }: { units: Unit[]; parent: string | null }) {
  const list = units.filter((u) => u.parentId === parent).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  if (!list.length) return null;
  return (
    <ul className="tree">
      {list.map((u) => (
        <li key={u.id}>
          <strong>{u.name}</strong> <code>{u.code}</code>{' '}
          <span className="meta">
            {u.kind === 'direction' ? 'Direction' : 'Service'}
            {u.active ? '' : ' · inactif'}
          </span>
          <UnitBranch units={units} parent={u.id} />
        </li>
      ))}
    </ul>
  );
}
