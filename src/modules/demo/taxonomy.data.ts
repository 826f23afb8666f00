// The demo département's taxonomy: domains → topics (objets de demande), the routing rules that
// refine the default unit of a topic, and the reply templates agents start from.
// Topic codes are stable identifiers: other modules' tests and demos refer to them.

export interface DemoDomain {
  code: string;
  name: string;
}

export interface DemoTopic {
  code: string;
  domain: string;
  name: string;
  description?: string;
  /** Unit code (org.data.ts) receiving the topic's cases by default. */
  unit: string;
  /** Other units handling the topic (they see its cases, sensitive or not). */
  extraUnits?: string[];
  /** Time to answer, in business days. */
  deadlineDays: number;
  sensitive: boolean;
  retentionYears: number;
  retentionAction: 'destroy' | 'archive';
  acknowledge: boolean;
  onReplyClosed: 'reopen' | 'new_case';
}

export const DEMO_DOMAINS: DemoDomain[] = [
  { code: 'autonomie', name: 'Autonomie, handicap et grand âge' },
  { code: 'insertion-solidarites', name: 'Insertion et action sociale' },
  { code: 'enfance-famille', name: 'Enfance et famille' },
  { code: 'routes-mobilites', name: 'Routes et mobilités' },
  { code: 'education-transports', name: 'Éducation et transports scolaires' },
  { code: 'culture-sport-associations', name: 'Culture, sport et vie associative' },
  { code: 'territoires', name: 'Communes et territoires' },
  { code: 'information-demarches', name: 'Information et démarches' },
];

type T = Omit<DemoTopic, 'retentionAction' | 'acknowledge' | 'onReplyClosed' | 'sensitive'> &
  Partial<Pick<DemoTopic, 'retentionAction' | 'acknowledge' | 'onReplyClosed' | 'sensitive'>>;

function topic(t: T): DemoTopic {
  return { sensitive: false, retentionAction: 'destroy', acknowledge: true, onReplyClosed: 'reopen', ...t };
}

export const DEMO_TOPICS: DemoTopic[] = [
  // Autonomie, handicap et grand âge
  topic({ code: 'apa', domain: 'autonomie', name: 'Allocation personnalisée d\'autonomie (APA)', description: 'Demande, révision, paiement de l\'APA à domicile ou en établissement.', unit: 'autonomie', deadlineDays: 40, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'pch', domain: 'autonomie', name: 'Prestation de compensation du handicap (PCH)', description: 'Versement, contrôle d\'effectivité et renouvellement de la PCH.', unit: 'autonomie', deadlineDays: 40, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'carte-mobilite-inclusion', domain: 'autonomie', name: 'Carte mobilité inclusion (CMI)', unit: 'autonomie', deadlineDays: 30, sensitive: true, retentionYears: 5 }),
  topic({ code: 'aide-sociale-hebergement', domain: 'autonomie', name: 'Aide sociale à l\'hébergement en établissement (ASH)', unit: 'autonomie', deadlineDays: 60, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'etablissements-personnes-agees', domain: 'autonomie', name: 'Établissements pour personnes âgées (EHPAD, résidences autonomie)', description: 'Places disponibles, tarifs d\'hébergement, habilitation à l\'aide sociale.', unit: 'autonomie', deadlineDays: 15, retentionYears: 3 }),
  // Insertion et action sociale
  topic({ code: 'rsa', domain: 'insertion-solidarites', name: 'Revenu de solidarité active (RSA)', description: 'Orientation, contrat d\'engagement réciproque, suspension, indus.', unit: 'insertion', deadlineDays: 20, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'insertion-emploi', domain: 'insertion-solidarites', name: 'Accompagnement vers l\'emploi et chantiers d\'insertion', unit: 'insertion', deadlineDays: 20, sensitive: true, retentionYears: 5 }),
  topic({ code: 'fsl', domain: 'insertion-solidarites', name: 'Fonds de solidarité pour le logement (FSL)', description: 'Aide à l\'accès au logement, impayés de loyer, factures d\'énergie et d\'eau.', unit: 'action-sociale', deadlineDays: 30, sensitive: true, retentionYears: 5 }),
  topic({ code: 'aide-financiere', domain: 'insertion-solidarites', name: 'Aide financière d\'urgence', unit: 'action-sociale', deadlineDays: 10, sensitive: true, retentionYears: 5 }),
  topic({ code: 'rendez-vous-travailleur-social', domain: 'insertion-solidarites', name: 'Rendez-vous avec un travailleur social', unit: 'action-sociale', deadlineDays: 5, sensitive: true, retentionYears: 3, acknowledge: false }),
  // Enfance et famille
  topic({ code: 'protection-enfance', domain: 'enfance-famille', name: 'Information préoccupante / protection de l\'enfance', description: 'Toute information laissant craindre qu\'un enfant est en danger ou en risque de l\'être (cellule de recueil des informations préoccupantes).', unit: 'ase', deadlineDays: 3, sensitive: true, retentionYears: 75, retentionAction: 'archive', acknowledge: false, onReplyClosed: 'new_case' }),
  topic({ code: 'assistant-familial', domain: 'enfance-famille', name: 'Assistants familiaux : agrément, accueil, rémunération', unit: 'assistants-familiaux', deadlineDays: 20, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'pmi', domain: 'enfance-famille', name: 'Protection maternelle et infantile (consultations, vaccinations, suivi de grossesse)', unit: 'pmi', deadlineDays: 10, sensitive: true, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'agrement-assistant-maternel', domain: 'enfance-famille', name: 'Agrément d\'assistant maternel', description: 'Première demande, renouvellement, extension de l\'agrément ; réunions d\'information.', unit: 'pmi', deadlineDays: 60, retentionYears: 5 }),
  topic({ code: 'adoption', domain: 'enfance-famille', name: 'Adoption et accès aux origines', unit: 'ase', deadlineDays: 40, sensitive: true, retentionYears: 75, retentionAction: 'archive' }),
  topic({ code: 'acces-dossier-ase', domain: 'enfance-famille', name: 'Consultation de son dossier d\'aide sociale à l\'enfance', unit: 'ase', deadlineDays: 22, sensitive: true, retentionYears: 75, retentionAction: 'archive' }),
  // Routes et mobilités
  topic({ code: 'signalement-voirie', domain: 'routes-mobilites', name: 'Signalement sur route départementale (nid-de-poule, élagage, signalisation)', unit: 'exploitation-routes', deadlineDays: 10, retentionYears: 3, onReplyClosed: 'new_case' }),
  topic({ code: 'travaux-route', domain: 'routes-mobilites', name: 'Travaux sur route départementale', description: 'Chantiers en cours, déviations, nuisances, demandes d\'aménagement de sécurité.', unit: 'travaux-routes', deadlineDays: 15, retentionYears: 5 }),
  topic({ code: 'viabilite-hivernale', domain: 'routes-mobilites', name: 'Viabilité hivernale (salage, déneigement)', unit: 'exploitation-routes', deadlineDays: 5, retentionYears: 2, onReplyClosed: 'new_case' }),
  topic({ code: 'permission-voirie', domain: 'routes-mobilites', name: 'Permission de voirie et accès riverain', description: 'Création d\'accès, occupation du domaine public, alignement, échafaudage.', unit: 'exploitation-routes', deadlineDays: 30, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'dommage-chaussee', domain: 'routes-mobilites', name: 'Dommage à un véhicule lié à la chaussée (demande d\'indemnisation)', unit: 'affaires-juridiques', extraUnits: ['exploitation-routes'], deadlineDays: 40, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'transport-exceptionnel', domain: 'routes-mobilites', name: 'Transports exceptionnels et arrêtés de circulation', unit: 'exploitation-routes', deadlineDays: 15, retentionYears: 5 }),
  // Éducation et transports scolaires
  topic({ code: 'transport-scolaire', domain: 'education-transports', name: 'Inscription / réclamation transport scolaire', description: 'Inscription, carte de transport, arrêt, horaires, retard ou absence de car.', unit: 'transports-scolaires', deadlineDays: 10, retentionYears: 3, onReplyClosed: 'new_case' }),
  topic({ code: 'transport-eleve-handicap', domain: 'education-transports', name: 'Transport des élèves et étudiants en situation de handicap', unit: 'transports-scolaires', deadlineDays: 15, sensitive: true, retentionYears: 5 }),
  topic({ code: 'college-restauration', domain: 'education-transports', name: 'Restauration scolaire au collège (tarifs, aide à la demi-pension)', unit: 'colleges', deadlineDays: 15, retentionYears: 3 }),
  topic({ code: 'college-batiments', domain: 'education-transports', name: 'Bâtiments et équipements des collèges', unit: 'colleges', deadlineDays: 20, retentionYears: 5 }),
  topic({ code: 'sectorisation-college', domain: 'education-transports', name: 'Sectorisation des collèges (secteur, dérogation)', unit: 'colleges', deadlineDays: 15, retentionYears: 3 }),
  // Culture, sport et vie associative
  topic({ code: 'subvention-culture', domain: 'culture-sport-associations', name: 'Subvention association culturelle', description: 'Dépôt, pièces, instruction et versement des subventions aux associations culturelles.', unit: 'vie-associative', extraUnits: ['culture'], deadlineDays: 40, retentionYears: 10, retentionAction: 'archive', onReplyClosed: 'new_case' }),
  topic({ code: 'subvention-sport', domain: 'culture-sport-associations', name: 'Subvention association sportive', description: 'Aide au fonctionnement des clubs, aide aux manifestations et au matériel sportif.', unit: 'vie-associative', extraUnits: ['sports'], deadlineDays: 40, retentionYears: 10, retentionAction: 'archive', onReplyClosed: 'new_case' }),
  topic({ code: 'manifestation-sportive', domain: 'culture-sport-associations', name: 'Manifestation sportive (parcours sur routes départementales, soutien)', unit: 'sports', deadlineDays: 20, retentionYears: 3 }),
  topic({ code: 'archives-recherche', domain: 'culture-sport-associations', name: 'Recherche aux Archives départementales (état civil ancien, cadastre, généalogie)', unit: 'archives', deadlineDays: 30, retentionYears: 3 }),
  topic({ code: 'patrimoine-culture', domain: 'culture-sport-associations', name: 'Patrimoine, musées et sites culturels du Département', unit: 'culture', deadlineDays: 15, retentionYears: 3 }),
  topic({ code: 'mediatheque-departementale', domain: 'culture-sport-associations', name: 'Médiathèque départementale (prêt aux bibliothèques communales)', unit: 'culture', deadlineDays: 15, retentionYears: 3 }),
  // Communes et territoires
  topic({ code: 'aide-communes', domain: 'territoires', name: 'Aide aux communes (fonds d\'aménagement, dotations)', unit: 'dgs', deadlineDays: 40, retentionYears: 10, retentionAction: 'archive', onReplyClosed: 'new_case' }),
  topic({ code: 'marches-publics', domain: 'territoires', name: 'Marchés publics du Département', unit: 'affaires-juridiques', deadlineDays: 15, retentionYears: 10, retentionAction: 'archive' }),
  topic({ code: 'courrier-elus', domain: 'territoires', name: 'Courrier adressé au Président ou aux conseillers départementaux', unit: 'dgs', deadlineDays: 20, retentionYears: 10, retentionAction: 'archive' }),
  // Information et démarches
  topic({ code: 'information-generale', domain: 'information-demarches', name: 'Information générale', description: 'Horaires, adresses, démarches, orientation vers le bon service.', unit: 'centre-contact', deadlineDays: 2, retentionYears: 1, acknowledge: false }),
  topic({ code: 'demande-document', domain: 'information-demarches', name: 'Demande de document administratif', description: 'Communication de documents administratifs (délibérations, arrêtés, rapports), au sens du code des relations entre le public et l\'administration.', unit: 'affaires-juridiques', deadlineDays: 22, retentionYears: 5 }),
  topic({ code: 'reclamation-accueil', domain: 'information-demarches', name: 'Réclamation sur la qualité du service rendu', unit: 'relation-usagers', deadlineDays: 15, retentionYears: 5 }),
  topic({ code: 'acces-donnees-personnelles', domain: 'information-demarches', name: 'Droits sur les données personnelles (RGPD : accès, rectification, effacement)', unit: 'affaires-juridiques', deadlineDays: 22, retentionYears: 5, retentionAction: 'archive' }),
  topic({ code: 'hors-competence', domain: 'information-demarches', name: 'Demande hors compétence du Département (réorientation)', unit: 'centre-contact', deadlineDays: 2, retentionYears: 1, acknowledge: false }),
  topic({ code: 'candidature-emploi', domain: 'information-demarches', name: 'Candidature spontanée, stage, apprentissage', unit: 'dgs', deadlineDays: 30, retentionYears: 2 }),
];

export interface DemoRoutingRule {
  position: number;
  name: string;
  topics?: string[];
  channels?: string[];
  segments?: string[];
  postcodePrefixes?: string[];
  communes?: string[];
  keywords?: string[];
  unit: string;
}

export const DEMO_ROUTING_RULES: DemoRoutingRule[] = [
  { position: 10, name: 'Élagage et arbres dangereux le long des routes départementales', topics: ['signalement-voirie'], keywords: ['élagage', 'arbre', 'branche'], unit: 'exploitation-routes' },
  { position: 20, name: 'Ponts, ouvrages et glissières : service travaux et ouvrages d\'art', topics: ['signalement-voirie'], keywords: ['pont', 'ouvrage', 'glissière'], unit: 'travaux-routes' },
  { position: 30, name: 'Aides aux manifestations sportives : service des sports', topics: ['subvention-sport'], keywords: ['tournoi', 'course', 'manifestation'], unit: 'sports' },
  { position: 40, name: 'Renseignements donnés à l\'accueil de l\'Hôtel du Département', topics: ['information-generale'], channels: ['counter'], unit: 'accueil' },
  { position: 50, name: 'Questions des associations : service vie associative', topics: ['information-generale'], segments: ['association'], unit: 'vie-associative' },
  { position: 60, name: 'RSA dans le Montargois et le Giennois : action sociale de proximité', topics: ['rsa'], postcodePrefixes: ['452', '455'], unit: 'action-sociale' },
  { position: 70, name: 'Documents concernant les collèges : service des collèges', topics: ['demande-document'], keywords: ['collège'], unit: 'colleges' },
];

export interface DemoReplyTemplate {
  code: string;
  name: string;
  channel: 'email' | 'letter' | 'portal' | 'any';
  topic?: string;
  subject: string;
  body: string;
}

const SIGN_OFF = `{{agent.signature}}`;

export const DEMO_REPLY_TEMPLATES: DemoReplyTemplate[] = [
  {
    code: 'accuse-reception',
    name: 'Accusé de réception',
    channel: 'any',
    subject: 'Votre demande {{reference}} a bien été reçue',
    body: `Madame, Monsieur,

Nous avons bien reçu votre demande, enregistrée le {{today}} sous la référence {{reference}}.
Elle a été confiée au service compétent ({{unit.name}}), qui vous répondra au plus tard le {{dueDate}}.

Pour toute question, rappelez cette référence au numéro unique du Département (du lundi au vendredi, de 7 h 30 à 19 h) ou dans votre espace citoyen.

Nous vous prions d'agréer, {{contact.name}}, l'expression de nos salutations distinguées.

${SIGN_OFF}`,
  },
  {
    code: 'pieces-complementaires',
    name: 'Demande de pièces complémentaires',
    channel: 'any',
    subject: 'Demande {{reference}} : pièces complémentaires nécessaires',
    body: `Madame, Monsieur,

Votre demande {{reference}} est en cours d'instruction ({{unit.name}}).
Pour la poursuivre, nous avons besoin des pièces suivantes :
- [liste des pièces]

Vous pouvez les déposer dans votre espace citoyen, les envoyer par courriel en rappelant la référence {{reference}}, ou par courrier à l'adresse unique du Département.
Sans réponse de votre part sous un mois, la demande sera classée sans suite.

Nous vous prions d'agréer, {{contact.name}}, l'expression de nos salutations distinguées.

${SIGN_OFF}`,
  },
  {
    code: 'subvention-favorable',
    name: 'Réponse favorable – subvention à une association culturelle',
    channel: 'letter',
    topic: 'subvention-culture',
    subject: 'Attribution d\'une subvention départementale – {{reference}}',
    body: `Madame la Présidente, Monsieur le Président,

J'ai le plaisir de vous informer que la commission permanente du Conseil départemental a décidé d'attribuer à votre association, {{contact.name}}, une subvention de [montant] euros pour [objet].

Cette somme sera versée en une fois sur le compte bancaire de l'association dans un délai de six semaines. Un compte rendu d'utilisation de la subvention devra être transmis au service instructeur ({{unit.name}}) avant le 30 juin de l'année prochaine.

Je vous prie d'agréer, Madame la Présidente, Monsieur le Président, l'expression de mes salutations distinguées.

Fait le {{today}}.
${SIGN_OFF}`,
  },
  {
    code: 'subvention-defavorable',
    name: 'Réponse défavorable – subvention à une association sportive',
    channel: 'letter',
    topic: 'subvention-sport',
    subject: 'Votre demande de subvention – {{reference}}',
    body: `Madame la Présidente, Monsieur le Président,

Votre demande de subvention, enregistrée sous la référence {{reference}}, a été examinée avec attention par nos services ({{unit.name}}).

Je suis au regret de vous informer qu'elle n'a pu être retenue : les crédits consacrés au soutien des clubs sportifs sont attribués en priorité aux clubs accueillant des jeunes licenciés en compétition départementale, et l'enveloppe de l'année est désormais engagée.

Vous pourrez déposer une nouvelle demande lors de la prochaine campagne, ouverte de janvier à mars.

Je vous prie d'agréer, {{contact.name}}, l'expression de mes salutations distinguées.

${SIGN_OFF}`,
  },
  {
    code: 'transport-scolaire-reponse',
    name: 'Réponse transport scolaire',
    channel: 'email',
    topic: 'transport-scolaire',
    subject: 'Transport scolaire – réponse à votre demande {{reference}}',
    body: `Bonjour {{contact.name}},

Suite à votre demande {{reference}}, nos services ({{unit.name}}) ont vérifié l'inscription de votre enfant et le fonctionnement de la ligne concernée.
[réponse : carte renvoyée / arrêt modifié / transporteur rappelé à l'ordre]

La carte de transport est valable pour toute l'année scolaire ; en cas de perte, un duplicata peut être demandé depuis l'espace citoyen.

Bonne journée,

${SIGN_OFF}`,
  },
  {
    code: 'signalement-voirie-pris-en-compte',
    name: 'Signalement sur route départementale pris en compte',
    channel: 'any',
    topic: 'signalement-voirie',
    subject: 'Votre signalement {{reference}} a été pris en compte',
    body: `Bonjour {{contact.name}},

Merci pour votre signalement, enregistré sous la référence {{reference}}.
L'agence routière du secteur a été informée ; une équipe ({{unit.name}}) se rendra sur place. Si un danger immédiat est constaté, une signalisation temporaire sera posée dans la journée.

Nous vous tiendrons informé de l'intervention d'ici le {{dueDate}}.

${SIGN_OFF}`,
  },
  {
    code: 'reorientation-hors-competence',
    name: 'Réorientation vers l\'organisme compétent',
    channel: 'any',
    topic: 'hors-competence',
    subject: 'Votre demande {{reference}} relève d\'un autre organisme',
    body: `Bonjour {{contact.name}},

Votre demande ne relève pas des compétences du Département. L'organisme compétent est :
[nom, adresse, téléphone, site internet]

Nous restons à votre disposition pour toute demande concernant les missions du Département (solidarités, routes départementales, collèges, transports scolaires, culture et sport).

Le {{today}},
${SIGN_OFF}`,
  },
  {
    code: 'reponse-information',
    name: 'Réponse à une demande d\'information',
    channel: 'email',
    topic: 'information-generale',
    subject: 'Réponse à votre demande d\'information {{reference}}',
    body: `Bonjour {{contact.name}},

Vous trouverez ci-dessous les informations demandées :
[réponse]

N'hésitez pas à nous recontacter en rappelant la référence {{reference}}.

Bien cordialement,

${SIGN_OFF}`,
  },
];

/** Replaces {{placeholders}}; unknown ones are left as they are. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, key: string) => (key in vars ? vars[key] : m));
}
