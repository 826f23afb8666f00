// Where the email channel spends its time, per phase (accepting a message, filing it): cumulative
// milliseconds and counts kept in memory, read by `npm run bench:email`. Costs a clock read per phase.
import { performance } from 'node:perf_hooks';

export class PhaseTimes {
  private readonly totals = new Map<string, { ms: number; n: number }>();

  /**
   * Adds the time since `t0` to `phase`, for `messages` messages handled together (a group commit:
   * the mean is then per message); returns now (the start of the next phase).
   */
  lap(phase: string, t0: number, messages = 1): number {
    const now = performance.now();
    const e = this.totals.get(phase) ?? { ms: 0, n: 0 };
    e.ms += now - t0;
    e.n += messages;
    this.totals.set(phase, e);
    return now;
  }

  snapshot(): Array<{ phase: string; n: number; totalMs: number; meanMs: number }> {
    return [...this.totals].map(([phase, e]) => ({ phase, n: e.n, totalMs: Math.round(e.ms), meanMs: Math.round((e.ms / e.n) * 100) / 100 }));
  }

  reset() {
    this.totals.clear();
  }
}

export const emailTimes = new PhaseTimes();

export const now = () => performance.now();

/** A stopwatch over `emailTimes`: each call charges the time since the previous one to `phase`. */
export function stopwatch(times = emailTimes): (phase: string) => void {
  let t = performance.now();
  return (phase) => {
    t = times.lap(phase, t);
  };
}
