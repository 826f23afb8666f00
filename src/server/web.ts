// Serves the agent back office (the React build in web/dist) under /agents/: hashed assets with a
// year-long immutable cache, every other path answered with index.html (deep links such as
// /agents/demandes/2026-000123 are routed in the browser). The API under /api/ is not touched.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_BASE = '/agents/';
export const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

const NOT_BUILT = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Guichet</title></head>
<body><main><h1>Le back office n’est pas construit</h1><p>Lancez <code>npm run build:web</code> (ou <code>npm start</code>, qui le construit), puis rechargez la page.</p></main></body></html>`;

export async function registerWeb(app: FastifyInstance, opts: { root?: string } = {}) {
  const root = opts.root ?? DEFAULT_WEB_ROOT;
  await app.register(fastifyStatic, { root, prefix: WEB_BASE, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    // The shell is tiny and names the current hashed assets: always revalidated.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };

  // The front door for citizens is the portal; agents have their own address (/agents/).
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/portail'));
  app.get('/agents', { schema: { hide: true } }, async (_req, reply) => reply.redirect(WEB_BASE));
  app.get('/agents/*', { schema: { hide: true } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'] ?? '';
    const file = path.normalize(rel);
    const isFile = /\.[a-z0-9]{1,8}$/i.test(rel);
    const hidden = file.split(path.sep).some((seg) => seg.startsWith('.')); // .vite/manifest.json, .source-hash
    if (isFile && !hidden && !path.isAbsolute(file) && rel !== 'index.html') {
      const abs = path.join(root, file);
      if (abs.startsWith(root + path.sep) && fs.existsSync(abs) && fs.statSync(abs).isFile()) {
        const hashed = file.startsWith(`assets${path.sep}`);
        return reply.sendFile(file, root, hashed ? { maxAge: '365d', immutable: true } : { maxAge: '1h' });
      }
      // A missing asset is a 404, not the app shell (a stale tab asking for an old chunk must fail clearly).
      return reply.status(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Fichier introuvable.');
    }
    return sendIndex(reply);
  });
}
