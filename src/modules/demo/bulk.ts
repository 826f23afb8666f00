// Batched multi-row inserts that work the same on PGlite and PostgreSQL: one statement per batch,
// one array parameter per column, `INSERT … SELECT … FROM unnest($1::uuid[], $2::text[], …)`.
import type { Sql } from '../../platform/db/database.ts';

export type ColumnType = 'uuid' | 'text' | 'int' | 'bigint' | 'float8' | 'bool' | 'timestamptz' | 'date' | 'jsonb' | 'text[]';

export interface Column {
  name: string;
  type: ColumnType;
}

// text[] values travel as one string joined with the unit separator, split back in SQL
// (unnest would flatten a two-dimensional array).
const SEP = '\u001f';

function paramType(t: ColumnType): string {
  switch (t) {
    case 'jsonb':
    case 'text[]':
      return 'text[]';
    case 'bool':
      return 'boolean[]';
    default:
      return `${t}[]`;
  }
}

function selectExpr(c: Column, i: number): string {
  const v = `u.c${i}`;
  if (c.type === 'jsonb') return `${v}::jsonb`;
  if (c.type === 'text[]') return `coalesce(string_to_array(${v}, chr(31)), '{}'::text[])`;
  return v;
}

function cell(c: Column, v: unknown): unknown {
  if (v === undefined || v === null) return c.type === 'text[]' ? '' : null;
  if (v instanceof Date) return v.toISOString();
  if (c.type === 'jsonb') return JSON.stringify(v);
  if (c.type === 'text[]') return (v as string[]).join(SEP);
  return v;
}

/** Inserts `rows` (arrays aligned with `columns`) in batches; returns the number of rows inserted. */
export async function insertRows(
  sql: Sql,
  table: string,
  columns: Column[],
  rows: unknown[][],
  opts: { batchSize?: number; onConflict?: string } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 1000;
  if (!rows.length) return 0;
  const text =
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) ` +
    `SELECT ${columns.map(selectExpr).join(', ')} ` +
    `FROM unnest(${columns.map((c, i) => `$${i + 1}::${paramType(c.type)}`).join(', ')}) ` +
    `AS u(${columns.map((_, i) => `c${i}`).join(', ')})` +
    (opts.onConflict ? ` ON CONFLICT ${opts.onConflict}` : '');
  let inserted = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const params = columns.map((c, i) => batch.map((r) => cell(c, r[i])));
    const res = await sql.query(text, params);
    inserted += res.rowCount ?? batch.length;
  }
  return inserted;
}

/** Column list shorthand: `cols('id:uuid', 'name:text', …)`. */
export function cols(...specs: string[]): Column[] {
  return specs.map((s) => {
    const [name, type] = s.split(':');
    return { name, type: type as ColumnType };
  });
}
