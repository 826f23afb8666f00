// A contact (usager): identity, every email, phone and address, linked persons and organisations, their
// cases and interactions (restricted by the API to what this agent may read), and suggested duplicates
// with a merge for agents who may merge.
import { get } from '../api.ts';
import { useLoad } from '../hooks.ts';
import { Link, usePageTitle } from '../router.tsx';
import { can, useSession } from '../session.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { channel as channelLabel } from '../labels.ts';
import { DueDate, Empty, ErrorMessage, Loading, StatusBadge } from '../components/ui.tsx';
import { ContactDuplicates } from './ContactDuplicates.tsx';
import type { CaseList } from '../types.ts';

interface Linked {
  id: string;
  displayName: string;
  role: string;
  confirmed: boolean;
}

interface ContactView {
  id: string;
  displayName: string;
  kind: 'person' | 'organisation';
  segment: string;
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
  orgName: string | null;
  birthDate: string | null;
  siret: string | null;
  rna: string | null;
  notes: string | null;
  toCheck: boolean;
  mergedInto: string | null;
  emails: Array<{ id: string; email: string; label: string | null; isPrimary: boolean; failingSince: string | null }>;
  phones: Array<{ id: string; display: string; label: string | null; isPrimary: boolean }>;
  addresses: Array<{ id: string; line1: string; line2: string | null; postcode: string; city: string; label: string | null; isPrimary: boolean }>;
  organisations: Linked[];
  people: Linked[];
  interactions: Array<{ id: string; kind: string; direction: string; occurredAt: string; subject: string | null; caseReference: string }>;
}

const SEGMENTS: Record<string, string> = { particulier: 'Particulier', professionnel: 'Professionnel', association: 'Association', collectivite: 'Collectivité' };
const KINDS: Record<string, string> = { call: 'Appel', email: 'Courriel', letter: 'Courrier', portal_message: 'Message du portail', visit: 'Visite à l’accueil', note: 'Note interne' };
const DIRECTIONS: Record<string, string> = { inbound: 'reçu', outbound: 'envoyé', internal: 'interne' };

const labelled = (text: string, label: string | null, primary: boolean) => [text, label && `(${label})`, primary && '— principal'].filter(Boolean).join(' ');

export function ContactPage({ id }: { id: string }) {
  const { session } = useSession();
  const contact = useLoad((signal) => get<ContactView>(`/api/v1/contacts/${encodeURIComponent(id)}`, {}, signal), [id]);
  const cases = useLoad((signal) => get<CaseList>('/api/v1/cases', { contact: id, sort: '-created', limit: 50 }, signal), [id]);
  const name = contact.data?.displayName ?? cases.data?.items[0]?.contactName ?? 'Usager';
  usePageTitle(name);
  const c = contact.data;
  const reload = () => {
    contact.reload();
    cases.reload();
  };
  return (
    <section className="page" aria-labelledby="page-title">
      <p className="eyebrow">Usager</p>
      <h1 id="page-title">{name}</h1>
      {contact.loading && !c && <Loading label="Chargement de la fiche…" />}
      {c?.mergedInto && (
        <p className="alert alert-info">
          Cette fiche a été fusionnée. <Link to={`/usagers/${c.mergedInto}`}>Ouvrir la fiche conservée</Link>
        </p>
      )}
      {c && (
        <section aria-labelledby="contact-identity">
          <h2 id="contact-identity">Identité et coordonnées</h2>
          <dl className="facts">
            <div>
              <dt>Type</dt>
              <dd>
                {c.kind === 'organisation' ? 'Organisation' : 'Personne'} · {SEGMENTS[c.segment] ?? c.segment}
                {c.toCheck && ' · à vérifier'}
              </dd>
            </div>
            {c.kind === 'person' && (c.lastName || c.firstName) && (
              <div>
                <dt>Nom</dt>
                <dd>{[c.civility, c.firstName, c.lastName].filter(Boolean).join(' ')}</dd>
              </div>
            )}
            {c.birthDate && (
              <div>
                <dt>Date de naissance</dt>
                <dd>{formatDate(c.birthDate)}</dd>
              </div>
            )}
            {c.siret && (
              <div>
                <dt>SIRET</dt>
                <dd>{c.siret}</dd>
              </div>
            )}
            {c.rna && (
              <div>
                <dt>RNA</dt>
                <dd>{c.rna}</dd>
              </div>
            )}
            <div>
              <dt>Courriels</dt>
              <dd>{c.emails.length ? c.emails.map((e) => labelled(e.email, e.label, e.isPrimary) + (e.failingSince ? ' (en échec)' : '')).join(' ; ') : '—'}</dd>
            </div>
            <div>
              <dt>Téléphones</dt>
              <dd>{c.phones.length ? c.phones.map((p) => labelled(p.display, p.label, p.isPrimary)).join(' ; ') : '—'}</dd>
            </div>
            <div>
              <dt>Adresses</dt>
              <dd>{c.addresses.length ? c.addresses.map((a) => labelled([a.line1, a.line2, `${a.postcode} ${a.city}`].filter(Boolean).join(', '), a.label, a.isPrimary)).join(' ; ') : '—'}</dd>
            </div>
            {c.notes && (
              <div>
                <dt>Notes</dt>
                <dd>{c.notes}</dd>
              </div>
            )}
          </dl>
          {(c.organisations.length > 0 || c.people.length > 0) && (
            <>
              <h3>{c.kind === 'organisation' ? 'Personnes liées' : 'Organisations liées'}</h3>
              <ul className="links">
                {[...c.organisations, ...c.people].map((l) => (
                  <li key={`${l.id}-${l.role}`}>
                    <Link to={`/usagers/${l.id}`}>{l.displayName}</Link> — {l.role}
                    {!l.confirmed && ' (à confirmer)'}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {contact.error && contact.error.status !== 404 && <ErrorMessage error={contact.error} />}
      {contact.error?.status === 404 && <p className="muted">La fiche détaillée de cet usager n’est pas disponible.</p>}
      {c && can(session, 'contact.merge') && !c.mergedInto && <ContactDuplicates id={c.id} name={c.displayName} onMerged={reload} />}
      <section aria-labelledby="contact-cases" className="results">
        <h2 id="contact-cases">Ses demandes</h2>
        <ErrorMessage error={cases.error} />
        {cases.loading && !cases.data ? (
          <Loading />
        ) : !cases.data?.items.length ? (
          <Empty>Aucune demande visible pour cet usager.</Empty>
        ) : (
          <ul className="result-list">
            {cases.data.items.map((k) => (
              <li key={k.id}>
                <Link to={`/demandes/${k.reference}`}>
                  <span className="ref">{k.reference}</span> — {k.subject}
                </Link>{' '}
                <StatusBadge status={k.status} />
                <span className="meta">
                  {[k.topicName, k.unitName, channelLabel(k.channel), `reçue le ${formatDate(k.createdAt)}`].filter(Boolean).join(' · ')}
                  {k.dueDate && k.status !== 'closed' && (
                    <>
                      {' · échéance '}
                      <DueDate dueDate={k.dueDate} sla={k.sla} />
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {c && (
        <section aria-labelledby="contact-interactions" className="results">
          <h2 id="contact-interactions">Ses échanges</h2>
          {!c.interactions.length ? (
            <Empty>Aucun échange visible.</Empty>
          ) : (
            <ul className="result-list">
              {c.interactions.map((i) => (
                <li key={i.id}>
                  <span>
                    {KINDS[i.kind] ?? i.kind} ({DIRECTIONS[i.direction] ?? i.direction}) le {formatDateTime(i.occurredAt)}
                  </span>
                  {i.subject && <span className="snippet">{i.subject}</span>}
                  <span className="meta">
                    Demande <Link to={`/demandes/${i.caseReference}`}>{i.caseReference}</Link>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
