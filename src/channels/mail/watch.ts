// The hot folder: scanners drop files in a folder; each file that has stopped growing is taken in
// (stored raw, batch created) and then moved to « traites/ » — or to « refuses/ » with a « .motif.txt »
// explaining why. A crash between intake and the move re-imports the same bytes, which the batch list
// flags as a duplicate; nothing is lost.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { systemActor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { intakeScan, type IntakeResult } from './intake.service.ts';

export const DONE_DIR = 'traites';
export const REFUSED_DIR = 'refuses';

export interface Watcher {
  stop(): Promise<void>;
  /** One pass now (tests). */
  scan(): Promise<IntakeResult[]>;
}

export function watchFolder(rt: Runtime, dir: string, opts: { intervalMs?: number; onIntake?: (file: string, r: IntakeResult) => void } = {}): Watcher {
  fs.mkdirSync(path.join(dir, DONE_DIR), { recursive: true });
  fs.mkdirSync(path.join(dir, REFUSED_DIR), { recursive: true });
  const seen = new Map<string, number>(); // name → size at the previous pass
  const actor = systemActor('dépôt de numérisation');
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;

  async function takeIn(name: string, force: boolean): Promise<IntakeResult | null> {
    const full = path.join(dir, name);
    const st = await fsp.stat(full).catch(() => null);
    if (!st?.isFile()) return null;
    if (!force && seen.get(name) !== st.size) {
      seen.set(name, st.size); // still being written, perhaps: wait for a stable size
      return null;
    }
    seen.delete(name);
    const r = await intakeScan(rt, actor, { filename: name, data: fs.createReadStream(full), source: 'watch' });
    const target = path.join(dir, r.status === 'rejected' ? REFUSED_DIR : DONE_DIR, `${Date.now()}-${name}`);
    await fsp.rename(full, target);
    if (r.status === 'rejected') await fsp.writeFile(`${target}.motif.txt`, `${r.reason}\n`);
    opts.onIntake?.(name, r);
    return r;
  }

  async function pass(force: boolean): Promise<IntakeResult[]> {
    const out: IntakeResult[] = [];
    const names = (await fsp.readdir(dir)).filter((n) => !n.startsWith('.') && n !== DONE_DIR && n !== REFUSED_DIR).sort();
    for (const n of names) {
      if (stopped) break;
      try {
        const r = await takeIn(n, force);
        if (r) out.push(r);
      } catch (err) {
        rt.log.error({ err, file: n }, 'mail hot folder: intake failed');
      }
    }
    return out;
  }

  const tick = () => {
    running = pass(false).finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 2000);
    });
  };
  timer = setTimeout(tick, opts.intervalMs ?? 2000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    scan: () => pass(true),
  };
}
