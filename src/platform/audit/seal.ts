// Links committed audit events into the hash chain (SQL function audit_seal). Runs continuously in
// every serve/worker process; only one seals at a time (the others get 0 back at once).
import type { Sql } from '../db/database.ts';
import { PeriodicTask } from '../periodic.ts';

export async function sealPending(sql: Sql, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql.query<{ n: number }>('SELECT audit_seal($1) AS n', [batch]);
    total += rows[0].n;
    if (rows[0].n < batch) return total;
  }
}

/** Seals what is pending every `everyMs` (started by serve, worker and mail watch). */
export class AuditSealer extends PeriodicTask {
  constructor(sql: Sql, everyMs = 250, onError: (err: Error) => void = () => {}) {
    super(() => sealPending(sql), everyMs, onError);
  }
}
