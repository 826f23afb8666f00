// A background task run every `everyMs` in this process (audit sealing, queue vacuum): one run at a
// time (a tick that finds the previous run still going is skipped), errors reported, never thrown, and
// a timer that does not keep the process alive. stop() waits for the run in progress.
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.task()
        .then(() => undefined)
        .catch((err) => this.onError(err))
        .finally(() => (this.running = null));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
