// Typed configuration: read once from the environment (and CLI overrides), validated at start.
// A bad value stops the process with a message naming the variable, never a late surprise.
import os from 'node:os';
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
  /** Mail office (scanned letters): hot folder, OCR workers, limits, letterhead. */
  mail: MailConfig;
  /** Email channel (the single address). */
  email: EmailConfig;
  /** Secret of the CTI webhook signature (X-Guichet-Signature: sha256=HMAC); when set, it is required. */
  ctiHmacSecret: string | null;
  /** Answer {"action":"reject","reason":"closed"} to inbound calls outside opening hours. */
  ctiRejectWhenClosed: boolean;
  /** OpenID Connect provider for citizens (OIDC_ISSUER...), or null when not configured. */
  oidc: OidcConfig | null;
}

export interface EmailConfig {
  /** IMAP mailbox polled for incoming mail (imap://user:pass@host:port/INBOX), or null. */
  imapUrl: string | null;
  /** Port of the built-in SMTP receiver a relay forwards to, or null (off). */
  smtpReceiverPort: number | null;
  /** Outgoing SMTP server (smtp://host:port), or null: outgoing mail waits in the outbox. */
  smtpUrl: string | null;
  /** From header of the mail we send: "Name" <address>. */
  mailFrom: string;
  /** Domain of our Message-IDs (from MAIL_FROM's address). */
  domain: string;
  maxMessageBytes: number;
  maxAttachmentBytes: number;
  /** email.process (filing) jobs run at once per process, in their own worker slots (EMAIL_JOB_CONCURRENCY). */
  jobConcurrency: number;
}

export interface MailConfig {
  /** Hot folder watched by `serve` for scanned batches (MAIL_WATCH_DIR), or null. */
  watchDir: string | null;
  /** OCR worker threads (MAIL_OCR_WORKERS, default: the machine's available parallelism). */
  ocrWorkers: number;
  /** Pages above which a scanned file is refused (MAIL_MAX_PAGES). */
  maxPages: number;
  /** Letterhead of generated letters (MAIL_LETTERHEAD_NAME, MAIL_LETTERHEAD_ADDRESS with lines separated by « ; », MAIL_LETTERHEAD_PHONE). */
  letterhead: { name: string; address: string[]; phone: string | null };
}

/** Sign-in with OpenID Connect (FranceConnect-compatible) on the citizen portal. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  acrValues: string | null;
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

function ctiSecret(env: Env): string | null {
  const raw = env.CTI_HMAC_SECRET;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16) throw new ConfigError('CTI_HMAC_SECRET', 'secret trop court (16 caractères au moins)');
  return raw;
}

export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
  smtpPort?: number;
}

function emailConfig(env: Env, overrides: ConfigOverrides): EmailConfig {
  const imapUrl = env.IMAP_URL?.trim() || null;
  if (imapUrl && !/^imaps?:\/\/[^/]+/.test(imapUrl)) throw new ConfigError('IMAP_URL', 'URL attendue : imap://utilisateur:motdepasse@hôte:port/INBOX');
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'URL attendue : smtp://hôte:port');
  const mailFrom = env.MAIL_FROM?.trim() || '"Relation usagers" <contact@guichet.localhost>';
  const address = /<([^<>@\s]+@([^<>@\s]+))>\s*$/.exec(mailFrom) ?? /^([^<>@\s]+@([^<>@\s]+))$/.exec(mailFrom);
  if (!address) throw new ConfigError('MAIL_FROM', 'adresse attendue : "Nom" <adresse@domaine>');
  const receiverPort = overrides.smtpPort ?? (env.SMTP_RECEIVER_PORT?.trim() ? int(env, 'SMTP_RECEIVER_PORT', 0, 0, 65535) : null);
  return {
    imapUrl,
    smtpReceiverPort: receiverPort,
    smtpUrl,
    mailFrom,
    domain: address[2].toLowerCase(),
    maxMessageBytes: int(env, 'EMAIL_MAX_BYTES', 25 * 1024 * 1024, 1024, 500 * 1024 * 1024),
    maxAttachmentBytes: int(env, 'EMAIL_MAX_ATTACHMENT_BYTES', 15 * 1024 * 1024, 1024, 500 * 1024 * 1024),
    jobConcurrency: int(env, 'EMAIL_JOB_CONCURRENCY', 8, 1, 64),
  };
}

function oidcConfig(env: Env): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return null;
  try {
    new URL(issuer);
  } catch {
    throw new ConfigError('OIDC_ISSUER', `URL invalide « ${issuer} »`);
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID', 'obligatoire avec OIDC_ISSUER');
  if (!clientSecret) throw new ConfigError('OIDC_CLIENT_SECRET', 'obligatoire avec OIDC_ISSUER');
  const scopes = env.OIDC_SCOPES?.trim() || 'openid given_name family_name birthdate email';
  if (!scopes.split(/\s+/).includes('openid')) throw new ConfigError('OIDC_SCOPES', 'doit contenir « openid »');
  const acr = env.OIDC_ACR_VALUES === undefined ? 'eidas1' : env.OIDC_ACR_VALUES.trim() || null;
  return { issuer, clientId, clientSecret, scopes, acrValues: acr };
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
    mail: {
      watchDir: env.MAIL_WATCH_DIR?.trim() ? path.resolve(env.MAIL_WATCH_DIR.trim()) : null,
      ocrWorkers: int(env, 'MAIL_OCR_WORKERS', os.availableParallelism(), 1, 64),
      maxPages: int(env, 'MAIL_MAX_PAGES', 300, 1, 5000),
      letterhead: {
        name: env.MAIL_LETTERHEAD_NAME?.trim() || 'Département',
        address: (env.MAIL_LETTERHEAD_ADDRESS?.trim() || 'Hôtel du Département').split(';').map((l) => l.trim()).filter(Boolean),
        phone: env.MAIL_LETTERHEAD_PHONE?.trim() || null,
      },
    },
    email: emailConfig(env, overrides),
    oidc: oidcConfig(env),
    ctiHmacSecret: ctiSecret(env),
    ctiRejectWhenClosed: bool(env, 'CTI_REJECT_WHEN_CLOSED', false),
  };
}
