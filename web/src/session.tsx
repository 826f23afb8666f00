// The signed-in agent, their global abilities, and the reference data every screen uses (units, topics).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get } from './api.ts';
import type { Session, Topic, Unit } from './types.ts';

interface SessionValue {
  session: Session;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionContext');
  return v;
}

export function can(session: Session, ability: string): boolean {
  return session.abilities[ability] === true;
}

const LEVEL1_ROLES = ['contact_center', 'counter_agent', 'mail_clerk'];
const UNIT_ROLES = ['unit_agent', 'unit_manager'];

/** Which queues the navigation offers (a presentation choice; the API decides what each one shows). */
export function queueKinds(session: Session) {
  const roles = session.agent.roles;
  return {
    mine: roles.some((r) => UNIT_ROLES.includes(r) || LEVEL1_ROLES.includes(r)),
    toQualify: roles.some((r) => LEVEL1_ROLES.includes(r)),
    units: roles.some((r) => UNIT_ROLES.includes(r) || LEVEL1_ROLES.includes(r)),
  };
}

interface RefData {
  units: Unit[];
  topics: Topic[];
  unitById: Map<string, Unit>;
  loaded: boolean;
}

const RefDataContext = createContext<RefData>({ units: [], topics: [], unitById: new Map(), loaded: false });

export function RefDataProvider({ children }: { children: ReactNode }) {
  const [units, setUnits] = useState<Unit[]>([]);
  const [topics, setTopics] = useState<Topic[]>([]);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    Promise.all([
      get<{ items: Unit[] }>('/api/v1/units').then((r) => setUnits(r.items), () => undefined),
      get<{ items: Topic[] }>('/api/v1/topics', { active: true }).then((r) => setTopics(r.items), () => undefined),
    ]).finally(() => setLoaded(true));
  }, []);
  const value = useMemo(() => ({ units, topics, unitById: new Map(units.map((u) => [u.id, u])), loaded }), [units, topics, loaded]);
  return <RefDataContext.Provider value={value}>{children}</RefDataContext.Provider>;
}

export function useRefData(): RefData {
  return useContext(RefDataContext);
}

/** The agent's own units, by name. */
export function useMyUnits(): Unit[] {
  const { session } = useSession();
  const { unitById } = useRefData();
  return session.agent.unitIds.map((id) => unitById.get(id)).filter((u): u is Unit => !!u);
}
