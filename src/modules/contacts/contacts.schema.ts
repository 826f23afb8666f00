// HTTP shapes of the contacts module (TypeBox). Response schemas double as serializers: a field not
// listed here never leaves the server. The TypeScript types of the module derive from them.
import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const KINDS = ['person', 'organisation'] as const;
export const SEGMENTS = ['particulier', 'professionnel', 'association', 'collectivite'] as const;
export const ORG_TYPES = ['association', 'company', 'commune', 'public_body'] as const;
export const CIVILITIES = ['M.', 'Mme'] as const;

export type ContactKind = (typeof KINDS)[number];
export type Segment = (typeof SEGMENTS)[number];
export type OrgType = (typeof ORG_TYPES)[number];
export type Civility = (typeof CIVILITIES)[number];

// Spelled out (not mapped from the arrays) so that TypeScript keeps the literal types.
export const KindSchema = Type.Union([Type.Literal('person'), Type.Literal('organisation')]);
export const SegmentSchema = Type.Union([Type.Literal('particulier'), Type.Literal('professionnel'), Type.Literal('association'), Type.Literal('collectivite')]);
export const OrgTypeSchema = Type.Union([Type.Literal('association'), Type.Literal('company'), Type.Literal('commune'), Type.Literal('public_body')]);
export const CivilitySchema = Type.Union([Type.Literal('M.'), Type.Literal('Mme')]);

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------
const Label = Type.String({ maxLength: 60 });

export const EmailInputSchema = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 320 }), label: Type.Optional(Nullable(Label)) },
  { additionalProperties: false },
);
export const PhoneInputSchema = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 40 }), label: Type.Optional(Nullable(Label)) },
  { additionalProperties: false },
);
export const AddressInputSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    postcode: Type.String({ minLength: 1, maxLength: 12 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    label: Type.Optional(Nullable(Label)),
  },
  { additionalProperties: false },
);

const identityFields = {
  orgType: Type.Optional(Nullable(OrgTypeSchema)),
  civility: Type.Optional(Nullable(CivilitySchema)),
  firstName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  lastName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  orgName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  birthDate: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  siret: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  siren: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  rna: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  inseeCode: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
};

export const CreateContactSchema = Type.Object(
  {
    kind: KindSchema,
    segment: SegmentSchema,
    ...identityFields,
    emails: Type.Optional(Type.Array(EmailInputSchema, { maxItems: 20 })),
    phones: Type.Optional(Type.Array(PhoneInputSchema, { maxItems: 20 })),
    addresses: Type.Optional(Type.Array(AddressInputSchema, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type CreateContactInput = Static<typeof CreateContactSchema>;

export const UpdateContactSchema = Type.Object(
  { segment: Type.Optional(SegmentSchema), ...identityFields, toCheck: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type UpdateContactInput = Static<typeof UpdateContactSchema>;
export type EmailInput = Static<typeof EmailInputSchema>;
export type PhoneInput = Static<typeof PhoneInputSchema>;
export type AddressInput = Static<typeof AddressInputSchema>;

export const LinkInputSchema = Type.Object(
  {
    organisationId: Type.Optional(Type.String({ maxLength: 36 })),
    personId: Type.Optional(Type.String({ maxLength: 36 })),
    role: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type LinkInput = Static<typeof LinkInputSchema>;

export const MergeInputSchema = Type.Object({ sourceId: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });

export const SearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuerySchema>;

// Ids are checked by the service, not the schema: a malformed id is "not found" (404), like an unknown one.
export const IdParamsSchema = Type.Object({ id: Type.String() });
export const ItemParamsSchema = Type.Object({ id: Type.String(), itemId: Type.String() });
export const LinkParamsSchema = Type.Object({ id: Type.String(), otherId: Type.String() });
export const LinkQuerySchema = Type.Object({ role: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------
export const ContactEmailSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
  // set by bounce handling: the address no longer receives mail
  failingSince: Nullable(Type.String()),
  failureReason: Nullable(Type.String()),
});
export const ContactPhoneSchema = Type.Object({
  id: Type.String(),
  e164: Type.String(),
  display: Type.String(),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
});
export const ContactAddressSchema = Type.Object({
  id: Type.String(),
  line1: Type.String(),
  line2: Nullable(Type.String()),
  postcode: Type.String(),
  city: Type.String(),
  country: Type.String(),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
});
export const LinkedContactSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  kind: KindSchema,
  role: Type.String(),
  confirmed: Type.Boolean(),
});
export const ContactLinkSchema = Type.Object({ personId: Type.String(), organisationId: Type.String(), role: Type.String() });
export const ContactCaseSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  topicName: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  createdAt: Type.String(),
});
export const ContactInteractionSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  direction: Type.String(),
  occurredAt: Type.String(),
  subject: Nullable(Type.String()),
  caseId: Type.String(),
  caseReference: Type.String(),
});

export const ContactSchema = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  segment: SegmentSchema,
  orgType: Nullable(OrgTypeSchema),
  civility: Nullable(CivilitySchema),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  displayName: Type.String(),
  birthDate: Nullable(Type.String()),
  siret: Nullable(Type.String()),
  siren: Nullable(Type.String()),
  rna: Nullable(Type.String()),
  inseeCode: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  toCheck: Type.Boolean(),
  // the surviving contact when this one was merged into another: read that one instead
  mergedInto: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  emails: Type.Array(ContactEmailSchema),
  phones: Type.Array(ContactPhoneSchema),
  addresses: Type.Array(ContactAddressSchema),
  // organisations this person acts for, and persons acting for this organisation
  organisations: Type.Array(LinkedContactSchema),
  people: Type.Array(LinkedContactSchema),
  // only what the reader may see (case visibility rules)
  cases: Type.Array(ContactCaseSchema),
  casesTotal: Type.Integer(),
  interactions: Type.Array(ContactInteractionSchema),
});

export const ContactBriefSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  kind: KindSchema,
  segment: SegmentSchema,
  toCheck: Type.Boolean(),
  mergedInto: Nullable(Type.String()),
  emails: Type.Array(Type.String()),
  phones: Type.Array(Type.String()),
});
export const ContactListItemSchema = Type.Object({
  ...ContactBriefSchema.properties,
  postcode: Nullable(Type.String()),
  city: Nullable(Type.String()),
});
export const ContactPageSchema = Type.Object({ items: Type.Array(ContactListItemSchema), nextCursor: Nullable(Type.String()) });

export const DuplicateCandidateSchema = Type.Object({
  ...ContactListItemSchema.properties,
  reasonCodes: Type.Array(Type.String()),
  reasons: Type.Array(Type.String()),
});

export type ContactEmail = Static<typeof ContactEmailSchema>;
export type ContactPhone = Static<typeof ContactPhoneSchema>;
export type ContactAddress = Static<typeof ContactAddressSchema>;
export type LinkedContact = Static<typeof LinkedContactSchema>;
export type ContactLink = Static<typeof ContactLinkSchema>;
export type ContactCase = Static<typeof ContactCaseSchema>;
export type ContactInteraction = Static<typeof ContactInteractionSchema>;
export type Contact = Static<typeof ContactSchema>;
export type ContactBrief = Static<typeof ContactBriefSchema>;
export type ContactListItem = Static<typeof ContactListItemSchema>;
export type ContactPage = Static<typeof ContactPageSchema>;
export type DuplicateCandidate = Static<typeof DuplicateCandidateSchema>;
