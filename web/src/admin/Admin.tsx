// Administration (loaded on demand, in its own chunk): units and directions, agents and roles, topics,
// routing rules (with a "test this rule" preview), reply templates and failed jobs — each section
// shown only to those whose abilities allow it (the API checks again).
import { Link, useLocation, usePageTitle } from '../router.tsx';
import { can, useSession } from '../session.tsx';
import { Empty } from '../components/ui.tsx';
import { UnitsAdmin } from './Units.tsx';
import { AgentsAdmin } from './Agents.tsx';
import { TopicsAdmin } from './Topics.tsx';
import { RoutingAdmin } from './Routing.tsx';
import { TemplatesAdmin } from './Templates.tsx';
import { JobsAdmin } from './Jobs.tsx';

const SECTIONS = [
  { to: '/admin', label: 'Organisation', ability: ['org.manage'], View: UnitsAdmin },
  { to: '/admin/agents', label: 'Agents et rôles', ability: ['agent.manage'], View: AgentsAdmin },
  { to: '/admin/objets', label: 'Objets de demande', ability: ['taxonomy.manage'], View: TopicsAdmin },
  { to: '/admin/routage', label: 'Règles de routage', ability: ['routing.manage'], View: RoutingAdmin },
  { to: '/admin/modeles', label: 'Modèles de réponse', ability: ['template.manage'], View: TemplatesAdmin },
  { to: '/admin/taches', label: 'Tâches en échec', ability: ['jobs.manage'], View: JobsAdmin },
];

export default function AdminPage() {
  const { session } = useSession();
  const { path } = useLocation();
  const tabs = SECTIONS.filter((s) => s.ability.some((a) => can(session, a)));
  const current = tabs.find((t) => t.to === path) ?? tabs[0];
  usePageTitle(`Administration — ${current?.label ?? ''}`);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Administration</h1>
      <nav aria-label="Rubriques d’administration" className="subnav">
        <ul>
          {tabs.map((t) => (
            <li key={t.to}>
              <Link to={t.to} aria-current={t === current ? 'page' : undefined} className={t === current ? 'current' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current ? <current.View key={current.to} /> : <Empty>Aucune rubrique d’administration ne vous est ouverte.</Empty>}
    </section>
  );
}
