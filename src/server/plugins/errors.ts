// One error handler: domain errors, schema validation and framework errors all become
// { error: { code, message, fields? } } with the right status. Stack traces never leave the server.
import type { FastifyInstance, FastifyError } from 'fastify';
import { DomainError, TooManyRequests } from '../../platform/errors.ts';

function validationFields(err: FastifyError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const v of err.validation ?? []) {
    // A nullable field failing yields its real error plus a generic "anyOf" one: keep the real one.
    if ((v.keyword === 'anyOf' || v.keyword === 'oneOf') && (err.validation ?? []).length > 1) continue;
    const named = (v.params as any)?.missingProperty ?? (v.params as any)?.additionalProperty;
    const at = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const key = named ? (at ? `${at}.${named}` : named) : at || (err.validationContext ?? 'body');
    fields[key] = frenchValidationMessage(v.keyword, v.params as any, v.message);
  }
  return fields;
}

function frenchValidationMessage(keyword: string, params: any, fallback?: string): string {
  switch (keyword) {
    case 'required':
      return 'Champ obligatoire.';
    case 'type':
      return `Type attendu : ${params?.type}.`;
    case 'minLength':
      return params?.limit === 1 ? 'Champ obligatoire.' : `Au moins ${params?.limit} caractères.`;
    case 'maxLength':
      return `Au plus ${params?.limit} caractères.`;
    case 'enum':
      return `Valeur non autorisée (possibles : ${(params?.allowedValues ?? []).join(', ')}).`;
    case 'format':
      return `Format invalide (${params?.format}).`;
    case 'pattern':
      return 'Format invalide.';
    case 'minimum':
    case 'maximum':
      return `Valeur hors limites (${keyword === 'minimum' ? 'minimum' : 'maximum'} ${params?.limit}).`;
    case 'anyOf':
    case 'oneOf':
      return 'Valeur invalide.';
    case 'const':
      return `Valeur attendue : ${params?.allowedValue}.`;
    case 'additionalProperties':
      return `Champ inconnu : ${params?.additionalProperty}.`;
    default:
      return fallback ?? 'Valeur invalide.';
  }
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { retryAfterSeconds?: number }, req, reply) => {
    if (err instanceof DomainError) {
      if (err instanceof TooManyRequests) reply.header('retry-after', String(err.retryAfterSeconds));
      if (err.status >= 500) req.log.error({ err }, 'domain error');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
    }
    if (err.validation) {
      return reply.status(422).send({ error: { code: 'invalid', message: 'Certaines informations sont invalides.', fields: validationFields(err) } });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'too_many_requests', message: 'Trop de requêtes. Réessayez dans quelques instants.' } });
    }
    if (status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE' || err.code === 'FST_PARTS_LIMIT' || err.code === 'FST_FILES_LIMIT') {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'Fichier ou requête trop volumineux.' } });
    }
    if (status === 415) {
      return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'Format de requête non accepté.' } });
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, bad content-type, invalid multipart...: the client's fault, said plainly.
      return reply.status(400).send({ error: { code: 'bad_request', message: 'Requête mal formée.' } });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Erreur interne. Elle a été enregistrée ; réessayez plus tard.' } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: 'Introuvable.' } });
  });
}
