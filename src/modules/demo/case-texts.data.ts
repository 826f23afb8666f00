// How often each topic comes up, through which channels, from whom, and what people write about it:
// requests (subject + description) with slots ({commune}, {rd}, {college}, {assoc}, {amount}…) filled
// per case.

export type Channel = 'phone' | 'mail' | 'email' | 'portal' | 'counter' | 'api';

/** Who makes the request. */
export type Requester =
  | 'person'
  | 'senior'
  | 'parent'
  | 'sport-assoc'
  | 'culture-assoc'
  | 'assoc'
  | 'commune'
  | 'company'
  | 'public-body'
  | 'anonymous';

export interface TopicProfile {
  /** Relative frequency among all cases. */
  weight: number;
  /** Multipliers by channel (1 when absent). */
  channels?: Partial<Record<Channel, number>>;
  /** Months (1–12) when the topic peaks (×2.5). */
  peakMonths?: number[];
  requester: Array<readonly [Requester, number]>;
  /** Probability that the front office answers on the spot (phone, counter; less by email/portal). */
  level1: number;
  /** [subject, description] pairs. */
  requests: Array<readonly [string, string]>;
  /** What the level-1 agent notes when answering on the spot. */
  level1Answers?: string[];
  /** Internal notes while the unit works on it. */
  notes?: string[];
  /** The substance of the final answer. */
  answers?: string[];
}

const PERSON: TopicProfile['requester'] = [['person', 1]];

export const TOPIC_PROFILES: Record<string, TopicProfile> = {
  apa: {
    weight: 6,
    channels: { mail: 2, phone: 1.2, email: 0.6, portal: 0.8, counter: 1.2 },
    requester: [['senior', 0.85], ['person', 0.15]],
    level1: 0,
    requests: [
      ['Demande d\'APA à domicile pour ma mère', 'Ma mère, 87 ans, vit seule {a_commune} et ne peut plus faire ses courses ni sa toilette seule. Nous souhaitons déposer une demande d\'APA à domicile. Pouvez-vous nous envoyer le formulaire ?'],
      ['Dossier APA : où en est l\'instruction ?', 'Le dossier APA de mon père a été déposé il y a deux mois et nous n\'avons pas eu de visite de l\'équipe médico-sociale. Merci de nous indiquer où en est la demande.'],
      ['Révision du plan d\'aide APA', 'L\'état de santé de mon épouse s\'est aggravé depuis sa chute. Le plan d\'aide actuel (20 heures par mois) ne suffit plus ; nous demandons une révision.'],
      ['APA : paiement du mois de {month} non reçu', 'Le versement de l\'APA du mois de {month} n\'apparaît pas sur notre compte. Le service d\'aide à domicile nous réclame la facture.'],
      ['Passage à l\'emploi direct d\'une aide à domicile (APA)', 'Je souhaite changer de service d\'aide à domicile et employer directement une aide à domicile. Quelles démarches pour l\'APA ?'],
      ['Demande d\'allocation personnalisée d\'autonomie', 'Vous trouverez ci-joint le dossier de demande d\'APA de M. {last}, le certificat médical et le dernier avis d\'imposition.'],
    ],
    notes: [
      'Visite d\'évaluation à domicile programmée avec l\'équipe médico-sociale.',
      'Dossier complet, GIR 4 proposé à la commission.',
      'Attestation de ressources manquante, demandée à la famille.',
      'Plan d\'aide notifié, copie envoyée au service d\'aide à domicile.',
    ],
    answers: [
      'Votre demande d\'APA a été accordée ; la notification du plan d\'aide vous est adressée par courrier.',
      'Le versement a été régularisé ce jour ; il apparaîtra sur votre compte sous trois jours.',
      'La révision du plan d\'aide a été acceptée : 32 heures d\'aide à domicile par mois à compter du 1er du mois prochain.',
    ],
  },
  pch: {
    weight: 4,
    channels: { mail: 1.8, phone: 1.2, email: 0.8 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Versement de la PCH aide humaine', 'La MDPH a notifié la prestation de compensation pour mon fils mais aucun versement n\'a eu lieu depuis trois mois. Pouvez-vous vérifier le dossier ?'],
      ['PCH : remboursement d\'un aménagement du véhicule', 'J\'ai fait aménager mon véhicule (poste de conduite adapté, facture de {amount} euros). Comment obtenir le remboursement au titre de la PCH ?'],
      ['Contrôle d\'effectivité PCH : justificatifs', 'Vous me demandez les justificatifs d\'utilisation de la PCH aide humaine pour l\'année {year}. Je vous adresse les bulletins de salaire de mon auxiliaire de vie.'],
      ['Renouvellement de la PCH de ma fille', 'Les droits PCH de ma fille arrivent à échéance. La MDPH les a renouvelés ; merci de mettre à jour le versement.'],
    ],
    notes: ['Décision MDPH reçue, mise en paiement à compter du mois prochain.', 'Justificatifs conformes, contrôle d\'effectivité clôturé.'],
    answers: ['Les versements de la PCH ont été mis à jour selon la décision de la MDPH.', 'Le remboursement de l\'aménagement a été mis en paiement.'],
  },
  'carte-mobilite-inclusion': {
    weight: 2.5,
    channels: { phone: 1.5, mail: 1.2, counter: 1.3 },
    requester: [['senior', 0.6], ['person', 0.4]],
    level1: 0,
    requests: [
      ['Carte mobilité inclusion non reçue', 'La décision d\'attribution de la CMI stationnement date de six semaines mais la carte n\'est toujours pas arrivée.'],
      ['CMI stationnement : demande de duplicata', 'J\'ai perdu ma carte mobilité inclusion lors d\'un déplacement. Comment obtenir un duplicata ?'],
      ['Carte mobilité inclusion mention invalidité', 'Mon père, bénéficiaire de l\'APA en GIR 2, a droit à la CMI invalidité. Faut-il refaire une demande ?'],
    ],
    answers: ['La fabrication de la carte a été relancée auprès de l\'Imprimerie nationale ; elle vous parviendra sous quinze jours.'],
  },
  'aide-sociale-hebergement': {
    weight: 1.5,
    channels: { mail: 2.5, phone: 1, email: 0.6 },
    requester: [['senior', 0.5], ['person', 0.5]],
    level1: 0,
    requests: [
      ['Demande d\'aide sociale à l\'hébergement en EHPAD', 'Ma mère entre en EHPAD {a_commune} et ses ressources ne couvrent pas le tarif d\'hébergement. Nous déposons une demande d\'aide sociale.'],
      ['Obligation alimentaire : contestation de la participation', 'Je conteste le montant de la participation demandée au titre de l\'obligation alimentaire pour mon père : mes revenus ont baissé.'],
      ['ASH : récupération sur succession', 'Suite au décès de mon oncle, le notaire nous informe d\'une récupération de l\'aide sociale sur la succession. Quel est le montant ?'],
    ],
    answers: ['L\'aide sociale à l\'hébergement est accordée à compter de la date d\'entrée en établissement.'],
  },
  'etablissements-personnes-agees': {
    weight: 1.2,
    channels: { phone: 1.8, email: 1 },
    requester: [['person', 0.7], ['senior', 0.3]],
    level1: 0.5,
    requests: [
      ['Liste des EHPAD habilités à l\'aide sociale', 'Nous cherchons un EHPAD habilité à l\'aide sociale proche {de_commune}. Pouvez-vous nous transmettre la liste ?'],
      ['Tarifs d\'hébergement en résidence autonomie', 'Quels sont les tarifs des résidences autonomie du secteur {de_commune} ?'],
      ['Places disponibles en EHPAD près {de_commune}', 'Ma grand-mère doit quitter l\'hôpital ; y a-t-il des places disponibles en EHPAD ou en hébergement temporaire ?'],
    ],
    level1Answers: ['Liste des établissements envoyée par courriel, orientation vers le portail national pour-les-personnes-agees.gouv.fr.'],
  },
  rsa: {
    weight: 6,
    channels: { mail: 1.3, phone: 1.2, counter: 2, portal: 0.8 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['RSA : rendez-vous d\'orientation', 'Je suis bénéficiaire du RSA depuis {month} et je n\'ai pas encore été convoqué pour l\'orientation. À qui dois-je m\'adresser ?'],
      ['Suspension de mon RSA', 'J\'ai reçu un courrier de suspension de mon RSA alors que je me suis rendu à tous les rendez-vous. Je demande un réexamen de ma situation.'],
      ['Contrat d\'engagement réciproque signé', 'Je transmets mon contrat d\'engagement réciproque signé et l\'attestation d\'inscription à une formation.'],
      ['Indu RSA : demande de remise de dette', 'La CAF me réclame un indu de {amount} euros sur le RSA. Je ne peux pas rembourser cette somme et je sollicite une remise de dette.'],
      ['Changement de référent RSA', 'Je souhaite changer de référent pour mon accompagnement RSA, suite à mon déménagement {a_commune}.'],
    ],
    notes: ['Situation examinée en équipe pluridisciplinaire.', 'Rendez-vous fixé avec le référent de parcours.', 'Dossier transmis à la CAF pour régularisation.'],
    answers: ['La suspension est levée ; le versement reprendra à la prochaine échéance.', 'Une remise partielle de la dette est accordée ; le reste est échelonné sur 12 mois.', 'Un rendez-vous avec votre référent vous est proposé ; la convocation suit par courrier.'],
  },
  'insertion-emploi': {
    weight: 2,
    channels: { phone: 1.2, email: 1.3, counter: 1.5 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Inscription à un chantier d\'insertion', 'Mon référent m\'a parlé d\'un chantier d\'insertion en espaces verts {a_commune}. Comment m\'inscrire ?'],
      ['Aide au permis de conduire pour un emploi', 'J\'ai une promesse d\'embauche conditionnée au permis B. Existe-t-il une aide du Département pour financer le permis ?'],
      ['Forum de l\'emploi et de l\'insertion', 'Quand aura lieu le prochain forum de l\'emploi pour les bénéficiaires du RSA dans le secteur {de_commune} ?'],
    ],
  },
  fsl: {
    weight: 2,
    channels: { mail: 1.5, phone: 1, counter: 1.5 },
    requester: [['person', 0.85], ['public-body', 0.15]],
    level1: 0,
    requests: [
      ['Demande d\'aide FSL pour impayés d\'énergie', 'Suite à une baisse de revenus, j\'ai une facture d\'électricité impayée de {amount} euros et une menace de coupure. Je sollicite le Fonds de solidarité pour le logement.'],
      ['FSL accès : dépôt de garantie', 'J\'ai trouvé un logement {a_commune} mais je ne peux pas payer le dépôt de garantie. Une aide du FSL est-elle possible ?'],
      ['Aide au paiement de factures d\'eau', 'Nous transmettons la demande d\'aide FSL de Mme {last} pour des factures d\'eau impayées.'],
    ],
    answers: ['La commission FSL a accordé une aide de {amount} euros versée directement au fournisseur.'],
  },
  'aide-financiere': {
    weight: 2,
    channels: { phone: 1.5, counter: 2.5, mail: 0.5 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Demande d\'aide financière d\'urgence', 'Je n\'ai plus de ressources en attendant l\'ouverture de mes droits et j\'ai deux enfants à charge. Je sollicite une aide d\'urgence.'],
      ['Secours exceptionnel après un incendie', 'Notre logement {a_commune} a été endommagé par un incendie ; nous avons besoin d\'une aide pour nous reloger quelques jours.'],
      ['Aide alimentaire d\'urgence', 'Mon salaire n\'a pas été versé ce mois-ci et je ne peux pas payer la cantine et les courses.'],
    ],
  },
  'rendez-vous-travailleur-social': {
    weight: 2.5,
    channels: { phone: 2, counter: 1.5, mail: 0.3 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Prise de rendez-vous avec une assistante sociale', 'Je souhaite rencontrer une assistante sociale pour un problème de logement. Je suis disponible le matin.'],
      ['Rendez-vous à la maison du Département {de_commune}', 'Séparation récente, je ne sais pas quelles aides demander. Je voudrais un rendez-vous près de chez moi {a_commune}.'],
      ['Besoin d\'un accompagnement social pour un voisin', 'Mon voisin âgé semble isolé et en difficulté ; il accepte d\'être contacté par un travailleur social.'],
    ],
  },
  'protection-enfance': {
    weight: 1.5,
    channels: { phone: 2.5, email: 1.2, mail: 0.8, portal: 0.2, counter: 0.5 },
    requester: [['person', 0.6], ['public-body', 0.25], ['anonymous', 0.15]],
    level1: 0,
    requests: [
      ['Inquiétude pour les enfants de mes voisins', 'J\'entends régulièrement des cris et des pleurs d\'enfants chez mes voisins, {street} {a_commune}. Je suis inquiète pour les deux enfants.'],
      ['Transmission d\'une information préoccupante (établissement scolaire)', 'L\'équipe éducative du {college} transmet une information préoccupante concernant un élève de 5e : absences répétées et signes de négligence.'],
      ['Information préoccupante concernant ma petite-fille', 'Ma petite-fille de 9 ans m\'a confié des faits qui m\'inquiètent. Je ne sais pas à qui m\'adresser.'],
      ['Information préoccupante concernant un enfant', 'Je suis éducateur sportif et un jeune licencié du club m\'a tenu des propos préoccupants sur sa situation familiale.'],
    ],
    notes: ['Évaluation confiée à l\'équipe enfance du territoire.', 'Transmission au parquet des mineurs.', 'Famille rencontrée, mesure d\'aide éducative proposée.'],
    answers: ['Votre signalement a été pris en compte et fait l\'objet d\'une évaluation par nos services.'],
  },
  'assistant-familial': {
    weight: 1,
    channels: { phone: 1.5, email: 1.5, mail: 1 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Devenir assistant familial', 'Je souhaite devenir assistante familiale et accueillir des enfants confiés à l\'aide sociale à l\'enfance. Comment se déroule l\'agrément ?'],
      ['Rémunération d\'assistant familial : écart sur le bulletin', 'Mon bulletin de salaire de {month} ne comprend pas l\'indemnité d\'entretien pour le deuxième enfant accueilli.'],
      ['Renouvellement d\'agrément d\'assistante familiale', 'Mon agrément arrive à échéance dans quatre mois ; je transmets le dossier de renouvellement.'],
      ['Demande de congés (assistant familial)', 'Je souhaite poser mes congés du 3 au 24 août ; merci d\'organiser le relais pour l\'enfant accueilli.'],
    ],
  },
  pmi: {
    weight: 3,
    channels: { phone: 2, counter: 1.5, email: 0.8, mail: 0.3 },
    requester: [['parent', 0.9], ['person', 0.1]],
    level1: 0,
    requests: [
      ['Rendez-vous en consultation PMI', 'Je souhaite un rendez-vous pour la consultation des 9 mois de ma fille à la PMI {de_commune}.'],
      ['Vaccinations de mon bébé à la PMI', 'Mon fils doit recevoir ses vaccins des 11 mois. Les consultations de PMI sont-elles gratuites ?'],
      ['Visite à domicile d\'une puéricultrice', 'Nous venons de rentrer de la maternité et j\'aimerais la visite d\'une puéricultrice pour l\'allaitement.'],
      ['Suivi de grossesse par une sage-femme de PMI', 'Je suis enceinte de cinq mois et je souhaiterais un suivi par une sage-femme de PMI près {de_commune}.'],
    ],
  },
  'agrement-assistant-maternel': {
    weight: 1.5,
    channels: { phone: 1.3, mail: 1.3, portal: 1.2 },
    requester: PERSON,
    level1: 0.3,
    requests: [
      ['Réunion d\'information agrément assistant maternel', 'Je souhaite devenir assistante maternelle {a_commune}. Quand a lieu la prochaine réunion d\'information ?'],
      ['Demande d\'extension d\'agrément à 4 enfants', 'Je demande l\'extension de mon agrément à quatre enfants, mon logement ayant été agrandi.'],
      ['Renouvellement de mon agrément d\'assistante maternelle', 'Mon agrément expire fin {month} ; voici le formulaire de renouvellement et l\'attestation de formation.'],
    ],
    level1Answers: ['Dates des réunions d\'information communiquées ; formulaire CERFA envoyé par courriel.'],
  },
  adoption: {
    weight: 0.3,
    channels: { mail: 2, email: 1.5, phone: 1 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Demande d\'agrément en vue d\'adoption', 'Mon épouse et moi souhaitons adopter. Pouvez-vous nous indiquer la procédure d\'agrément ?'],
      ['Recherche des origines personnelles', 'J\'ai été adopté en 1979 et je souhaite accéder aux informations sur mes origines.'],
    ],
  },
  'acces-dossier-ase': {
    weight: 0.3,
    channels: { mail: 2.5, email: 1.5 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Consultation de mon dossier de l\'aide sociale à l\'enfance', 'J\'ai été confié à l\'aide sociale à l\'enfance de 1994 à 2002. Je souhaite consulter mon dossier.'],
      ['Accès au dossier de placement de ma mère', 'Ma mère a été placée enfant dans le département dans les années 1960. Peut-elle accéder à son dossier ?'],
    ],
  },
  'signalement-voirie': {
    weight: 6,
    channels: { portal: 2.5, phone: 1.3, email: 1.2, mail: 0.5, api: 2 },
    requester: [['person', 0.8], ['commune', 0.15], ['company', 0.05]],
    level1: 0,
    requests: [
      ['Nid-de-poule dangereux sur la {rd} {a_commune}', 'Un nid-de-poule profond s\'est formé sur la {rd} à la sortie {de_commune}, au {pr}. Deux voitures ont déjà crevé.'],
      ['Demande d\'élagage des arbres le long de la {rd} {a_commune}', 'Les arbres qui bordent la {rd} entre {commune} et le hameau voisin n\'ont pas été élagués depuis plusieurs années : les branches touchent les camions et masquent la visibilité.'],
      ['Panneau de signalisation renversé sur la {rd}', 'Le panneau « virage dangereux » est couché dans le fossé depuis la tempête, au {pr} de la {rd}.'],
      ['Arbre tombé en travers de la {rd} près {de_commune}', 'Un arbre est tombé sur la chaussée de la {rd} cette nuit, la circulation se fait sur une seule voie.'],
      ['Accotement effondré sur la {rd}', 'L\'accotement s\'affaisse sur une vingtaine de mètres à la sortie {de_commune} : danger pour les cyclistes.'],
      ['Marquage au sol effacé sur la {rd} {a_commune}', 'Le passage piéton devant l\'école, sur la {rd}, n\'est plus visible. Les parents s\'inquiètent pour la sécurité des enfants.'],
      ['Fossé bouché, eau sur la chaussée de la {rd}', 'Après chaque pluie, l\'eau stagne sur la {rd} au niveau du {pr} ; en hiver cela gèle.'],
      ['Glissière de sécurité endommagée sur la {rd}', 'La glissière de sécurité est arrachée sur une dizaine de mètres au {pr} de la {rd}, après un accident.'],
      ['Branches basses gênant les cars scolaires sur la {rd}', 'Les branches des chênes au bord de la {rd} {a_commune} frottent sur les cars scolaires ; un élagage serait nécessaire.'],
    ],
    notes: ['Intervention programmée par le centre d\'exploitation du secteur.', 'Visite sur place : danger confirmé, signalisation temporaire posée.', 'Élagage inscrit au programme de la campagne d\'hiver.'],
    answers: ['L\'intervention a été réalisée ; merci pour votre signalement.', 'La réparation a été effectuée par l\'équipe du centre d\'exploitation.', 'L\'élagage sera réalisé lors de la campagne d\'hiver, entre novembre et février.'],
  },
  'travaux-route': {
    weight: 2.5,
    channels: { phone: 1.5, email: 1.2, mail: 1 },
    requester: [['person', 0.7], ['commune', 0.25], ['company', 0.05]],
    level1: 0.35,
    requests: [
      ['Durée des travaux sur la {rd} {a_commune}', 'Les travaux sur la {rd} durent depuis trois semaines. Quand la circulation sera-t-elle rétablie dans les deux sens ?'],
      ['Déviation mal signalée pendant les travaux de la {rd}', 'La déviation mise en place pour les travaux de la {rd} fait passer les poids lourds dans le bourg {de_commune}.'],
      ['Demande d\'aménagement de sécurité sur la {rd} (traversée {de_commune})', 'Le conseil municipal {de_commune} sollicite un plateau ralentisseur et un radar pédagogique sur la {rd} dans la traversée du bourg.'],
      ['Nuisances du chantier de la {rd}', 'Les engins du chantier démarrent à 6 h du matin devant chez moi, {street} {a_commune}.'],
      ['Réfection de la chaussée de la {rd} : calendrier', 'La chaussée de la {rd} est très dégradée entre {commune} et le carrefour suivant. Une réfection est-elle prévue cette année ?'],
    ],
    level1Answers: ['Calendrier des travaux communiqué d\'après la fiche chantier : fin prévue sous deux semaines.'],
    answers: ['Les travaux s\'achèveront à la fin du mois ; la déviation sera mieux signalée dès cette semaine.', 'Votre demande d\'aménagement sera étudiée lors de la programmation des travaux de sécurité de l\'an prochain.'],
  },
  'viabilite-hivernale': {
    weight: 1.5,
    peakMonths: [12, 1, 2],
    channels: { phone: 2, email: 1, portal: 1.2 },
    requester: [['person', 0.85], ['commune', 0.15]],
    level1: 0.7,
    requests: [
      ['Route verglacée non salée : {rd}', 'La {rd} entre {commune} et la nationale était une patinoire ce matin à 7 h, aucun salage. Plusieurs voitures dans le fossé.'],
      ['Passage du chasse-neige sur la {rd}', 'Quand la {rd} sera-t-elle déneigée ? Les cars scolaires ne passent plus.'],
      ['État des routes départementales ce matin', 'Pouvez-vous me dire si les routes du secteur {de_commune} sont praticables ce matin ?'],
    ],
    level1Answers: ['Information donnée sur les circuits de salage prioritaires et le site inforoute.'],
  },
  'permission-voirie': {
    weight: 1.5,
    channels: { mail: 1.5, email: 1.5, portal: 1.5, phone: 0.5 },
    requester: [['person', 0.6], ['company', 0.4]],
    level1: 0,
    requests: [
      ['Demande de création d\'un accès sur la {rd}', 'Je construis une maison {street} {a_commune}, en bordure de la {rd}. Je demande l\'autorisation de créer un accès à la parcelle.'],
      ['Permission de voirie pour échafaudage', 'Nous devons installer un échafaudage sur l\'accotement de la {rd} pour ravaler une façade, du 5 au 20 {month}.'],
      ['Arrêté d\'alignement – parcelle {de_commune}', 'Le notaire demande un arrêté d\'alignement pour la vente d\'une parcelle le long de la {rd} {a_commune}.'],
      ['Occupation du domaine public pour une benne', 'Nous souhaitons poser une benne à gravats sur l\'accotement de la {rd} pendant une semaine.'],
    ],
    answers: ['La permission de voirie est accordée ; l\'arrêté vous est adressé avec ses prescriptions techniques.'],
  },
  'dommage-chaussee': {
    weight: 0.8,
    channels: { mail: 2, email: 1.5, phone: 0.6 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Demande d\'indemnisation : pneu éclaté sur la {rd}', 'Le {date}, mon véhicule a heurté un nid-de-poule non signalé sur la {rd} au {pr}. Je joins la facture de {amount} euros et des photos.'],
      ['Pare-brise cassé par des gravillons sur la {rd}', 'Des gravillons projetés après les travaux de la {rd} ont brisé mon pare-brise. Je demande la prise en charge des frais.'],
      ['Jante endommagée par un nid-de-poule', 'Ma jante a été tordue par un trou dans la chaussée de la {rd} {a_commune} le {date}. Je vous adresse le devis du garage.'],
    ],
    notes: ['Rapport demandé au centre d\'exploitation sur l\'état de la chaussée à la date des faits.', 'Dossier transmis à l\'assureur du Département.'],
    answers: ['Après examen, votre demande est transmise à notre assureur qui prendra contact avec vous.', 'Le nid-de-poule avait été signalé et balisé la veille : la responsabilité du Département ne peut être retenue.'],
  },
  'transport-exceptionnel': {
    weight: 0.5,
    channels: { email: 2.5, portal: 1.5, phone: 0.5 },
    requester: [['company', 0.9], ['assoc', 0.1]],
    level1: 0,
    requests: [
      ['Avis sur un itinéraire de transport exceptionnel', 'Nous sollicitons l\'avis du Département sur l\'itinéraire d\'un convoi de 4,5 m de large empruntant la {rd} entre {commune} et l\'autoroute.'],
      ['Arrêté de circulation pour une course cycliste', 'L\'organisation d\'une course cycliste le {date} nécessite un arrêté de restriction de circulation sur la {rd}.'],
      ['Passage d\'un convoi agricole sur le pont de la {rd}', 'Une moissonneuse-batteuse de 18 tonnes doit franchir le pont de la {rd} ; le tonnage est-il compatible ?'],
    ],
  },
  'transport-scolaire': {
    weight: 9,
    peakMonths: [6, 7, 8, 9],
    channels: { portal: 2, phone: 1.8, email: 1.2, mail: 0.5, api: 3 },
    requester: [['parent', 0.95], ['commune', 0.05]],
    level1: 0.55,
    requests: [
      ['Inscription au transport scolaire {schoolYear}', 'Je souhaite inscrire mon fils {child}, qui entre en 6e au {college}, au transport scolaire pour l\'année {schoolYear}.'],
      ['Carte de transport scolaire non reçue', 'La rentrée est dans une semaine et nous n\'avons toujours pas reçu la carte de transport de {child}, inscrit en juin.'],
      ['Le car n\'est pas passé ce matin (ligne {line})', 'Ce matin, le car de la ligne {line} n\'est pas passé à l\'arrêt {de_commune}. Ma fille {child} a manqué les cours. C\'est la deuxième fois ce mois-ci.'],
      ['Demande de création d\'un arrêt de car {a_commune}', 'Plusieurs familles du hameau demandent la création d\'un arrêt : les enfants marchent 1,5 km le long de la {rd} sans trottoir.'],
      ['Réclamation : retards répétés du car ligne {line}', 'Le car arrive régulièrement avec 20 minutes de retard au {college} et les élèves sont notés en retard.'],
      ['Changement d\'arrêt suite à déménagement', 'Nous avons déménagé {a_commune} ; {child} doit désormais prendre le car à un autre arrêt.'],
      ['Duplicata de carte de transport scolaire', 'Mon fils a perdu sa carte de transport. Comment obtenir un duplicata et combien cela coûte-t-il ?'],
    ],
    level1Answers: [
      'Inscription vérifiée dans le logiciel transport : la carte a été envoyée, délai de réception indiqué.',
      'Information donnée sur la procédure de duplicata via l\'espace citoyen.',
      'Horaires de la ligne communiqués, retard signalé au transporteur.',
    ],
    notes: ['Transporteur contacté : panne du véhicule ce jour-là.', 'Demande d\'arrêt transmise pour étude de sécurité.', 'Carte réimprimée et envoyée.'],
    answers: ['La carte de transport a été réimprimée et vous sera envoyée cette semaine.', 'Le transporteur a été rappelé à ses obligations ; un contrôle des horaires sera réalisé.', 'Après étude, la création d\'un arrêt n\'est pas possible pour des raisons de sécurité ; l\'arrêt le plus proche reste celui du bourg.'],
  },
  'transport-eleve-handicap': {
    weight: 1.2,
    peakMonths: [6, 7, 8, 9],
    channels: { mail: 1.5, phone: 1.3, email: 1.2 },
    requester: [['parent', 1]],
    level1: 0,
    requests: [
      ['Transport adapté pour mon fils (notification MDPH)', 'La MDPH a notifié pour {child} un transport adapté vers l\'ULIS du {college}. Comment organiser le transport à la rentrée ?'],
      ['Taxi scolaire en retard chaque matin', 'Le taxi qui conduit {child} à l\'IME arrive en retard presque tous les jours.'],
      ['Changement d\'établissement : transport adapté', '{child} change d\'établissement à la rentrée ; merci d\'adapter le circuit du transport adapté.'],
    ],
  },
  'college-restauration': {
    weight: 1.5,
    channels: { phone: 1.2, email: 1.5, mail: 1 },
    requester: [['parent', 1]],
    level1: 0.3,
    requests: [
      ['Aide à la demi-pension au {college}', 'Je demande l\'aide départementale à la demi-pension pour mes deux enfants scolarisés au {college}.'],
      ['Tarif de la cantine au collège', 'Le tarif de la cantine a augmenté cette année ; qui décide des tarifs dans les collèges ?'],
      ['Allergie alimentaire à la cantine du {college}', 'Mon fils est allergique à l\'arachide : comment mettre en place un projet d\'accueil individualisé à la cantine ?'],
    ],
    level1Answers: ['Barème de l\'aide à la demi-pension communiqué ; formulaire disponible au secrétariat du collège.'],
  },
  'college-batiments': {
    weight: 0.7,
    channels: { email: 1.5, mail: 1.2, phone: 0.8 },
    requester: [['parent', 0.6], ['commune', 0.2], ['assoc', 0.2]],
    level1: 0,
    requests: [
      ['Chauffage en panne au {college}', 'Les élèves du {college} ont cours en manteau depuis une semaine : le chauffage ne fonctionne plus dans le bâtiment B.'],
      ['Toilettes vétustes au {college}', 'Les parents d\'élèves du {college} alertent sur l\'état des sanitaires.'],
      ['Utilisation du gymnase du {college} par une association', 'Notre club souhaite utiliser le gymnase du {college} le mercredi soir.'],
    ],
  },
  'sectorisation-college': {
    weight: 1,
    peakMonths: [3, 4, 5, 6],
    channels: { email: 1.5, phone: 1.2, mail: 1 },
    requester: [['parent', 1]],
    level1: 0.3,
    requests: [
      ['Quel est le collège de secteur pour notre adresse ?', 'Nous emménageons {street} {a_commune} : de quel collège dépend cette adresse ?'],
      ['Demande de dérogation de secteur', 'Nous souhaitons inscrire {child} au {college} pour suivre l\'option musique : comment demander une dérogation ?'],
    ],
    level1Answers: ['Collège de secteur indiqué d\'après la carte scolaire ; dérogations à demander auprès de la DSDEN.'],
  },
  'subvention-culture': {
    weight: 3,
    peakMonths: [1, 2, 3],
    channels: { mail: 1.6, email: 1.6, portal: 2, phone: 0.4, counter: 0.3, api: 1 },
    requester: [['culture-assoc', 0.92], ['commune', 0.08]],
    level1: 0.3,
    requests: [
      ['Demande de subvention de fonctionnement {year} – {assoc}', 'L\'association {assoc} sollicite une subvention de fonctionnement de {amount} euros pour l\'année {year}. Vous trouverez ci-joint le budget prévisionnel, les statuts et le dernier bilan.'],
      ['Subvention pour le festival organisé par {assoc}', 'Nous organisons la 12e édition de notre festival {a_commune} les 14 et 15 juin et sollicitons le soutien du Département à hauteur de {amount} euros.'],
      ['Pièces complémentaires – dossier de subvention {assoc}', 'Suite à votre courrier, nous vous adressons le relevé d\'identité bancaire et le procès-verbal de la dernière assemblée générale de {assoc}.'],
      ['Versement de la subvention attribuée à {assoc}', 'La subvention votée en commission permanente n\'a pas encore été versée sur le compte de l\'association. Pouvez-vous nous indiquer la date de versement ?'],
      ['Aide à la création d\'un spectacle – {assoc}', 'Notre compagnie prépare une création jouée dans les communes rurales du département et sollicite une aide de {amount} euros.'],
    ],
    level1Answers: ['Calendrier de la campagne de subventions et lien vers le dossier en ligne communiqués.'],
    notes: ['Dossier complet, inscrit à l\'ordre du jour de la prochaine commission permanente.', 'RIB manquant, demandé à l\'association.', 'Avis favorable du service culture.'],
    answers: ['Une subvention de {amount} euros a été votée par la commission permanente.', 'Le versement a été effectué ; il apparaîtra sur votre compte sous huit jours.'],
  },
  'subvention-sport': {
    weight: 3.5,
    peakMonths: [1, 2, 3, 9],
    channels: { mail: 1.6, email: 1.6, portal: 2, phone: 0.4, counter: 0.3, api: 1 },
    requester: [['sport-assoc', 0.95], ['commune', 0.05]],
    level1: 0.3,
    requests: [
      ['Demande de subvention de fonctionnement – {assoc}', 'Le club {assoc} compte 180 licenciés dont 120 jeunes et sollicite une subvention de fonctionnement de {amount} euros pour la saison.'],
      ['Aide à l\'organisation du tournoi de {assoc}', 'Nous organisons notre tournoi international de jeunes les 8 et 9 mai {a_commune} et sollicitons une aide de {amount} euros.'],
      ['Subvention pour l\'achat de matériel sportif – {assoc}', 'Notre club souhaite renouveler ses équipements (tatamis, protections) pour un montant de {amount} euros et sollicite l\'aide du Département.'],
      ['Aide aux déplacements en championnat de France – {assoc}', 'Notre équipe féminine est qualifiée pour le championnat de France ; les déplacements représentent {amount} euros.'],
      ['Dossier de subvention {year} incomplet ?', 'Nous avons déposé notre dossier en ligne mais l\'accusé de réception indique des pièces manquantes. Lesquelles ?'],
      ['Aide à l\'organisation d\'une course sur route – {assoc}', 'La course sur route organisée par {assoc} emprunte la {rd} ; nous sollicitons une aide à l\'organisation de {amount} euros.'],
    ],
    level1Answers: ['Critères d\'attribution et date limite de dépôt communiqués.'],
    notes: ['Nombre de licenciés vérifié auprès du comité départemental.', 'Dossier présenté à la commission sports du mois prochain.'],
    answers: ['Une aide de {amount} euros est attribuée à votre club pour la saison.', 'Votre demande n\'a pas pu être retenue cette année.'],
  },
  'manifestation-sportive': {
    weight: 0.8,
    peakMonths: [3, 4, 5, 6],
    channels: { email: 2, mail: 1.2, portal: 1.5, phone: 0.6 },
    requester: [['sport-assoc', 0.8], ['commune', 0.2]],
    level1: 0.1,
    requests: [
      ['Avis du Département sur le parcours d\'une randonnée VTT', 'Notre randonnée VTT du {date} traverse la {rd} à deux reprises ; la préfecture demande l\'avis du gestionnaire de la voirie.'],
      ['Prêt de matériel pour un trail {a_commune}', 'Pouvez-vous nous prêter des barrières et des panneaux pour le trail organisé {a_commune} ?'],
      ['Parcours d\'une course à pied sur la {rd}', 'Le semi-marathon organisé {a_commune} emprunte la {rd} sur 3 km ; quelles sont les conditions ?'],
    ],
  },
  'archives-recherche': {
    weight: 2,
    channels: { email: 2.5, mail: 1.5, phone: 0.8, counter: 0.8 },
    requester: PERSON,
    level1: 0.3,
    requests: [
      ['Recherche généalogique : acte de naissance vers 1892', 'Je recherche l\'acte de naissance de mon arrière-grand-père, né {a_commune} vers 1892. Pouvez-vous m\'en adresser une copie ?'],
      ['Copie d\'un plan cadastral napoléonien {de_commune}', 'Je souhaiterais obtenir une copie du plan cadastral napoléonien de la section B {de_commune}.'],
      ['Recherche d\'un acte notarié de 1954', 'Pour une succession, le notaire a besoin d\'un acte de vente de 1954 passé devant un notaire {de_commune}.'],
      ['Consultation des registres matricules militaires', 'Mon grand-père a fait la Première Guerre mondiale ; comment consulter sa fiche matricule ?'],
    ],
    level1Answers: ['Orientation vers les registres numérisés en ligne et les horaires de la salle de lecture.'],
    answers: ['Vous trouverez ci-joint la copie de l\'acte demandé.', 'Le document recherché n\'a pas été retrouvé dans les fonds versés aux Archives.'],
  },
  'patrimoine-culture': {
    weight: 1,
    channels: { email: 1.5, phone: 1.2, counter: 1.5 },
    requester: [['person', 0.7], ['assoc', 0.2], ['commune', 0.1]],
    level1: 0.6,
    requests: [
      ['Horaires des Journées européennes du patrimoine', 'Quels sites du Département seront ouverts lors des Journées européennes du patrimoine ?'],
      ['Visite de groupe d\'un site départemental', 'Nous souhaitons organiser la visite d\'un groupe de 30 personnes âgées en {month}.'],
      ['Aide à la restauration de l\'église {de_commune}', 'La commune {de_commune} engage la restauration du clocher de son église et sollicite l\'aide du Département.'],
    ],
    level1Answers: ['Programme et horaires communiqués.'],
  },
  'mediatheque-departementale': {
    weight: 0.5,
    channels: { email: 2, phone: 1 },
    requester: [['commune', 0.7], ['person', 0.3]],
    level1: 0.2,
    requests: [
      ['Passage du bibliobus {a_commune}', 'La bibliothèque municipale {de_commune} souhaite connaître le calendrier de passage du bibliobus.'],
      ['Formation des bénévoles de la bibliothèque {de_commune}', 'Nos bénévoles souhaitent suivre une formation à l\'accueil des publics.'],
      ['Prêt d\'une exposition itinérante', 'Pouvons-nous emprunter l\'exposition sur la Loire pour le mois de {month} ?'],
    ],
  },
  'aide-communes': {
    weight: 1,
    peakMonths: [1, 2, 10, 11],
    channels: { mail: 2.5, email: 1.5, phone: 0.4 },
    requester: [['commune', 1]],
    level1: 0,
    requests: [
      ['Demande de subvention au titre de l\'aide aux communes – {commune}', 'Vous trouverez ci-joint la délibération du conseil municipal {de_commune} et les devis pour la rénovation énergétique de la salle des fêtes.'],
      ['Réfection de la toiture de l\'école {de_commune}', 'Le conseil municipal {de_commune} a approuvé la réfection de la toiture de l\'école (coût : {amount} euros HT) et sollicite l\'aide départementale.'],
      ['Aménagement du centre-bourg {de_commune}', 'La commune {de_commune} engage l\'aménagement de son centre-bourg et sollicite le fonds d\'aménagement départemental.'],
    ],
    notes: ['Dossier éligible, présenté à la prochaine commission permanente.'],
    answers: ['Une subvention de {amount} euros est attribuée à la commune pour cette opération.'],
  },
  'marches-publics': {
    weight: 0.7,
    channels: { email: 3, mail: 1, phone: 0.5 },
    requester: [['company', 1]],
    level1: 0.3,
    requests: [
      ['Question sur la consultation « entretien des espaces verts des collèges »', 'Dans le cadre de la consultation en cours, pouvez-vous préciser le nombre de collèges concernés par le lot 2 ?'],
      ['Demande des motifs de rejet d\'une offre', 'Notre offre n\'a pas été retenue ; nous sollicitons les motifs du rejet et le nom de l\'attributaire.'],
      ['Retard de paiement d\'une facture de travaux', 'Notre facture de {amount} euros pour les travaux sur la {rd} n\'est toujours pas réglée après 45 jours.'],
    ],
    level1Answers: ['Orientation vers le profil acheteur où les questions doivent être posées.'],
  },
  'courrier-elus': {
    weight: 1.5,
    channels: { mail: 3, email: 1.5, phone: 0.2 },
    requester: [['person', 0.7], ['commune', 0.2], ['assoc', 0.1]],
    level1: 0,
    requests: [
      ['Courrier à l\'attention du Président du Conseil départemental', 'Monsieur le Président, je me permets de vous écrire au sujet de la fermeture annoncée de la maison du Département {de_commune}.'],
      ['Sollicitation de la conseillère départementale du canton', 'Madame la Conseillère départementale, les habitants du hameau attendent depuis deux ans la réfection de la {rd}.'],
      ['Invitation du Président à une assemblée générale', 'Nous avons l\'honneur d\'inviter le Président du Conseil départemental à l\'assemblée générale de {assoc}.'],
    ],
    answers: ['Le Président a pris connaissance de votre courrier et a demandé aux services concernés d\'étudier votre demande.'],
  },
  'information-generale': {
    weight: 16,
    channels: { phone: 4.5, counter: 3.5, email: 1.4, portal: 0.6, mail: 0.15, api: 0 },
    requester: [['person', 0.85], ['anonymous', 0.08], ['assoc', 0.05], ['company', 0.02]],
    level1: 0.95,
    requests: [
      ['Horaires d\'ouverture de la maison du Département {de_commune}', 'Bonjour, quels sont les horaires d\'ouverture de la maison du Département {de_commune} ?'],
      ['Adresse pour envoyer un dossier', 'À quelle adresse dois-je envoyer mon dossier ? Le formulaire indique deux adresses différentes.'],
      ['Aides pour une personne âgée sortant de l\'hôpital', 'Je voudrais savoir quelles aides existent pour une personne âgée qui rentre de l\'hôpital.'],
      ['Quel service contacter pour un fossé ?', 'Je ne sais pas à quel service m\'adresser pour un problème de fossé devant chez moi.'],
      ['Stationnement à l\'Hôtel du Département', 'Où peut-on se garer pour venir à l\'Hôtel du Département ?'],
      ['Demande de renseignements', 'Je souhaite savoir si le Département aide à l\'installation d\'un monte-escalier.'],
    ],
    level1Answers: [
      'Renseignement donné immédiatement.',
      'Horaires et adresse communiqués.',
      'Orientation vers le service compétent, coordonnées données.',
      'Réponse apportée à partir de la fiche de connaissance.',
    ],
    answers: ['Les informations demandées vous ont été transmises.'],
  },
  'demande-document': {
    weight: 1.5,
    channels: { email: 2, mail: 1.8, portal: 1, phone: 0.3 },
    requester: [['person', 0.6], ['assoc', 0.2], ['company', 0.1], ['commune', 0.1]],
    level1: 0.1,
    requests: [
      ['Demande de copie d\'une délibération de la commission permanente', 'Conformément au code des relations entre le public et l\'administration, je sollicite la copie de la délibération du {date} relative aux subventions sportives.'],
      ['Copie de l\'arrêté de limitation de vitesse sur la {rd}', 'Je souhaite obtenir l\'arrêté limitant la vitesse à 70 km/h sur la {rd} {a_commune}.'],
      ['Plan d\'investissement pour le {college}', 'Pouvez-vous me communiquer le plan pluriannuel d\'investissement pour les collèges, notamment pour le {college} ?'],
    ],
    answers: ['Vous trouverez ci-joint le document demandé.', 'Ce document est publié au recueil des actes administratifs, consultable en ligne.'],
  },
  'reclamation-accueil': {
    weight: 1,
    channels: { email: 2, mail: 1.5, phone: 1 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Réclamation : aucune réponse à mes appels', 'J\'ai appelé cinq fois le numéro unique sans pouvoir joindre le service concerné. Personne ne me rappelle.'],
      ['Mécontentement suite à l\'accueil reçu', 'J\'ai été très mal reçue à l\'accueil le {date} et je souhaite que cela soit signalé.'],
      ['Délai de réponse trop long', 'Ma demande a été déposée il y a trois mois, je n\'ai aucune nouvelle.'],
    ],
    answers: ['Nous vous présentons nos excuses ; votre demande a été traitée en priorité.'],
  },
  'acces-donnees-personnelles': {
    weight: 0.4,
    channels: { email: 2.5, mail: 1.5 },
    requester: PERSON,
    level1: 0,
    requests: [
      ['Droit d\'accès à mes données personnelles (RGPD)', 'En application de l\'article 15 du RGPD, je vous demande la communication de toutes les données me concernant détenues par le Département.'],
      ['Demande d\'effacement de mes coordonnées', 'Je ne souhaite plus recevoir la lettre d\'information du Département ; merci d\'effacer mon adresse électronique.'],
      ['Rectification d\'une erreur dans mon dossier', 'Mon nom est mal orthographié sur les courriers que je reçois ; merci de corriger mon dossier.'],
    ],
    answers: ['Vous trouverez ci-joint l\'extraction des données vous concernant.'],
  },
  'hors-competence': {
    weight: 5,
    channels: { phone: 4, counter: 3.5, email: 0.8, mail: 0.3, portal: 0.4, api: 0 },
    requester: [['person', 0.95], ['anonymous', 0.05]],
    level1: 0.95,
    requests: [
      ['Carte grise', 'Je n\'arrive pas à obtenir ma carte grise sur internet.'],
      ['Permis de construire', 'Le voisin construit un garage sans permis, que faire ?'],
      ['Allocations familiales (CAF)', 'Ma CAF a suspendu mes allocations familiales.'],
      ['Ramassage des ordures ménagères', 'Les poubelles ne sont pas ramassées depuis deux semaines {a_commune}.'],
      ['Passeport et carte d\'identité', 'Comment obtenir un rendez-vous pour un passeport ?'],
      ['Transport régional (lignes interurbaines)', 'Quels sont les horaires du car régional entre {commune} et Orléans ?'],
    ],
    level1Answers: ['Réorienté vers l\'organisme compétent, coordonnées communiquées.', 'Orientation vers la mairie.', 'Orientation vers l\'organisme compétent (préfecture, CAF, Région).'],
  },
  'candidature-emploi': {
    weight: 1.5,
    channels: { email: 2.5, mail: 2, phone: 0.3, portal: 0.5 },
    requester: PERSON,
    level1: 0.2,
    requests: [
      ['Candidature spontanée – agent d\'exploitation des routes', 'Titulaire du permis poids lourd, je souhaite rejoindre un centre d\'exploitation des routes.'],
      ['Demande de stage de 3e', 'Je suis élève de 3e au {college} et je cherche un stage d\'observation d\'une semaine en décembre.'],
      ['Candidature au poste d\'assistant(e) social(e)', 'Diplômée d\'État en 2024, je vous adresse ma candidature pour le poste d\'assistante sociale publié sur votre site.'],
      ['Contrat d\'apprentissage en espaces verts', 'Je prépare un CAP jardinier paysagiste et je cherche un contrat d\'apprentissage au Département.'],
    ],
    answers: ['Votre candidature a été transmise au service des ressources humaines.'],
  },
};

export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** Internal notes any unit may write. */
export const GENERIC_NOTES = [
  'Dossier pris en charge, instruction en cours.',
  'Appel à l\'usager pour compléter la demande.',
  'Vérification des pièces effectuée.',
  'Point fait avec le responsable de service.',
  'Demande rapprochée d\'un dossier existant.',
];

export const FOLLOW_UPS = [
  'L\'usager rappelle pour connaître l\'avancement de sa demande.',
  'Relance de l\'usager : sans nouvelles depuis plusieurs semaines.',
  'L\'usager demande à être rappelé par le service.',
];

export const PIECES_RECEIVED = [
  'Veuillez trouver ci-joint les pièces complémentaires demandées.',
  'Suite à votre courrier, je vous adresse les justificatifs manquants.',
  'Voici le document demandé, en espérant que le dossier est maintenant complet.',
];
