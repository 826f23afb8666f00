// Real communes of the Loiret with their postcodes (INSEE codes where known), the departmental roads
// that serve them, and the places (collèges, streets) demo requests talk about.

export interface Commune {
  name: string;
  postcode: string;
  /** INSEE code, when recorded (null rather than a guess). */
  insee: string | null;
  /** Rough population in thousands: how often its inhabitants appear in the demo. */
  weight: number;
  /** Departmental roads (routes départementales) crossing it. */
  roads: string[];
}

export const LOIRET_COMMUNES: Commune[] = [
  { name: 'Orléans', postcode: '45000', insee: '45234', weight: 100, roads: ['RD 2020', 'RD 2060', 'RD 2152', 'RD 2271'] },
  { name: 'Orléans', postcode: '45100', insee: '45234', weight: 20, roads: ['RD 2020', 'RD 326'] },
  { name: 'Olivet', postcode: '45160', insee: '45232', weight: 22, roads: ['RD 2020', 'RD 14'] },
  { name: 'Fleury-les-Aubrais', postcode: '45400', insee: '45147', weight: 21, roads: ['RD 2020', 'RD 97'] },
  { name: 'Saint-Jean-de-Braye', postcode: '45800', insee: '45284', weight: 21, roads: ['RD 2060', 'RD 960'] },
  { name: 'Saint-Jean-de-la-Ruelle', postcode: '45140', insee: '45285', weight: 16, roads: ['RD 2157', 'RD 2152'] },
  { name: 'Saran', postcode: '45770', insee: '45302', weight: 16, roads: ['RD 2020', 'RD 702'] },
  { name: 'Montargis', postcode: '45200', insee: '45208', weight: 14, roads: ['RD 2060', 'RD 943', 'RD 2007'] },
  { name: 'Gien', postcode: '45500', insee: '45155', weight: 14, roads: ['RD 2007', 'RD 952', 'RD 940'] },
  { name: 'Amilly', postcode: '45200', insee: '45004', weight: 13, roads: ['RD 943', 'RD 2007'] },
  { name: 'Châlette-sur-Loing', postcode: '45120', insee: '45068', weight: 13, roads: ['RD 2060', 'RD 93'] },
  { name: 'La Chapelle-Saint-Mesmin', postcode: '45380', insee: null, weight: 10, roads: ['RD 2152'] },
  { name: 'Pithiviers', postcode: '45300', insee: '45252', weight: 9, roads: ['RD 2152', 'RD 921', 'RD 950'] },
  { name: 'Ingré', postcode: '45140', insee: '45169', weight: 9, roads: ['RD 2157', 'RD 702'] },
  { name: 'Chécy', postcode: '45430', insee: '45089', weight: 9, roads: ['RD 960', 'RD 709'] },
  { name: 'Saint-Jean-le-Blanc', postcode: '45650', insee: '45286', weight: 9, roads: ['RD 951'] },
  { name: 'Châteauneuf-sur-Loire', postcode: '45110', insee: '45082', weight: 8, roads: ['RD 2060', 'RD 11', 'RD 960'] },
  { name: 'Le Malesherbois', postcode: '45330', insee: '45191', weight: 8, roads: ['RD 2152', 'RD 948'] },
  { name: 'Saint-Denis-en-Val', postcode: '45560', insee: '45274', weight: 7, roads: ['RD 951', 'RD 14'] },
  { name: 'Beaugency', postcode: '45190', insee: '45028', weight: 7, roads: ['RD 2152', 'RD 925'] },
  { name: 'Villemandeur', postcode: '45700', insee: null, weight: 7, roads: ['RD 943', 'RD 2060'] },
  { name: 'La Ferté-Saint-Aubin', postcode: '45240', insee: '45146', weight: 7, roads: ['RD 2020', 'RD 18'] },
  { name: 'Meung-sur-Loire', postcode: '45130', insee: '45203', weight: 6, roads: ['RD 2152', 'RD 18'] },
  { name: 'Saint-Pryvé-Saint-Mesmin', postcode: '45750', insee: null, weight: 6, roads: ['RD 951'] },
  { name: 'Sully-sur-Loire', postcode: '45600', insee: '45315', weight: 5, roads: ['RD 951', 'RD 948', 'RD 119'] },
  { name: 'Briare', postcode: '45250', insee: '45053', weight: 5, roads: ['RD 2007', 'RD 952'] },
  { name: 'Jargeau', postcode: '45150', insee: '45173', weight: 4.6, roads: ['RD 951', 'RD 921'] },
  { name: 'Neuville-aux-Bois', postcode: '45170', insee: null, weight: 4.5, roads: ['RD 97', 'RD 8'] },
  { name: 'Courtenay', postcode: '45320', insee: null, weight: 4, roads: ['RD 2060', 'RD 32'] },
  { name: 'Ormes', postcode: '45140', insee: null, weight: 4, roads: ['RD 2157'] },
  { name: 'Ferrières-en-Gâtinais', postcode: '45210', insee: null, weight: 3.5, roads: ['RD 32', 'RD 315'] },
  { name: 'Saint-Cyr-en-Val', postcode: '45590', insee: null, weight: 3.3, roads: ['RD 2020', 'RD 14'] },
  { name: 'Sandillon', postcode: '45640', insee: null, weight: 4, roads: ['RD 951', 'RD 13'] },
  { name: 'Lorris', postcode: '45260', insee: null, weight: 3, roads: ['RD 961', 'RD 44'] },
  { name: 'Semoy', postcode: '45400', insee: null, weight: 3, roads: ['RD 2060', 'RD 101'] },
  { name: 'Mardié', postcode: '45430', insee: null, weight: 2.8, roads: ['RD 960'] },
  { name: 'Fay-aux-Loges', postcode: '45450', insee: null, weight: 3.8, roads: ['RD 2060', 'RD 709'] },
  { name: 'Tigy', postcode: '45510', insee: null, weight: 2.3, roads: ['RD 951', 'RD 83'] },
  { name: 'Chaingy', postcode: '45380', insee: null, weight: 3.7, roads: ['RD 2152'] },
  { name: 'Saint-Ay', postcode: '45130', insee: null, weight: 3.4, roads: ['RD 2152'] },
  { name: 'Cléry-Saint-André', postcode: '45370', insee: null, weight: 3.4, roads: ['RD 951', 'RD 18'] },
  { name: 'Châtillon-Coligny', postcode: '45230', insee: null, weight: 2, roads: ['RD 93', 'RD 56'] },
  { name: 'Beaune-la-Rolande', postcode: '45340', insee: null, weight: 2, roads: ['RD 950', 'RD 9'] },
  { name: 'Patay', postcode: '45310', insee: null, weight: 2, roads: ['RD 955', 'RD 935'] },
  { name: 'Artenay', postcode: '45410', insee: '45008', weight: 1.9, roads: ['RD 2020', 'RD 5'] },
  { name: 'Dordives', postcode: '45680', insee: null, weight: 3.2, roads: ['RD 2007', 'RD 62'] },
  { name: 'Corquilleroy', postcode: '45120', insee: null, weight: 2.8, roads: ['RD 2060'] },
  { name: 'Pannes', postcode: '45700', insee: null, weight: 3.6, roads: ['RD 943'] },
  { name: 'Bellegarde', postcode: '45270', insee: null, weight: 1.8, roads: ['RD 2060', 'RD 975'] },
  { name: 'Puiseaux', postcode: '45390', insee: null, weight: 3.3, roads: ['RD 948', 'RD 26'] },
  { name: 'Outarville', postcode: '45480', insee: null, weight: 1.4, roads: ['RD 2020', 'RD 927'] },
  { name: 'Saint-Benoît-sur-Loire', postcode: '45730', insee: null, weight: 2, roads: ['RD 60', 'RD 148'] },
  { name: 'Ouzouer-sur-Loire', postcode: '45570', insee: null, weight: 2.7, roads: ['RD 952', 'RD 953'] },
  { name: 'Dampierre-en-Burly', postcode: '45570', insee: null, weight: 1.3, roads: ['RD 952'] },
  { name: 'Bonny-sur-Loire', postcode: '45420', insee: null, weight: 2, roads: ['RD 2007'] },
  { name: 'Châtillon-sur-Loire', postcode: '45360', insee: null, weight: 3.2, roads: ['RD 951', 'RD 50'] },
  { name: 'Coullons', postcode: '45720', insee: null, weight: 2.4, roads: ['RD 940', 'RD 52'] },
  { name: 'Nogent-sur-Vernisson', postcode: '45290', insee: null, weight: 2.6, roads: ['RD 2007', 'RD 41'] },
  { name: 'Vitry-aux-Loges', postcode: '45530', insee: null, weight: 2, roads: ['RD 10', 'RD 9'] },
  { name: 'Darvoy', postcode: '45150', insee: null, weight: 1.9, roads: ['RD 951'] },
  { name: 'Marcilly-en-Villette', postcode: '45240', insee: null, weight: 2.1, roads: ['RD 17', 'RD 108'] },
  { name: 'Ligny-le-Ribault', postcode: '45240', insee: null, weight: 1.3, roads: ['RD 18', 'RD 19'] },
  { name: 'Tavers', postcode: '45190', insee: null, weight: 1.4, roads: ['RD 2152'] },
  { name: 'Lailly-en-Val', postcode: '45740', insee: null, weight: 3, roads: ['RD 951', 'RD 19'] },
  { name: 'Château-Renard', postcode: '45220', insee: null, weight: 2.3, roads: ['RD 943', 'RD 31'] },
  { name: 'Sermaises', postcode: '45300', insee: null, weight: 1.6, roads: ['RD 927'] },
  { name: 'Boigny-sur-Bionne', postcode: '45760', insee: null, weight: 2.2, roads: ['RD 2060'] },
  { name: 'Marigny-les-Usages', postcode: '45760', insee: null, weight: 1.5, roads: ['RD 8'] },
  { name: 'Donnery', postcode: '45450', insee: null, weight: 2.7, roads: ['RD 709'] },
  { name: 'Germigny-des-Prés', postcode: '45110', insee: null, weight: 0.8, roads: ['RD 60'] },
];

/** Distinct communes (Orléans once), for the communes as organisations and their mayors. */
export function distinctCommunes(): Commune[] {
  const seen = new Set<string>();
  return LOIRET_COMMUNES.filter((c) => !seen.has(c.name) && seen.add(c.name));
}

/** "de Gien", "d'Orléans", "du Malesherbois". */
export function ofCommune(name: string): string {
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (/^[AEIOUYÉÈÂÎÔ]/.test(name)) return `d'${name}`;
  return `de ${name}`;
}

/** "à Gien", "au Malesherbois". */
export function atCommune(name: string): string {
  if (name.startsWith('Le ')) return `au ${name.slice(3)}`;
  return `à ${name}`;
}

export const STREET_NAMES = [
  'rue de la République', 'rue Jeanne-d\'Arc', 'avenue de la Libération', 'rue du Général-de-Gaulle',
  'rue Victor-Hugo', 'rue des Écoles', 'rue de la Gare', 'chemin des Vignes', 'allée des Tilleuls',
  'rue de la Loire', 'impasse des Acacias', 'rue Pasteur', 'avenue Jean-Jaurès', 'rue du Moulin',
  'rue des Lilas', 'place de l\'Église', 'rue de Paris', 'rue Charles-Péguy', 'rue Maurice-Genevoix',
  'rue du Stade', 'route de Sandillon', 'rue des Peupliers', 'rue du Château', 'chemin de la Levée',
  'rue Saint-Martin', 'rue des Fossés', 'avenue des Droits-de-l\'Homme', 'rue Jules-Ferry',
  'rue de la Mairie', 'allée des Bleuets', 'rue des Vergers', 'résidence Les Jardins de Loire',
  'rue Paul-Bert', 'rue des Carmes', 'boulevard Alexandre-Martin', 'rue du Faubourg-Bannier',
  'rue de Bourgogne', 'quai du Châtelet', 'rue Émile-Zola', 'rue des Bouleaux', 'chemin des Prés',
  'rue de la Poste', 'hameau de la Brosse', 'lieu-dit Les Bordes', 'rue des Tanneurs',
];

/** Collèges of the demo (name, commune). */
export const COLLEGES: Array<{ name: string; commune: string }> = [
  { name: 'collège Jean-Rostand', commune: 'Orléans' },
  { name: 'collège Charles-Péguy', commune: 'Orléans' },
  { name: 'collège Jeanne-d\'Arc', commune: 'Orléans' },
  { name: 'collège Alain-Fournier', commune: 'Orléans' },
  { name: 'collège Jacques-Prévert', commune: 'Saint-Jean-de-Braye' },
  { name: 'collège Max-Jacob', commune: 'Saint-Jean-de-la-Ruelle' },
  { name: 'collège Pierre-et-Marie-Curie', commune: 'Fleury-les-Aubrais' },
  { name: 'collège Charles-Rivière', commune: 'Olivet' },
  { name: 'collège Montesquieu', commune: 'Saran' },
  { name: 'collège Maurice-Genevoix', commune: 'Châteauneuf-sur-Loire' },
  { name: 'collège Victor-Hugo', commune: 'Montargis' },
  { name: 'collège Robert-Schuman', commune: 'Amilly' },
  { name: 'collège Jean-Mermoz', commune: 'Gien' },
  { name: 'collège Condorcet', commune: 'Pithiviers' },
  { name: 'collège Robert-Goupil', commune: 'Beaugency' },
  { name: 'collège Gaston-Couté', commune: 'Meung-sur-Loire' },
  { name: 'collège Albert-Camus', commune: 'Sully-sur-Loire' },
  { name: 'collège Jules-Ferry', commune: 'Briare' },
  { name: 'collège Jean-Moulin', commune: 'La Ferté-Saint-Aubin' },
  { name: 'collège du Gâtinais', commune: 'Ferrières-en-Gâtinais' },
  { name: 'collège Saint-Exupéry', commune: 'Courtenay' },
  { name: 'collège Jean-Joudiou', commune: 'Lorris' },
  { name: 'collège Guillaume-de-Lorris', commune: 'Châtillon-Coligny' },
  { name: 'collège Val-de-Loire', commune: 'Jargeau' },
  { name: 'collège de la Forêt', commune: 'Neuville-aux-Bois' },
  { name: 'collège Jeanne-Vernier', commune: 'Patay' },
];
