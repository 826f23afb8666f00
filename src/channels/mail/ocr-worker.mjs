// The OCR worker thread: lowers its own scheduling priority (nice 10, this thread only: Linux keeps a
// nice value per thread) and then runs tesseract.js's worker script. Recognition then gives way to the
// API's event loop and to the database when the machine is busy, instead of competing with them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { createRequire } from 'node:module';

try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) os.setPriority(tid, 10);
} catch {
  /* not Linux, or not permitted: run at normal priority */
}
// Relaxed SIMD (faster int8 dot products in the LSTM): tesseract.js loads its relaxed-SIMD
// build when the engine has the feature. Node 20's V8 (11.3) has it behind a flag (on by default from
// V8 11.4); the flag only lets such wasm compile, and must be set before tesseract.js compiles its core.
// Same text on our test pages, about 10-20 % faster. GUICHET_OCR_RELAXED_SIMD=0 leaves it off.
if (process.env.GUICHET_OCR_RELAXED_SIMD !== '0') {
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    /* unknown flag (newer Node: on by default) */
  }
}
const load = createRequire(import.meta.url);
load(path.join(path.dirname(load.resolve('tesseract.js/package.json')), 'src', 'worker-script', 'node', 'index.js'));
