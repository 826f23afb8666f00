// Links committed audit events into the hash chain (SQL function audit_seal). Runs continuously in
// every serve/worker process; only one seals at a time (the others get 0 back at once).
import type { Sql } from '../db/database.ts';

export async function sealPending(sql: Sql, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql.query<{ n: number }>('SELECT audit_seal($1) AS n', [batch]);
    total += rows[0].n;
    if (rows[0].n < batch) return total;
  }
}

export class AuditSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly everyMs = 250,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = sealPending(this.sql)
        .then(() => undefined)
        .catch((err) => this.onError(err))
        .finally(() => (this.running = null));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
