// Chrono numbers stay unique when many letters are registered at the same time, in both directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { formatChrono, nextChrono, parisYear } from './chrono.ts';

describe('mail chrono numbers', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx.close());

  it('formats YYYY-E-NNNNNN and YYYY-S-NNNNNN', () => {
    expect(formatChrono('in', 2026, 42)).toBe('2026-E-000042');
    expect(formatChrono('out', 2026, 1_234_567)).toBe('2026-S-1234567');
    expect(parisYear(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
  });

  it('never hands out the same number twice under concurrency', async () => {
    const run = (direction: 'in' | 'out') => ctx.rt.db.tx((tx) => nextChrono(tx, direction));
    const all = await Promise.all([...Array.from({ length: 40 }, () => run('in')), ...Array.from({ length: 20 }, () => run('out'))]);
    const incoming = all.slice(0, 40);
    expect(new Set(incoming).size).toBe(40);
    expect(new Set(all.slice(40)).size).toBe(20);
    for (const c of incoming) expect(c).toMatch(/^\d{4}-E-\d{6}$/);
    for (const c of all.slice(40)) expect(c).toMatch(/^\d{4}-S-\d{6}$/);
  });
});
