// `guichet staffing` prints the agents needed on its last line as `agents: N`.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) => execFileSync(process.execPath, ['bin/guichet.mjs', 'staffing', ...args], { encoding: 'utf8' }).trim().split('\n').at(-1);

describe('guichet staffing', () => {
  it('prints the Erlang C worked examples on its last line', () => {
    expect(run('--calls-per-hour', '200', '--aht', '180', '--target', '0.8', '--within', '20')).toBe('agents: 14');
    expect(run('--calls-per-hour', '200', '--aht', '180', '--target', '0.8', '--within', '20', '--shrinkage', '0.3')).toBe('agents: 20');
    expect(run('--calls-per-hour', '250', '--aht', '330', '--target', '0.8', '--within', '30')).toBe('agents: 28');
  });
  it('exits 2 with a French message on bad input', () => {
    expect(() => execFileSync(process.execPath, ['bin/guichet.mjs', 'staffing', '--aht', '0'], { stdio: 'pipe' })).toThrow();
  });
});
