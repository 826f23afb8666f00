import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { declareSchedules } from '../../modules/jobs.ts';

/** A job worker process: with PostgreSQL, run as many as the load needs, on any machine. */
export async function worker(ctx: CliContext) {
  const rt = await createRuntime(ctx.config);
  await declareSchedules(rt);
  rt.sealer.start();
  rt.queueVacuum.start();
  rt.worker.start();
  rt.log.info({ worker: rt.worker.id, jobs: rt.jobs.names() }, 'job worker started');
  const shutdown = async () => {
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  return new Promise<number>(() => {});
}
