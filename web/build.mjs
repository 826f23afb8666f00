#!/usr/bin/env node
// Builds the agent back office into web/dist. With --if-stale, does nothing when web/dist was built from
// the same sources: a sha256 of every file under web/ (but dist) and of package-lock.json is kept in
// web/dist/.source-hash, so `npm start` checks freshness in a few milliseconds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.join(webDir, 'dist');
const stampFile = path.join(distDir, '.source-hash');
const SKIP = new Set(['dist', 'node_modules']);

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (!/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

export function sourceHash() {
  const h = crypto.createHash('sha256');
  const lock = path.join(webDir, '..', 'package-lock.json');
  for (const f of [...walk(webDir), ...(fs.existsSync(lock) ? [lock] : [])]) {
    h.update(path.relative(webDir, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

const ifStale = process.argv.includes('--if-stale');
const hash = sourceHash();
const built = fs.existsSync(path.join(distDir, 'index.html'));
if (ifStale && built && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === hash) process.exit(0);

// A production build whatever the caller's environment (vitest sets NODE_ENV=test).
process.env.NODE_ENV = 'production';
let vite;
try {
  vite = await import('vite');
} catch {
  // Installed without dev dependencies: serve the build that is there, if any.
  if (built) {
    console.warn('web: Vite absent (dépendances de développement non installées) — le back office existant est servi tel quel.');
    process.exit(0);
  }
  console.error('web: impossible de construire le back office : Vite est absent. Lancez `npm ci` (avec les dépendances de développement).');
  process.exit(1);
}
const t0 = Date.now();
console.log('Construction du back office des agents (web/dist)…');
await vite.build({ configFile: path.join(webDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
fs.writeFileSync(stampFile, `${hash}\n`);
console.log(`Back office construit en ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
