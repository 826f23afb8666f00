// `guichet mail separator-sheet [--out FILE] [--copies N]` prints the separator sheet to slip between
// letters before scanning; `guichet mail watch DIR` takes in the scans dropped in DIR, runs the jobs
// that split and read them, and shows each batch's progress.
import fs from 'node:fs';
import path from 'node:path';
import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { declareSchedules } from '../../modules/jobs.ts';
import { separatorSheetPdf } from '../../channels/mail/separator.ts';
import { watchFolder } from '../../channels/mail/watch.ts';
import { closeSharedOcrPool } from '../../channels/mail/ocr-pool.ts';
import { quietLogger } from '../log.ts';

export async function mailSeparatorSheet({ values }: CliContext) {
  const copies = values.copies ? Number(values.copies) : 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > 100) {
    console.error('--copies : nombre entier entre 1 et 100 attendu');
    return 2;
  }
  const out = path.resolve(String(values.out ?? 'feuille-de-separation.pdf'));
  fs.writeFileSync(out, await separatorSheetPdf(copies));
  console.log(`Feuille de séparation écrite dans ${out} (${copies} exemplaire${copies > 1 ? 's' : ''}). Imprimez-la et placez-en une entre deux courriers.`);
  return 0;
}

export async function mailWatch(ctx: CliContext) {
  const dir = ctx.positionals[2];
  if (!dir) {
    console.error('Utilisation : guichet mail watch DOSSIER');
    return 2;
  }
  const folder = path.resolve(dir);
  fs.mkdirSync(folder, { recursive: true });
  const rt = await createRuntime(ctx.config, { log: quietLogger() });
  await declareSchedules(rt);
  rt.sealer.start();
  rt.queueVacuum.start();
  if (rt.config.inProcessJobs) rt.worker.start();
  const tracked = new Map<string, string>(); // batch id → file name
  const watcher = watchFolder(rt, folder, {
    onIntake: (file, r) => {
      if (r.status === 'rejected') console.log(`✗ ${file} : refusé — ${r.reason}`);
      else {
        console.log(`✓ ${file} : reçu (${r.pages} page${r.pages > 1 ? 's' : ''})${r.duplicateOf ? ' — fichier identique à un lot déjà déposé' : ''}`);
        tracked.set(r.batchId, file);
      }
    },
  });
  console.log(`Surveillance de ${folder} (fichiers traités → traites/, refusés → refuses/). Ctrl+C pour arrêter.`);
  const last = new Map<string, string>();
  const progress = setInterval(async () => {
    if (!tracked.size) return;
    const { rows } = await rt.db.query(
      `SELECT id, status, reason, pages_total AS total, pages_scanned AS scanned, pages_done AS done, letters_count AS letters FROM mail_batches WHERE id = ANY($1)`,
      [[...tracked.keys()]],
    );
    for (const b of rows) {
      const name = tracked.get(b.id)!;
      const line =
        b.status === 'splitting' ? `découpage ${b.scanned}/${b.total} pages`
        : b.status === 'extracting' ? `${b.letters} courrier(s) enregistré(s), lecture ${b.done}/${b.total} pages`
        : b.status === 'done' ? `terminé : ${b.letters} courrier(s) à qualifier`
        : b.status === 'rejected' ? `refusé — ${b.reason}` : b.status;
      if (last.get(b.id) !== line) console.log(`  ${name} : ${line}`);
      last.set(b.id, line);
      if (b.status === 'done' || b.status === 'rejected' || b.status === 'failed') tracked.delete(b.id);
    }
  }, 2000);
  const shutdown = async () => {
    clearInterval(progress);
    await watcher.stop();
    await rt.close();
    await closeSharedOcrPool();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  return new Promise<number>(() => {});
}
