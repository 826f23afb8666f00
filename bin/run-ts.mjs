#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, tools) with the same loader as the `guichet` command.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const script = process.argv[2];
if (!script) {
  console.error('usage: run-ts.mjs SCRIPT.ts [args...]');
  process.exit(2);
}
process.argv.splice(1, 1);
await import(pathToFileURL(path.resolve(script)).href);
