// End-to-end setup: the back office must be built (web/dist, rebuilt only when its sources changed) and
// Debian's Chromium present (scripts/install-system-deps.sh installs it; no browser is ever downloaded).
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { CHROMIUM } from './browser.ts';

export default function setup() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium introuvable (${CHROMIUM}) : lancez scripts/install-system-deps.sh (apt-get install chromium).`);
  }
  execFileSync(process.execPath, ['web/build.mjs', '--if-stale'], { stdio: 'inherit' });
}
