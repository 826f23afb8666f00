// The OCR worker thread: lowers its own scheduling priority (nice 10, this thread only: Linux keeps a
// nice value per thread) and then runs tesseract.js's worker script. Recognition then gives way to the
// API's event loop and to the database when the machine is busy, instead of competing with them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) os.setPriority(tid, 10);
} catch {
  /* not Linux, or not permitted: run at normal priority */
}
const load = createRequire(import.meta.url);
load(path.join(path.dirname(load.resolve('tesseract.js/package.json')), 'src', 'worker-script', 'node', 'index.js'));
