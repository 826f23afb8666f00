// Pickers shared by the queue (bulk actions), the case page and search: topics grouped by domain,
// units grouped by direction, members of a unit.
import { useEffect, useState, type SelectHTMLAttributes } from 'react';
import { get } from '../api.ts';
import { useRefData } from '../session.tsx';
import type { Topic, Unit, UnitMember } from '../types.ts';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> & { emptyLabel?: string };

export function groupTopics(topics: Topic[]): Array<{ domain: string; topics: Topic[] }> {
  const groups = new Map<string, Topic[]>();
  for (const t of topics) {
    const g = groups.get(t.domainName) ?? [];
    g.push(t);
    groups.set(t.domainName, g);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b, 'fr')).map(([domain, ts]) => ({ domain, topics: ts.sort((a, b) => a.name.localeCompare(b.name, 'fr')) }));
}

export function TopicSelect({ emptyLabel = 'Tous les objets', ...props }: SelectProps) {
  const { topics } = useRefData();
  return (
    <select {...props}>
      <option value="">{emptyLabel}</option>
      {groupTopics(topics).map((g) => (
        <optgroup key={g.domain} label={g.domain}>
          {g.topics.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
              {t.sensitive ? ' (sensible)' : ''}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

export function groupUnits(units: Unit[]): Array<{ direction: string; units: Unit[] }> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const groups = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.kind !== 'unit' || !u.active) continue;
    const dir = (u.parentId && byId.get(u.parentId)?.name) || 'Autres services';
    const g = groups.get(dir) ?? [];
    g.push(u);
    groups.set(dir, g);
  }
  return [...groups].map(([direction, us]) => ({ direction, units: us.sort((a, b) => a.name.localeCompare(b.name, 'fr')) }));
}

export function UnitSelect({ emptyLabel = 'Tous les services', exclude, ...props }: SelectProps & { exclude?: string }) {
  const { units } = useRefData();
  return (
    <select {...props}>
      <option value="">{emptyLabel}</option>
      {groupUnits(units).map((g) => (
        <optgroup key={g.direction} label={g.direction}>
          {g.units
            .filter((u) => u.code !== exclude)
            .map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

/** Active agents of the given units (deduplicated), for assigning. */
export function useUnitMembers(unitCodes: string[]): UnitMember[] | null {
  const [members, setMembers] = useState<UnitMember[] | null>(null);
  const key = unitCodes.join(',');
  useEffect(() => {
    if (!key) return setMembers([]);
    let stop = false;
    Promise.all(key.split(',').map((c) => get<{ items: UnitMember[] }>(`/api/v1/units/${encodeURIComponent(c)}/agents`).then((r) => r.items, () => [] as UnitMember[]))).then((lists) => {
      if (stop) return;
      const seen = new Map<string, UnitMember>();
      for (const m of lists.flat()) seen.set(m.id, m);
      setMembers([...seen.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, 'fr')));
    });
    return () => {
      stop = true;
    };
  }, [key]);
  return members;
}
