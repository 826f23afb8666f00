// POST /api/v1/cti/events — the fixed, PBX-agnostic CTI webhook. Its own plugin scope keeps bodies as raw
// bytes (stored as received, signature computed on them) whatever the content type, so that even a body
// JSON cannot read is stored before being refused.
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../platform/runtime.ts';
import { receiveCtiEvent } from './cti.service.ts';

export function ctiRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    app.post(
      '/api/v1/cti/events',
      {
        schema: {
          tags: ['phone'],
          summary: 'Événement de téléphonie (CTI) : newCall, answer, hangup — JSON ou formulaire',
          description: 'Jeton d’intégration (portée cti:events). Si CTI_HMAC_SECRET est défini : en-tête X-Guichet-Signature: sha256=<HMAC-SHA256 hex du corps brut>.',
        },
      },
      async (req) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return receiveCtiEvent(rt.db, req.actor, { body, contentType: String(req.headers['content-type'] ?? ''), headers: req.headers }, {
          hmacSecret: rt.config.ctiHmacSecret, rejectWhenClosed: rt.config.ctiRejectWhenClosed, bus: rt.bus,
        });
      },
    );
  };
}
