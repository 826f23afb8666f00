// Request and response schemas of the case API (validation, serialisation and OpenAPI in one place).
import { Type } from '@fastify/type-provider-typebox';
import { STATUSES } from './transitions.ts';
import { INTERACTION_KINDS, DIRECTIONS } from './interactions.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const Reference = Type.String({ minLength: 1, maxLength: 64, description: 'Référence YYYY-NNNNNN (ou identifiant)' });
export const ChannelSchema = Type.Union(['phone', 'email', 'mail', 'portal', 'counter', 'api'].map((c) => Type.Literal(c)));
export const PrioritySchema = Type.Union(['low', 'normal', 'high', 'urgent'].map((c) => Type.Literal(c)));
export const StatusSchema = Type.Union(STATUSES.map((s) => Type.Literal(s)));

export const AttachmentRefSchema = Type.Object({
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  filename: Type.String({ minLength: 1, maxLength: 255 }),
});

export const InteractionInputSchema = Type.Object(
  {
    kind: Type.Union(INTERACTION_KINDS.map((k) => Type.Literal(k))),
    direction: Type.Optional(Type.Union(DIRECTIONS.map((d) => Type.Literal(d)))),
    subject: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    body: Type.Optional(Nullable(Type.String({ maxLength: 200_000 }))),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    attachments: Type.Optional(Type.Array(AttachmentRefSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const InlineContactSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid' })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    firstName: Type.Optional(Type.String({ maxLength: 100 })),
    lastName: Type.Optional(Type.String({ maxLength: 100 })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    orgName: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('organisation')])),
    segment: Type.Optional(Type.Union(['particulier', 'professionnel', 'association', 'collectivite'].map((s) => Type.Literal(s)))),
    address: Type.Optional(
      Type.Object({ line1: Type.String({ minLength: 1, maxLength: 200 }), line2: Type.Optional(Type.String({ maxLength: 200 })), postcode: Type.String({ pattern: '^\\d{5}$' }), city: Type.String({ minLength: 1, maxLength: 100 }) }),
    ),
  },
  { additionalProperties: false },
);

export const NewCaseSchema = Type.Object(
  {
    contact: Type.Optional(InlineContactSchema),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    channel: ChannelSchema,
    subject: Type.String({ minLength: 1, maxLength: 500 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 50_000 }))),
    priority: Type.Optional(PrioritySchema),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
    interaction: Type.Optional(InteractionInputSchema),
    resolvedLevel1: Type.Optional(Type.Boolean()),
    knowledgeArticle: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    unit: Type.Optional(Type.String({ maxLength: 63 })),
  },
  { additionalProperties: false },
);

export const CaseCreatedSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  status: Type.String(),
  unitId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  dueDate: Nullable(Type.String()),
  interactionId: Nullable(Type.String()),
  contactCreated: Type.Boolean(),
});

export const CaseListItemSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  priority: Type.String(),
  dueDate: Nullable(Type.String()),
  sla: Type.String(),
  tags: Type.Array(Type.String()),
  sensitive: Type.Boolean(),
  resolvedLevel1: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  contactName: Nullable(Type.String()),
  topicCode: Nullable(Type.String()),
  topicName: Nullable(Type.String()),
  unitCode: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
});

export const CaseListSchema = Type.Object({ items: Type.Array(CaseListItemSchema), nextCursor: Nullable(Type.String()) });

const Str = Type.String();
const Any = Type.Unknown();
export const CaseDetailSchema = Type.Object({
  id: Str,
  reference: Str,
  subject: Str,
  description: Nullable(Str),
  channel: Str,
  status: Str,
  resolvedLevel1: Type.Boolean(),
  priority: Str,
  tags: Type.Array(Str),
  sensitive: Type.Boolean(),
  dueDate: Nullable(Str),
  sla: Str,
  createdAt: Str,
  updatedAt: Str,
  closedAt: Nullable(Str),
  contact: Type.Union([
    Type.Object({ id: Str, displayName: Str, kind: Str, segment: Str, toCheck: Type.Boolean(), emails: Type.Array(Str), phones: Type.Array(Str) }),
    Type.Null(),
  ]),
  topic: Type.Union([Type.Object({ code: Str, name: Str, sensitive: Type.Boolean(), deadlineDays: Type.Number(), domainCode: Str, domainName: Str }), Type.Null()]),
  unit: Type.Union([Type.Object({ id: Str, code: Str, name: Str }), Type.Null()]),
  assignee: Type.Union([Type.Object({ id: Str, displayName: Str }), Type.Null()]),
  interactions: Type.Array(
    Type.Object({
      id: Str, kind: Str, direction: Str, occurredAt: Str, authorType: Str, authorLabel: Nullable(Str), subject: Nullable(Str),
      body: Nullable(Str), bodyHtml: Nullable(Str), metadata: Any,
      attachments: Type.Array(Type.Object({ id: Str, sha256: Str, filename: Str, mimeType: Str, size: Type.Number(), contentId: Nullable(Str) })),
    }),
  ),
  events: Type.Array(
    Type.Object({ id: Type.Number(), kind: Str, from: Nullable(Str), to: Nullable(Str), fromLabel: Nullable(Str), toLabel: Nullable(Str), reason: Nullable(Str), actorType: Str, actorLabel: Nullable(Str), data: Any, occurredAt: Str }),
  ),
  links: Type.Array(Type.Object({ kind: Str, reference: Str, subject: Str, status: Str, direction: Str })),
  abilities: Type.Object({ act: Type.Boolean(), annotate: Type.Boolean(), assign: Type.Boolean(), takeOwnership: Type.Boolean(), transitions: Type.Array(Str) }),
});
