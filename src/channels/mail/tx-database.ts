// Runs a service that takes a Database (createCase, addInteraction...) inside a transaction we already
// hold, so that a letter's qualification and the case it creates commit together or not at all.
import type { Database, Tx } from '../../platform/db/database.ts';

export function inTransaction(db: Database, tx: Tx): Database {
  return {
    kind: db.kind,
    pool: db.pool,
    query: (text, params) => tx.query(text, params),
    tx: (fn) => fn(tx),
    close: async () => {},
  };
}
