// French OCR with tesseract.js, fully offline (traineddata from @tesseract.js-data/fra), on a pool of
// workers sized to the machine. Each worker is a worker thread: recognition never blocks the event
// loop that serves the API. Workers start lazily and stop after a quiet minute.
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createWorker, OEM, type Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);

export interface OcrResult {
  text: string;
  /** Mean word confidence, 0..100. */
  confidence: number;
}

/** Folder holding fra.traineddata.gz: the LSTM "best_int" model (good accuracy, fast integer maths). */
export function frenchLangPath(): string {
  const pkg = path.dirname(require.resolve('@tesseract.js-data/fra/package.json'));
  return path.join(pkg, '4.0.0_best_int');
}

/** Page segmentation mode: one uniform block of text (the bench gives the tesseract CLI the same). */
export const OCR_PSM = '6';

/** Our worker entry: tesseract.js's worker script at a lower thread priority (see ocr-worker.mjs). */
const WORKER_PATH = fileURLToPath(new URL('./ocr-worker.mjs', import.meta.url));

interface Task {
  image: Buffer;
  resolve: (r: OcrResult) => void;
  reject: (e: unknown) => void;
}

export class OcrPool {
  private readonly idle: Worker[] = [];
  private starting = 0;
  private busy = 0;
  private readonly queue: Task[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly size = os.availableParallelism(),
    private readonly idleMs = 60_000,
  ) {}

  recognize(image: Buffer): Promise<OcrResult> {
    if (this.closed) return Promise.reject(new Error('OCR pool closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ image, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    while (this.queue.length && this.idle.length) this.run(this.idle.pop()!, this.queue.shift()!);
    const total = this.idle.length + this.busy + this.starting;
    if (this.queue.length > this.starting && total < this.size) {
      this.starting++;
      void this.spawn();
    }
    if (!this.queue.length && !this.busy && !this.starting && this.idle.length) {
      this.idleTimer = setTimeout(() => void this.close(false), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private async spawn() {
    try {
      const w = await createWorker('fra', OEM.LSTM_ONLY, { langPath: frenchLangPath(), gzip: true, cacheMethod: 'none', workerPath: WORKER_PATH });
      // Inverted-text retries cost time on every doubtful line; letters are dark on light. The page is
      // read as one block of text (PSM 6, the library's default, said explicitly): a letter's sender
      // block stays together (with automatic layout, PSM 3, its lines come apart into blocks).
      await w.setParameters({ tessedit_do_invert: '0', tessedit_pageseg_mode: OCR_PSM } as any);
      this.starting--;
      if (this.closed) return void w.terminate();
      this.idle.push(w);
    } catch (err) {
      this.starting--;
      const t = this.queue.shift();
      t?.reject(err);
    }
    this.pump();
  }

  private run(w: Worker, t: Task) {
    this.busy++;
    w.recognize(t.image, {}, { text: true, blocks: false, hocr: false, tsv: false })
      .then(
        (r) => t.resolve({ text: r.data.text ?? '', confidence: Math.round(r.data.confidence ?? 0) }),
        (err) => t.reject(err),
      )
      .finally(() => {
        this.busy--;
        if (this.closed) void w.terminate();
        else this.idle.push(w);
        this.pump();
      });
  }

  /** Stops idle workers; with `final`, refuses new work too. */
  async close(final = true) {
    if (final) this.closed = true;
    const ws = this.idle.splice(0);
    await Promise.all(ws.map((w) => w.terminate().catch(() => undefined)));
  }
}

let shared: OcrPool | null = null;

export function sharedOcrPool(size?: number): OcrPool {
  shared ??= new OcrPool(size);
  return shared;
}

export async function closeSharedOcrPool() {
  const p = shared;
  shared = null;
  await p?.close(true);
}
