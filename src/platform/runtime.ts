// The running installation: configuration, database, file store, job registry and worker, event bus.
// Built once by each entry point (serve, worker, CLI, tests) and handed to routes and jobs.
import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { FileStore } from './files/store.ts';
import { JobRegistry } from './jobs/registry.ts';
import { JobWorker } from './jobs/worker.ts';
import { registerJobs } from '../modules/jobs.ts';
import { AuditSealer } from './audit/seal.ts';
import { QueueVacuum } from './db/housekeeping.ts';

export interface Runtime {
  config: Config;
  db: Database;
  files: FileStore;
  jobs: JobRegistry;
  worker: JobWorker;
  /** Links committed audit events into the hash chain (started by serve and worker). */
  sealer: AuditSealer;
  /** Vacuums the queue tables on PostgreSQL (started with the sealer). */
  queueVacuum: QueueVacuum;
  log: Logger;
  /** In-process notifications (case changed, call answered...) feeding server-sent events. */
  bus: EventEmitter;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  db?: Database;
  runMigrations?: boolean;
  log?: Logger;
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? pino({ level: config.logLevel, base: { pid: process.pid } });
  const db = opts.db ?? (await openDatabase(config));
  if (opts.runMigrations !== false) {
    await migrate(db, (m) => log.info(m));
  }
  const files = new FileStore(config.filesDir, config.maxFileBytes);
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const jobs = new JobRegistry();
  const rt = { config, db, files, jobs, log, bus } as Runtime;
  registerJobs(rt);
  rt.worker = new JobWorker(db, jobs, {
    concurrency: config.jobConcurrency,
    log: (level, msg, extra) => log[level](extra ?? {}, msg),
  });
  rt.sealer = new AuditSealer(db, 250, (err) => log.error({ err }, 'audit sealing failed'));
  rt.queueVacuum = new QueueVacuum(db, 10_000, (err) => log.warn({ err }, 'vacuum of the queue tables failed'));
  rt.close = async () => {
    await rt.queueVacuum.stop();
    await rt.sealer.stop();
    await rt.worker.stop();
    await db.close();
  };
  return rt;
}
