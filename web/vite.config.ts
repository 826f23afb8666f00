// Build of the agent back office: served by Fastify under /agents/ (src/server/web.ts).
// `npm run dev:web` serves it with hot reload and proxies /api to a running `npm start` (port 3000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/agents/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Modern browsers only: no inline polyfill (the CSP forbids inline scripts anyway).
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // .vite/manifest.json: which chunks the first screen loads (npm run bench:web sums them).
    manifest: true,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
