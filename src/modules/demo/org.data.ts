// The demo département's organisation: directions, their units, and the agents working in them.
// Modelled on a real Conseil départemental (≈ 680,000 inhabitants).

export interface DemoUnit {
  code: string;
  name: string;
  kind: 'direction' | 'unit';
  parent?: string;
  email?: string;
}

export const DEMO_UNITS: DemoUnit[] = [
  { code: 'dgs', name: 'Direction générale des services', kind: 'direction' },
  { code: 'relation-usagers', name: 'Direction de la relation aux usagers', kind: 'direction' },
  { code: 'centre-contact', name: 'Centre de contact téléphonique', kind: 'unit', parent: 'relation-usagers' },
  { code: 'bureau-courrier', name: 'Bureau du courrier', kind: 'unit', parent: 'relation-usagers' },
  { code: 'accueil', name: 'Accueil physique de l’Hôtel du Département', kind: 'unit', parent: 'relation-usagers' },
  { code: 'solidarites', name: 'Direction des solidarités', kind: 'direction' },
  { code: 'autonomie', name: 'Service autonomie (APA, PCH)', kind: 'unit', parent: 'solidarites', email: 'autonomie@departement.example' },
  { code: 'insertion', name: 'Service insertion et RSA', kind: 'unit', parent: 'solidarites', email: 'insertion@departement.example' },
  { code: 'action-sociale', name: 'Service action sociale de proximité', kind: 'unit', parent: 'solidarites' },
  { code: 'enfance-famille', name: 'Direction de l’enfance et de la famille', kind: 'direction' },
  { code: 'ase', name: 'Aide sociale à l’enfance', kind: 'unit', parent: 'enfance-famille' },
  { code: 'pmi', name: 'Protection maternelle et infantile', kind: 'unit', parent: 'enfance-famille' },
  { code: 'assistants-familiaux', name: 'Service accueil familial', kind: 'unit', parent: 'enfance-famille' },
  { code: 'routes', name: 'Direction des routes et des mobilités', kind: 'direction' },
  { code: 'exploitation-routes', name: 'Service exploitation et entretien des routes', kind: 'unit', parent: 'routes', email: 'routes@departement.example' },
  { code: 'travaux-routes', name: 'Service travaux et ouvrages d’art', kind: 'unit', parent: 'routes' },
  { code: 'education-transports', name: 'Direction de l’éducation et des transports', kind: 'direction' },
  { code: 'transports-scolaires', name: 'Service des transports scolaires', kind: 'unit', parent: 'education-transports', email: 'transports@departement.example' },
  { code: 'colleges', name: 'Service des collèges', kind: 'unit', parent: 'education-transports' },
  { code: 'culture-sport', name: 'Direction de la culture, du sport et de la vie associative', kind: 'direction' },
  { code: 'vie-associative', name: 'Service vie associative et subventions', kind: 'unit', parent: 'culture-sport', email: 'subventions@departement.example' },
  { code: 'sports', name: 'Service des sports', kind: 'unit', parent: 'culture-sport' },
  { code: 'culture', name: 'Service de la culture et du patrimoine', kind: 'unit', parent: 'culture-sport' },
  { code: 'archives', name: 'Archives départementales', kind: 'unit', parent: 'culture-sport' },
  { code: 'ressources', name: 'Direction des ressources', kind: 'direction' },
  { code: 'affaires-juridiques', name: 'Service des affaires juridiques et des assemblées', kind: 'unit', parent: 'ressources' },
];

export interface DemoAgent {
  first: string;
  last: string;
  roles: string[];
  units: string[];
  extension?: string;
}

/** ~40 agents in every role. Emails are prenom.nom@departement.example. */
export const DEMO_AGENTS: DemoAgent[] = [
  // contact center (6 agents, level 1) with their phone extensions
  { first: 'Camille', last: 'Martin', roles: ['contact_center'], units: ['centre-contact'], extension: '201' },
  { first: 'Lucas', last: 'Bernard', roles: ['contact_center'], units: ['centre-contact'], extension: '202' },
  { first: 'Chloé', last: 'Dubois', roles: ['contact_center'], units: ['centre-contact'], extension: '203' },
  { first: 'Hugo', last: 'Thomas', roles: ['contact_center'], units: ['centre-contact'], extension: '204' },
  { first: 'Léa', last: 'Robert', roles: ['contact_center'], units: ['centre-contact'], extension: '205' },
  { first: 'Nathan', last: 'Richard', roles: ['contact_center'], units: ['centre-contact'], extension: '206' },
  { first: 'Isabelle', last: 'Petit', roles: ['supervisor'], units: ['centre-contact'] },
  // mail room
  { first: 'Sophie', last: 'Durand', roles: ['mail_clerk'], units: ['bureau-courrier'] },
  { first: 'Julien', last: 'Leroy', roles: ['mail_clerk'], units: ['bureau-courrier'] },
  { first: 'Nadia', last: 'Moreau', roles: ['mail_clerk'], units: ['bureau-courrier'] },
  // counter
  { first: 'Karim', last: 'Simon', roles: ['counter_agent'], units: ['accueil'] },
  { first: 'Émilie', last: 'Laurent', roles: ['counter_agent'], units: ['accueil'] },
  // solidarités
  { first: 'Claire', last: 'Lefebvre', roles: ['unit_manager'], units: ['autonomie'] },
  { first: 'Paul', last: 'Michel', roles: ['unit_agent'], units: ['autonomie'] },
  { first: 'Manon', last: 'Garcia', roles: ['unit_agent'], units: ['autonomie'] },
  { first: 'Olivier', last: 'David', roles: ['unit_manager'], units: ['insertion'] },
  { first: 'Sarah', last: 'Bertrand', roles: ['unit_agent'], units: ['insertion'] },
  { first: 'Mathieu', last: 'Roux', roles: ['unit_agent'], units: ['action-sociale', 'insertion'] },
  // enfance-famille (sensitive)
  { first: 'Anne', last: 'Vincent', roles: ['unit_manager'], units: ['ase'] },
  { first: 'Thomas', last: 'Fournier', roles: ['unit_agent'], units: ['ase'] },
  { first: 'Inès', last: 'Morel', roles: ['unit_agent'], units: ['pmi'] },
  { first: 'Pierre', last: 'Girard', roles: ['unit_agent'], units: ['assistants-familiaux'] },
  // routes
  { first: 'François', last: 'André', roles: ['unit_manager'], units: ['exploitation-routes'] },
  { first: 'Antoine', last: 'Lefèvre', roles: ['unit_agent'], units: ['exploitation-routes'] },
  { first: 'Julie', last: 'Mercier', roles: ['unit_agent'], units: ['exploitation-routes'] },
  { first: 'Romain', last: 'Dupont', roles: ['unit_agent'], units: ['travaux-routes'] },
  // éducation & transports
  { first: 'Marion', last: 'Lambert', roles: ['unit_manager'], units: ['transports-scolaires'] },
  { first: 'Kevin', last: 'Bonnet', roles: ['unit_agent'], units: ['transports-scolaires'] },
  { first: 'Laura', last: 'François', roles: ['unit_agent'], units: ['transports-scolaires'] },
  { first: 'Damien', last: 'Martinez', roles: ['unit_agent'], units: ['colleges'] },
  // culture & sport
  { first: 'Élise', last: 'Legrand', roles: ['unit_manager'], units: ['vie-associative'] },
  { first: 'Yann', last: 'Garnier', roles: ['unit_agent'], units: ['vie-associative'] },
  { first: 'Céline', last: 'Faure', roles: ['unit_agent'], units: ['vie-associative', 'sports'] },
  { first: 'Bruno', last: 'Rousseau', roles: ['unit_agent'], units: ['culture'] },
  { first: 'Agnès', last: 'Blanc', roles: ['unit_agent'], units: ['archives'] },
  { first: 'Vincent', last: 'Guerin', roles: ['unit_agent'], units: ['affaires-juridiques'] },
  // supervision and administration
  { first: 'Hélène', last: 'Muller', roles: ['supervisor'], units: ['relation-usagers'] },
  { first: 'Marc', last: 'Henry', roles: ['admin'], units: [] },
  { first: 'Stéphanie', last: 'Roussel', roles: ['admin', 'supervisor'], units: ['dgs'] },
];

export function demoEmail(a: Pick<DemoAgent, 'first' | 'last'>): string {
  const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '-');
  return `${slug(a.first)}.${slug(a.last)}@departement.example`;
}
