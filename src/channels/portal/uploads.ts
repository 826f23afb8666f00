// Reads a multipart request (a message with attachments): every file is stored raw in the file store as
// it streams in (type sniffed and checked, size bounded), text fields are collected.
import type { FastifyRequest } from 'fastify';
import type { Runtime } from '../../platform/runtime.ts';
import { BadRequest, UnsupportedMediaType } from '../../platform/errors.ts';
import { sanitizeFilename } from '../../modules/cases/interactions.service.ts';
import { DEFAULT_UPLOAD_TYPES, MAX_UPLOAD_BYTES } from '../../modules/procedures/drafts.service.ts';

export interface ReceivedFile {
  sha256: string;
  filename: string;
  mimeType: string;
  size: number;
  field: string;
}

export async function readMultipart(rt: Runtime, req: FastifyRequest, opts: { maxFiles?: number; allowed?: string[] } = {}) {
  if (!req.isMultipart()) throw new UnsupportedMediaType('Envoyez le formulaire en multipart/form-data.');
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (files.length >= (opts.maxFiles ?? 10)) throw new BadRequest(`${opts.maxFiles ?? 10} fichiers au plus.`);
      const stored = await rt.files.put(rt.db, part.file, { declaredType: part.mimetype, allowed: opts.allowed ?? DEFAULT_UPLOAD_TYPES, maxBytes: MAX_UPLOAD_BYTES });
      if (part.file.truncated) throw new BadRequest('Fichier tronqué : trop volumineux.');
      files.push({ ...stored, filename: sanitizeFilename(part.filename || 'fichier'), field: part.fieldname });
    } else {
      fields[part.fieldname] = String(part.value ?? '').slice(0, 20_000);
    }
  }
  return { fields, files };
}
