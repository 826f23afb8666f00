// Domain errors thrown by services; one Fastify handler (server/plugins/errors.ts) maps them to HTTP.
// Messages are shown to people: French. Codes are stable identifiers for programs.

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

export class BadRequest extends DomainError {
  constructor(message = 'Requête invalide.', code = 'bad_request') {
    super(400, code, message);
  }
}
export class Unauthorized extends DomainError {
  constructor(message = 'Authentification requise.', code = 'unauthorized') {
    super(401, code, message);
  }
}
export class Forbidden extends DomainError {
  constructor(message = "Vous n'avez pas le droit d'effectuer cette action.", code = 'forbidden') {
    super(403, code, message);
  }
}
export class NotFound extends DomainError {
  constructor(message = 'Introuvable.', code = 'not_found') {
    super(404, code, message);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(message = 'Fichier ou requête trop volumineux.', code = 'payload_too_large') {
    super(413, code, message);
  }
}
export class UnsupportedMediaType extends DomainError {
  constructor(message = 'Type de fichier non accepté.', code = 'unsupported_media_type') {
    super(415, code, message);
  }
}
export class Invalid extends DomainError {
  constructor(fields: FieldErrors, message = 'Certaines informations sont invalides.', code = 'invalid') {
    super(422, code, message, fields);
  }
}
export class TooManyRequests extends DomainError {
  constructor(
    message = 'Trop de tentatives. Réessayez dans quelques minutes.',
    readonly retryAfterSeconds = 60,
  ) {
    super(429, 'too_many_requests', message);
  }
}
