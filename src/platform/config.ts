// Typed configuration: read once from the environment (and CLI overrides), validated at start.
// A bad value stops the process with a message naming the variable, never a late surprise.
import path from 'node:path';

export interface Config {
  /** PostgreSQL server URL; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Data folder: embedded database, file store, lock file. */
  dataDir: string;
  /** Where binary inputs (scans, attachments, raw emails) are stored. */
  filesDir: string;
  host: string;
  port: number;
  /** Public base URL used in links sent to people (emails, letters). */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Run the job worker inside `serve` (default) or leave jobs to `guichet worker` processes. */
  inProcessJobs: boolean;
  /** Number of jobs one worker process runs at once. */
  jobConcurrency: number;
  /** Trust X-Forwarded-* headers (behind a reverse proxy / TLS terminator). */
  trustProxy: boolean;
  /** Mark cookies Secure (automatic when publicUrl is https). */
  secureCookies: boolean;
  /** Maximum size of one uploaded or received file, in bytes. */
  maxFileBytes: number;
  sessionTtlHours: number;
  /** Connections per process to a PostgreSQL server. */
  dbPoolSize: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Configuration invalide : ${variable} — ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `nombre entier attendu, reçu « ${raw} »`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `doit être compris entre ${min} et ${max}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `booléen attendu (true/false), reçu « ${raw} »`);
}

export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
}

export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'URL PostgreSQL attendue (postgres://utilisateur@hôte:port/base)');
  }
  const dataDir = path.resolve(overrides.dataDir ?? env.GUICHET_DATA_DIR ?? './data');
  const port = overrides.port ?? int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = (env.GUICHET_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError('GUICHET_PUBLIC_URL', `URL invalide « ${publicUrl} »`);
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', 'valeurs possibles : fatal, error, warn, info, debug, trace, silent');
  }
  return {
    databaseUrl,
    dataDir,
    filesDir: path.resolve(env.GUICHET_FILES_DIR?.trim() || path.join(dataDir, 'files')),
    host,
    port,
    publicUrl,
    logLevel,
    inProcessJobs: bool(env, 'GUICHET_IN_PROCESS_JOBS', true),
    jobConcurrency: int(env, 'GUICHET_JOB_CONCURRENCY', 2, 1, 64),
    trustProxy: bool(env, 'GUICHET_TRUST_PROXY', false),
    secureCookies: bool(env, 'GUICHET_SECURE_COOKIES', publicUrl.startsWith('https:')),
    maxFileBytes: int(env, 'GUICHET_MAX_FILE_MB', 50, 1, 2048) * 1024 * 1024,
    sessionTtlHours: int(env, 'GUICHET_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    dbPoolSize: int(env, 'GUICHET_DB_POOL_SIZE', 20, 1, 500),
  };
}
