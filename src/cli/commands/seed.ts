import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { quietLogger } from '../log.ts';
import { seedDemo, isDemoSeeded } from '../../modules/demo/seed-demo.ts';
import { seedScale } from '../../modules/demo/seed-scale.ts';

const USAGE = 'Utilisation : guichet seed --demo | --scale N (N années d\'historique, après --demo)';

export async function seedCommand({ config, values }: CliContext) {
  const scaleArg = values.scale;
  if (!values.demo && scaleArg === undefined) {
    console.error(USAGE);
    return 2;
  }
  let years: number | null = null;
  if (scaleArg !== undefined) {
    years = Number(scaleArg);
    if (typeof scaleArg !== 'string' || !/^\d+(\.\d+)?$/.test(scaleArg) || !(years > 0) || years > 50) {
      console.error(`--scale : nombre d'années attendu (par exemple 1 ou 10), reçu « ${String(scaleArg)} ».\n${USAGE}`);
      return 2;
    }
  }
  const rt = await createRuntime(config, { log: quietLogger() });
  try {
    if (values.demo) {
      if (await isDemoSeeded(rt.db)) {
        console.log('Le département de démonstration est déjà installé.');
      } else {
        const t0 = Date.now();
        await seedDemo(rt, { log: (m) => console.log(m) });
        console.log(`Département de démonstration installé en ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
      }
    }
    if (years !== null) {
      if (!(await isDemoSeeded(rt.db))) {
        console.error('Installez d\'abord le département de démonstration : guichet seed --demo');
        return 1;
      }
      console.log(`Historique de volumétrie : ${years} an(s), généré par la base (${rt.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}).`);
      if (rt.db.kind === 'pglite') console.log('Avec la base embarquée, comptez plusieurs fois plus longtemps qu\'avec un serveur PostgreSQL (DATABASE_URL).');
      const counts = await seedScale(rt.db, { years, log: (m) => console.log(m) });
      console.log(
        `Terminé en ${counts.seconds} s : ${counts.contacts.toLocaleString('fr-FR')} usagers, ${counts.cases.toLocaleString('fr-FR')} demandes, ` +
          `${counts.interactions.toLocaleString('fr-FR')} échanges, ${counts.caseEvents.toLocaleString('fr-FR')} événements.`,
      );
    }
    return 0;
  } finally {
    await rt.close();
  }
}
