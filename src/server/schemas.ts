// Shared response schemas: the error shape every route may answer with.
import { Type } from '@fastify/type-provider-typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  },
  { $id: 'ErrorBody' },
);

const ref = Type.Unsafe<{ error: { code: string; message: string; fields?: Record<string, string> } }>({ $ref: 'ErrorBody#' });

export const ErrorResponses = {
  400: ref,
  401: ref,
  403: ref,
  404: ref,
  409: ref,
  413: ref,
  422: ref,
  429: ref,
} as const;
