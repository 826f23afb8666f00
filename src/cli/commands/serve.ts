import type { CliContext } from '../main.ts';
import { createRuntime, type Runtime } from '../../platform/runtime.ts';
import { buildApp } from '../../server/app.ts';
import { declareSchedules } from '../../modules/jobs.ts';
import { startEmailIntake } from '../../channels/email/email.jobs.ts';
import { isDemoSeeded, seedDemo, DEMO_PASSWORD, demoSignIns } from '../../modules/demo/seed-demo.ts';

/** `npm start`: migrate, seed the demo département on the very first start, then serve. */
export async function start(ctx: CliContext) {
  const rt = await createRuntime(ctx.config);
  if (!(await isDemoSeeded(rt.db))) {
    console.log('Premier lancement : installation du département de démonstration…');
    const t0 = Date.now();
    await seedDemo(rt, { log: (m) => console.log(`  ${m}`) });
    console.log(`Département de démonstration installé en ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }
  const signIns = await demoSignIns(rt.db);
  return run(rt, ctx, signIns);
}

export async function serve(ctx: CliContext) {
  const rt = await createRuntime(ctx.config);
  return run(rt, ctx, []);
}

async function run(rt: Runtime, _ctx: CliContext, signIns: Array<{ email: string; role: string }>) {
  const app = await buildApp(rt);
  await declareSchedules(rt);
  rt.sealer.start();
  rt.queueVacuum.start();
  if (rt.config.inProcessJobs) rt.worker.start();
  const address = await app.listen({ port: rt.config.port, host: rt.config.host });
  const email = await startEmailIntake(rt); // SMTP receiver (--smtp-port) and IMAP poller (IMAP_URL), when configured
  const url = address.replace('127.0.0.1', 'localhost');
  console.log(`\nGuichet est prêt : ${url}`);
  console.log(`  Portail des usagers : ${url}/portail`);
  console.log(`  Back office des agents : ${url}/agents/`);
  console.log(`  API : ${url}/api/v1 — documentation : ${url}/api/docs`);
  console.log(`  Base : ${rt.db.kind === 'pglite' ? `embarquée (${rt.config.dataDir})` : 'PostgreSQL'}`);
  if (signIns.length) {
    console.log(`\nComptes de démonstration (mot de passe commun : ${DEMO_PASSWORD}) :`);
    for (const s of signIns) console.log(`  ${s.role.padEnd(42)} ${s.email}`);
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    rt.log.info({ signal }, 'shutting down');
    await email.stop();
    await app.close();
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  return new Promise<number>(() => {}); // serve until a signal arrives
}
