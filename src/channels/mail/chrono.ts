// Chrono numbers of the mail register: YYYY-E-NNNNNN (incoming) and YYYY-S-NNNNNN (outgoing), from one
// database sequence per year and direction (next_yearly_number), so concurrent registrations never
// share a number.
import type { Sql } from '../../platform/db/database.ts';

export type LetterDirection = 'in' | 'out';

export function parisYear(d: Date): number {
  return Number(d.toLocaleString('en-CA', { timeZone: 'Europe/Paris', year: 'numeric' }));
}

export function formatChrono(direction: LetterDirection, year: number, n: number): string {
  return `${year}-${direction === 'in' ? 'E' : 'S'}-${String(n).padStart(6, '0')}`;
}

export async function nextChrono(sql: Sql, direction: LetterDirection, at: Date = new Date()): Promise<string> {
  const year = parisYear(at);
  const { rows } = await sql.query<{ n: number }>(`SELECT next_yearly_number($1, $2) AS n`, [direction === 'in' ? 'letter_in' : 'letter_out', year]);
  return formatChrono(direction, year, Number(rows[0].n));
}
