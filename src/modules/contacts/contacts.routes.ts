// HTTP routes of the contacts module: validate, call one service function, shape the answer.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { createContact, getContact, listDuplicates, updateContact } from './contacts.service.ts';
import { addAddress, addEmail, addLink, addPhone, removeDetail, removeLink, type DetailKind } from './details.service.ts';
import { mergeContacts } from './merge.ts';
import { searchContacts } from './search.ts';
import {
  AddressInputSchema,
  ContactAddressSchema,
  ContactEmailSchema,
  ContactLinkSchema,
  ContactPageSchema,
  ContactPhoneSchema,
  ContactSchema,
  CreateContactSchema,
  DuplicateCandidateSchema,
  EmailInputSchema,
  IdParamsSchema,
  ItemParamsSchema,
  LinkInputSchema,
  LinkParamsSchema,
  LinkQuerySchema,
  MergeInputSchema,
  PhoneInputSchema,
  SearchQuerySchema,
  UpdateContactSchema,
} from './contacts.schema.ts';

const tags = ['contacts'];
const NoContent = { 204: Type.Null(), ...ErrorResponses };

export function contactRoutes(rt: Runtime) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/contacts',
      {
        schema: {
          tags,
          summary: 'Rechercher un usager (nom sans accents, courriel, téléphone sous toute forme, SIRET/SIREN, RNA)',
          querystring: SearchQuerySchema,
          response: { 200: ContactPageSchema, ...ErrorResponses },
        },
      },
      async (req) => searchContacts(rt.db, req.actor, req.query),
    );

    app.post(
      '/api/v1/contacts',
      { schema: { tags, summary: 'Créer un usager (personne ou organisation)', body: CreateContactSchema, response: { 201: ContactSchema, ...ErrorResponses } } },
      async (req, reply) => reply.status(201).send(await createContact(rt.db, req.actor, req.body)),
    );

    app.get(
      '/api/v1/contacts/:id',
      { schema: { tags, summary: 'Fiche usager : identité, coordonnées, liens, demandes et échanges visibles', params: IdParamsSchema, response: { 200: ContactSchema, ...ErrorResponses } } },
      async (req) => getContact(rt.db, req.actor, req.params.id),
    );

    app.patch(
      '/api/v1/contacts/:id',
      { schema: { tags, summary: "Modifier l'identité d'un usager (ou la marquer vérifiée)", params: IdParamsSchema, body: UpdateContactSchema, response: { 200: ContactSchema, ...ErrorResponses } } },
      async (req) => updateContact(rt.db, req.actor, req.params.id, req.body),
    );

    app.post(
      '/api/v1/contacts/:id/emails',
      { schema: { tags, summary: 'Ajouter une adresse électronique', params: IdParamsSchema, body: EmailInputSchema, response: { 201: ContactEmailSchema, ...ErrorResponses } } },
      async (req, reply) => reply.status(201).send(await addEmail(rt.db, req.actor, req.params.id, req.body)),
    );
    app.post(
      '/api/v1/contacts/:id/phones',
      { schema: { tags, summary: 'Ajouter un numéro de téléphone', params: IdParamsSchema, body: PhoneInputSchema, response: { 201: ContactPhoneSchema, ...ErrorResponses } } },
      async (req, reply) => reply.status(201).send(await addPhone(rt.db, req.actor, req.params.id, req.body)),
    );
    app.post(
      '/api/v1/contacts/:id/addresses',
      { schema: { tags, summary: 'Ajouter une adresse postale', params: IdParamsSchema, body: AddressInputSchema, response: { 201: ContactAddressSchema, ...ErrorResponses } } },
      async (req, reply) => reply.status(201).send(await addAddress(rt.db, req.actor, req.params.id, req.body)),
    );

    const removals: Array<[string, DetailKind, string]> = [
      ['emails', 'email', 'Retirer une adresse électronique'],
      ['phones', 'phone', 'Retirer un numéro de téléphone'],
      ['addresses', 'address', 'Retirer une adresse postale'],
    ];
    for (const [path, kind, summary] of removals) {
      app.delete(
        `/api/v1/contacts/:id/${path}/:itemId`,
        { schema: { tags, summary, params: ItemParamsSchema, response: NoContent } },
        async (req, reply) => {
          await removeDetail(rt.db, req.actor, kind, req.params.id, req.params.itemId);
          return reply.status(204).send(null);
        },
      );
    }

    app.post(
      '/api/v1/contacts/:id/links',
      {
        schema: {
          tags,
          summary: 'Lier une personne à une organisation avec un rôle (trésorier, maire…)',
          params: IdParamsSchema,
          body: LinkInputSchema,
          response: { 201: ContactLinkSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await addLink(rt.db, req.actor, req.params.id, req.body)),
    );
    app.delete(
      '/api/v1/contacts/:id/links/:otherId',
      { schema: { tags, summary: 'Retirer un lien personne–organisation', params: LinkParamsSchema, querystring: LinkQuerySchema, response: NoContent } },
      async (req, reply) => {
        await removeLink(rt.db, req.actor, req.params.id, req.params.otherId, req.query.role);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/contacts/:id/duplicates',
      { schema: { tags, summary: 'Doublons possibles, avec leurs raisons', params: IdParamsSchema, response: { 200: Type.Object({ items: Type.Array(DuplicateCandidateSchema) }), ...ErrorResponses } } },
      async (req) => ({ items: await listDuplicates(rt.db, req.actor, req.params.id) }),
    );

    app.post(
      '/api/v1/contacts/:id/merge',
      {
        schema: {
          tags,
          summary: 'Fusionner une autre fiche (sourceId) dans celle-ci : demandes, échanges et coordonnées la rejoignent',
          params: IdParamsSchema,
          body: MergeInputSchema,
          response: { 200: ContactSchema, ...ErrorResponses },
        },
      },
      async (req) => {
        await mergeContacts(rt.db, req.actor, { targetId: req.params.id, sourceId: req.body.sourceId });
        // the counts of moved cases are not returned: they would reveal cases the reader may not see
        return getContact(rt.db, req.actor, req.params.id);
      },
    );
  };
}
