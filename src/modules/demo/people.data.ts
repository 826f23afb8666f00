// Names for the demo's inhabitants, associations and companies.

export const FIRST_NAMES_F = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Martine', 'Christine', 'Monique',
  'Valérie', 'Sandrine', 'Stéphanie', 'Véronique', 'Nicole', 'Céline', 'Chantal', 'Sophie', 'Brigitte',
  'Aurélie', 'Émilie', 'Julie', 'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Jade', 'Louise', 'Zoé',
  'Hélène', 'Agnès', 'Béatrice', 'Josiane', 'Danièle', 'Geneviève', 'Thérèse', 'Jacqueline', 'Odile',
  'Gaëlle', 'Noémie', 'Maëlys', 'Anaïs', 'Mélanie', 'Élodie', 'Laëtitia', 'Corinne', 'Patricia', 'Annie',
  'Fatima', 'Yasmine', 'Aïcha', 'Samia', 'Nadia', 'Ana', 'Lucie', 'Clémence', 'Pauline', 'Margaux',
];

export const FIRST_NAMES_M = [
  'Jean', 'Michel', 'Philippe', 'Alain', 'Patrick', 'Nicolas', 'Christophe', 'Pierre', 'Christian',
  'Éric', 'Laurent', 'Frédéric', 'Stéphane', 'David', 'Olivier', 'Jacques', 'Daniel', 'Thierry', 'Bernard',
  'Sébastien', 'Julien', 'Hugo', 'Lucas', 'Théo', 'Nathan', 'Louis', 'Gabriel', 'Raphaël', 'Arthur',
  'Jérôme', 'Grégory', 'Benoît', 'Hervé', 'Gérard', 'René', 'Rémi', 'Joël', 'Noël', 'André', 'Gilles',
  'Jean-Pierre', 'Jean-Claude', 'Jean-François', 'Jean-Luc', 'Marc-Antoine', 'Loïc', 'Maël', 'Gaël',
  'Mohamed', 'Karim', 'Mehdi', 'Youssef', 'Antonio', 'José', 'Mathis', 'Baptiste', 'Clément', 'Valentin',
];

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
  'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
  'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
  'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier',
  'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Jean', 'Pérez', 'Marchand', 'Dufour',
  'Blanchard', 'Marie', 'Barbier', 'Brun', 'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez',
  'Pierre', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud', 'Leclerc', 'Vidal', 'Bourgeois',
  'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Philippe', 'Leclercq', 'Lacroix', 'Fabre', 'Dupuis', 'Olivier',
  'Rodriguez', 'Da Silva', 'Hubert', 'Louis', 'Charles', 'Guillot', 'Rivière', 'Le Gall', 'Guillaume', 'Adam',
  'Rey', 'Moulin', 'Gonzalez', 'Berger', 'Lecomte', 'Ménard', 'Fleury', 'Deschamps', 'Carpentier', 'Julien',
  'Benoît', 'Paris', 'Maillard', 'Marchal', 'Aubry', 'Vasseur', 'Le Roux', 'Renault', 'Jacquet', 'Collet',
  'Prévost', 'Poirier', 'Charpentier', 'Royer', 'Huet', 'Baron', 'Dupuy', 'Pons', 'Paul', 'Laine',
  'Carré', 'Breton', 'Rémy', 'Schneider', 'Perrot', 'Barré', 'Marty', 'Cousin', 'Hébert', 'Bouvier',
  'Besnard', 'Chauvin', 'Tessier', 'Pelletier', 'Lebrun', 'Chéron', 'Beaufils', 'Sauvageot', 'Thibault',
  'Pommier', 'Courtois', 'Lenoir', 'Ferrand', 'Bachelet', 'Benard', 'Boucher', 'Delaunay', 'Texier',
  'Ben Ali', 'Haddad', 'Benmoussa', 'Diallo', 'Traoré', 'Ferreira', 'Pereira', 'Yilmaz', 'Kaya', 'Nowak',
];

export const EMAIL_DOMAINS: Array<readonly [string, number]> = [
  ['orange.fr', 28], ['gmail.com', 30], ['laposte.net', 10], ['free.fr', 10], ['sfr.fr', 7], ['wanadoo.fr', 6],
  ['hotmail.fr', 6], ['yahoo.fr', 4], ['outlook.fr', 3], ['bbox.fr', 2],
];

export const SPORT_CLUB_PATTERNS = [
  'Union sportive {de}', 'Football club {de}', 'Tennis club {de}', 'Judo club {de}', 'Amicale cycliste {de}',
  'Basket club {de}', 'Handball club {de}', 'Gymnastique volontaire {de}', 'Club de pétanque {de}',
  'Athlétic club {de}', 'Cercle d\'escrime {de}', 'Aviron club {de}', 'Rugby club {de}', 'Badminton club {de}',
  'Association sportive {de} – section natation', 'Club de randonnée {de}', 'Volley-ball club {de}',
  'Tennis de table {de}', 'Twirling bâton {de}', 'Club de canoë-kayak {de}',
];

export const CULTURE_ASSOC_PATTERNS = [
  'Harmonie municipale {de}', 'Chorale {de}', 'Compagnie théâtrale {de}', 'Les Amis du patrimoine {de}',
  'École de musique {de}', 'Ciné-club {de}', 'Comité des fêtes {de}', 'Société d\'histoire locale {de}',
  'Atelier d\'arts plastiques {de}', 'Festival de jazz {de}', 'Bibliothèque associative {de}',
  'Ensemble vocal {de}', 'Cercle photographique {de}', 'Association des danses traditionnelles {de}',
];

export const SOCIAL_ASSOC_PATTERNS = [
  'Club des aînés {de}', 'Association familiale {de}', 'Amicale des parents d\'élèves {de}',
  'Épicerie solidaire {de}', 'Association d\'aide à domicile {de}', 'Jardins partagés {de}',
];

export const COMPANY_NAMES = [
  'Transports Beauceron SARL', 'Boulangerie Lemoine', 'SAS Travaux publics du Val de Loire', 'Pépinières de l\'Orléanais',
  'Cars Dunois Voyages', 'Élagage Service Loiret', 'Garage Chevalier & Fils', 'SARL Maçonnerie Perrin',
  'Taxis Gâtinais', 'EURL Terrassements Giraud', 'Ambulances du Giennois', 'Imprimerie Rivière',
  'SAS Agri-Services Beauce', 'Cabinet d\'architecture Hébert', 'Menuiserie Rousseau', 'Paysages et Jardins de Loire',
  'Restaurant Le Relais de la Loire', 'Pharmacie du Martroi', 'SARL Signalisation Centre', 'Autocars Marchand',
  'Ferme du Moulin de Lorris', 'SCEA des Grandes Plaines', 'Électricité Générale Lenoir', 'Plomberie Texier',
  'Atelier vélo Chéron', 'Bâtiment Duval Construction', 'Domaine viticole de l\'Orléanais', 'SARL Voirie Réseaux 45',
  'Bureau d\'études Courtois', 'Transports Royer Frères', 'Camping des Bords de Loire', 'Gîtes du Gâtinais',
  'EHPAD privé Les Tilleuls', 'Service d\'aide à domicile Âge d\'Or 45', 'Crèche Les Petits Loups', 'Auto-école du Centre',
  'Salle de sport Forme 45', 'Agence immobilière Fontaine', 'Laboratoire Carpentier', 'Déménagements Huet',
];

export const PUBLIC_BODIES = [
  'Caisse d\'allocations familiales du Loiret',
  'Maison départementale des personnes handicapées du Loiret',
  'France Travail – agence Orléans Nord',
  'Caisse primaire d\'assurance maladie du Loiret',
  'Centre communal d\'action sociale d\'Orléans',
];
