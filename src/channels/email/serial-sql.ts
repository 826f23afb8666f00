// Several file writes run side by side inside one transaction, each ending with its `files` row: the
// rows must still go to the one connection one statement at a time (node-postgres will not queue
// concurrent queries on a client any more). This view of a transaction chains them.
import type { Sql } from '../../platform/db/database.ts';

export function oneAtATime(sql: Sql): Sql {
  let last: Promise<unknown> = Promise.resolve();
  return {
    query(text, params) {
      const run = last.then(
        () => sql.query(text, params),
        () => sql.query(text, params),
      );
      last = run.catch(() => {});
      return run;
    },
  } as Sql;
}
