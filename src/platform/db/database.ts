// One database access path for both engines: a node-postgres Pool, over a PostgreSQL server or over
// the embedded PGlite through its node-postgres adapter. Everything above this file speaks SQL to `pg`.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { auditAppendText, type AuditEventInput } from '../audit/audit.ts';

// Return int8 (bigint) as JS numbers where they fit: counts and ids stay below 2^53 here.
pg.types.setTypeParser(20, (v) => Number(v));
// Keep `date` columns as 'YYYY-MM-DD' strings: they are calendar days, not instants.
pg.types.setTypeParser(1082, (v) => v);

export interface Sql {
  query<R extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A transaction: run queries on it; audit events are appended, chained, just before COMMIT. */
export interface Tx extends Sql {
  audit(event: AuditEventInput): void;
  /** Callbacks run after a successful COMMIT (live notifications, in-memory caches). */
  afterCommit(fn: () => void): void;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  readonly pool: pg.Pool;
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The transaction the current async call chain runs in, per database (see `checkNotInTx`). Tracked
 * under the test suite (or with GUICHET_DB_GUARD=1) only: async context tracking puts a hook on every
 * promise, which measurably raised the contact center's p99 event latency.
 */
const openTx = process.env.VITEST || process.env.GUICHET_DB_GUARD === '1' ? new AsyncLocalStorage<{ db: PoolDatabase; open: boolean }>() : null;

/**
 * Put first in the text of a read whose best plan does not depend on its values (a lookup by key, no
 * optional value, no word to match): it is then prepared like the writes (ADR 0016).
 */
export const PREPARED_READ = '/* prepared read */ ';

/**
 * Put first in the text of a write whose best plan depends on its values or on tables that churn (the
 * job claim: which names, how many slots, a queue table that fills and empties): never prepared.
 */
export const PLANNED_EACH_TIME = '/* planned each time */ ';

/**
 * Names the writes a PostgreSQL server sees again and again, so that each connection parses and plans
 * them once (node-postgres sends Parse for a name only the first time on a connection; after five
 * executions the server keeps a generic plan when it is no dearer than the ones made for the values):
 * the busiest paths (a case created, an email filed) are a handful of INSERTs and UPDATEs whose parse
 * and planning cost the server as much as their execution. Reads are left to be planned for their
 * values each time: a generic plan cannot see which optional filter is empty, how common a word is or
 * how small a unit is (a contact lookup by e-mail or phone went from 0.06 to 11 ms under a generic plan);
 * reads by key opt in with PREPARED_READ (connections are renewed every CONNECTION_USES uses, so that
 * generic plans follow tables that grow). A text is named from its second use, up to MAX_NAMED texts
 * per database (texts built with a variable number of rows then stay unnamed); statements without
 * parameters never (they may be several).
 */
class StatementNames {
  private static readonly MAX_NAMED = 500;
  private static readonly MAX_KNOWN = 5000;
  private static readonly WRITE = /^\s*(INSERT INTO|UPDATE \w+ SET|DELETE FROM|WITH\b[\s\S]*?\b(INSERT INTO|UPDATE \w+ SET|DELETE FROM))\b/i;
  // Full text, trigram similarity (`a % b`, `<%`, `%>`), but not a modulo by a number (`x % 4294967296`).
  private static readonly WORD_MATCH = /@@|similarity\(|<%|%>| % (?!\d)/;
  /** text → its name; '' once seen (named at the next use); null when it is never to be named. */
  private readonly known = new Map<string, string | null>();
  private named = 0;

  config(text: string, params?: unknown[]): string | pg.QueryConfig {
    if (!params?.length) return text;
    const known = this.known.get(text);
    if (known) return { name: known, text, values: params as any[] };
    if (known === null) return text;
    if (known === undefined) {
      if (this.known.size >= StatementNames.MAX_KNOWN) return text;
      const nameable =
        (text.startsWith(PREPARED_READ) || StatementNames.WRITE.test(text)) && !text.startsWith(PLANNED_EACH_TIME) && !StatementNames.WORD_MATCH.test(text);
      this.known.set(text, nameable ? '' : null);
      return text;
    }
    if (this.named >= StatementNames.MAX_NAMED) return text;
    const name = `g${this.named++}`;
    this.known.set(text, name);
    return { name, text, values: params as any[] };
  }
}

class PoolDatabase implements Database {
  private readonly statements: StatementNames | null;

  constructor(
    readonly kind: 'pglite' | 'postgres',
    readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void>,
  ) {
    // PGlite parses in-process, without a server's per-statement overhead: left as it is.
    // GUICHET_NAMED_STATEMENTS=0 turns the naming off (to measure what it brings: ADR 0016).
    this.statements = kind === 'postgres' && process.env.GUICHET_NAMED_STATEMENTS !== '0' ? new StatementNames() : null;
  }

  private send<R extends pg.QueryResultRow>(client: pg.PoolClient, text: string, params?: unknown[]) {
    const config = this.statements ? this.statements.config(text, params) : text;
    return typeof config === 'string' ? client.query<R>(config, params as any[]) : client.query<R>(config);
  }

  /**
   * Code running inside `tx` must query through the transaction. Asking the pool for a second
   * connection there waits forever on PGlite (a pool of one connection, held by that transaction) and
   * reads outside the transaction on PostgreSQL: refused at once, on both engines, so that the mistake
   * is an error in every test rather than a hang on one engine.
   */
  private checkNotInTx() {
    const cur = openTx?.getStore();
    if (cur?.open && cur.db === this) {
      throw new Error('Database used directly inside one of its own transactions: query through the transaction (tx) instead.');
    }
  }

  async query<R extends pg.QueryResultRow = any>(text: string, params?: unknown[]) {
    this.checkNotInTx();
    // Not pool.query: it destroys the client after any error, even an SQL error the server answered
    // cleanly (a unique violation). Over PGlite that tears down the one in-process "connection" mid-
    // protocol and the next client reads stale messages. Only connection-level errors discard a client.
    const client = await this.pool.connect();
    try {
      const result = await this.send<R>(client, text, params);
      client.release();
      return result;
    } catch (err) {
      client.release(isServerError(err) ? undefined : (err as Error));
      throw err;
    }
  }

  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.checkNotInTx();
    const client = await this.pool.connect();
    const events: AuditEventInput[] = [];
    const after: Array<() => void> = [];
    const tx: Tx = {
      query: (text, params) => this.send(client, text, params),
      audit: (e) => void events.push(e),
      afterCommit: (f) => void after.push(f),
    };
    const scope = { db: this, open: true };
    try {
      await client.query('BEGIN');
      const result = openTx ? await openTx.run(scope, () => fn(tx)) : await fn(tx);
      scope.open = false;
      // Audit last, sent with the COMMIT in one round trip (a simple query of two statements: if the
      // append fails, the COMMIT is not run and the transaction rolls back below).
      await client.query(events.length ? `${auditAppendText(events, (v) => client.escapeLiteral(v))};\nCOMMIT` : 'COMMIT');
      client.release();
      for (const f of after) {
        try {
          f();
        } catch {
          /* a listener failing must not turn a committed change into an error */
        }
      }
      return result;
    } catch (err) {
      scope.open = false;
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch {
        client.release(true);
      }
      throw err;
    }
  }

  async close() {
    await this.pool.end();
    await this.onClose();
  }
}

/** An error the server reported with an SQLSTATE: the connection itself is still in a clean state. */
function isServerError(err: unknown): boolean {
  return err instanceof pg.DatabaseError || (typeof (err as any)?.code === 'string' && /^[0-9A-Z]{5}$/.test((err as any).code) && 'severity' in (err as any));
}

const CONNECTION_USES = 2000;

export async function openPostgres(url: string, max = 10): Promise<Database> {
  // JIT compilation pays off for long analytical queries; for this system's short queries whose cost
  // estimates run high (ranked search, the contact match with its lateral address) it added 0.6 s of
  // compilation to a 1 ms query on ten years of data. Off for every connection of the application.
  // Connections are kept for minutes, not node-postgres' 10 s: under bursty traffic (a wave of calls) a
  // pool that shrank between bursts pays a server process start-up per connection at the worst moment.
  // A connection is renewed after CONNECTION_USES uses: the generic plans of its prepared statements
  // (ADR 0016) were made for the tables' sizes of the moment, and a table that grows without being
  // analysed (a new installation, a server without autovacuum) would keep plans made for a small table.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c jit=off', idleTimeoutMillis: 300_000, maxUses: CONNECTION_USES });
  pool.on('error', () => {
    /* idle client errors (server restart) are retried on next use */
  });
  await pool.query('SELECT 1');
  return new PoolDatabase('postgres', pool, async () => {});
}

export async function createPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = new PGlite({ dataDir, loadDataDir, extensions: { unaccent, pg_trgm } });
  await db.waitReady;
  return db;
}

/** Wrap an open PGlite instance in the same Pool interface as a PostgreSQL server. */
export async function wrapPGlite(pglite: PGlite, onClose: () => Promise<void> = async () => {}): Promise<Database> {
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  // PGlite is one backend: a pool of exactly one client serialises transactions correctly.
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as any), max: 1 });
  return new PoolDatabase('pglite', pool, async () => {
    await pglite.close();
    await onClose();
  });
}

export async function openPGliteDir(dataDir: string): Promise<Database> {
  const dir = path.join(dataDir, 'pgdata');
  fs.mkdirSync(dir, { recursive: true });
  const release = acquireDirLock(dataDir);
  try {
    const pglite = await createPGlite(dir);
    return await wrapPGlite(pglite, async () => release());
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * The embedded database may be opened by one process only: a second one would corrupt it.
 * A lock file holding the owner's pid refuses a second opener while the first is alive.
 */
function acquireDirLock(dataDir: string): () => void {
  const lock = path.join(dataDir, 'guichet.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Le dossier de données ${dataDir} est déjà utilisé par le processus ${pid}. ` +
            `La base embarquée n'accepte qu'un processus : arrêtez-le, ou utilisez PostgreSQL (DATABASE_URL) ` +
            `pour lancer plusieurs serveurs et workers.`,
        );
      }
      fs.rmSync(lock, { force: true }); // stale lock from a killed process
    }
  }
  throw new Error(`Impossible de verrouiller ${lock}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}

export async function openDatabase(cfg: { databaseUrl: string | null; dataDir: string; dbPoolSize?: number }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl, cfg.dbPoolSize ?? 20) : openPGliteDir(cfg.dataDir);
}

/**
 * A Database view of a transaction already open: services that open their own `db.tx` then run inside
 * it, so a job can combine several service calls (and its own bookkeeping) in one atomic unit. Audit
 * events and after-commit callbacks go to the outer transaction.
 */
export function joinTx(tx: Tx, db: Database): Database {
  return {
    kind: db.kind,
    pool: db.pool,
    query: (text, params) => tx.query(text, params),
    tx: (fn) => fn(tx),
    close: async () => {},
  };
}
