// Typed job registry: job name → payload type → handler. Modules declare their payloads by
// augmenting `JobTypes`, so enqueueing a misspelt name or a wrong payload fails to compile.
import type { Database } from '../db/database.ts';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobTypes {}

export type JobName = keyof JobTypes & string;

export interface JobContext {
  db: Database;
  jobId: number;
  attempt: number;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface JobDefinition<P = any> {
  name: string;
  handler: (payload: P, ctx: JobContext) => Promise<void>;
  maxAttempts?: number;
  /** A run taking longer is presumed dead and the job becomes claimable again. */
  timeoutSeconds?: number;
  /**
   * Runs of this job get their own slots in each worker, this many at once, besides the shared slots
   * (GUICHET_JOB_CONCURRENCY) the other jobs take turns on. For I/O-bound jobs that mostly wait on the
   * database or the network, so that they neither starve nor are starved by CPU-bound ones.
   */
  concurrency?: number;
}

export class JobRegistry {
  private readonly defs = new Map<string, JobDefinition>();

  define<N extends JobName>(name: N, handler: JobDefinition<JobTypes[N]>['handler'], opts: Omit<JobDefinition, 'name' | 'handler'> = {}) {
    if (this.defs.has(name)) throw new Error(`job ${name} defined twice`);
    this.defs.set(name, { name, handler, ...opts });
    return this;
  }

  get(name: string): JobDefinition | undefined {
    return this.defs.get(name);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }
}
