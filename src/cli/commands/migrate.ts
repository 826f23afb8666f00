import type { CliContext } from '../main.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';

export async function migrateCommand({ config }: CliContext) {
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db, (m) => console.log(m));
    console.log(applied.length ? `${applied.length} migration(s) appliquée(s).` : 'Base à jour : aucune migration à appliquer.');
    return 0;
  } finally {
    await db.close();
  }
}
