import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RequestContext } from '../platform/context';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  ContactIn,
  ContactOut,
  ContactPatch,
  CustomerIn,
  CustomerListQuery,
  CustomerOut,
  CustomerPatch,
  type CustomerRow,
  contactOut,
  customerOut,
} from './schemas';
import * as service from './service';

const tags = ['Customers'];

async function withIbans(ctx: RequestContext, c: CustomerRow) {
  return { ...customerOut(c), bank_accounts: await service.customerIbansOf(ctx.db, ctx, c.id) };
}

export async function crmRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/customers',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Create a customer', body: CustomerIn, response: { 201: CustomerOut } },
    },
    async (req, reply) =>
      reply.code(201).send(await withIbans(req.ctx, await service.createCustomer(req.ctx, req.body))),
  );
  app.get(
    '/customers',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List customers',
        querystring: CustomerListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(CustomerOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, CustomerOut, 'customers', async (q: typeof req.query) => {
        const page = await service.listCustomers(req.ctx, q);
        return { ...page, data: page.data.map(customerOut) };
      }),
  );
  app.get(
    '/customers/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a customer', params: IdParam, response: { 200: CustomerOut } },
    },
    async (req) => withIbans(req.ctx, await service.getCustomer(req.ctx.db, req.ctx, req.params.id)),
  );
  app.patch(
    '/customers/:id',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Change a customer',
        params: IdParam,
        body: CustomerPatch,
        response: { 200: CustomerOut },
      },
    },
    async (req) => withIbans(req.ctx, await service.updateCustomer(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/customers/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Delete a customer without documents', params: IdParam, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteCustomer(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/customers/:id/contacts',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Add a contact', params: IdParam, body: ContactIn, response: { 201: ContactOut } },
    },
    async (req, reply) =>
      reply.code(201).send(contactOut(await service.createContact(req.ctx, req.params.id, req.body))),
  );
  app.get(
    '/customers/:id/contacts',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List a customer\u2019s contacts',
        params: IdParam,
        querystring: ListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(ContactOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, ContactOut, 'contacts', async (q: typeof req.query) => {
        const page = await service.listContacts(req.ctx, req.params.id, q);
        return { ...page, data: page.data.map(contactOut) };
      }),
  );
  app.patch(
    '/contacts/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Change a contact', params: IdParam, body: ContactPatch, response: { 200: ContactOut } },
    },
    async (req) => contactOut(await service.updateContact(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/contacts/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Delete a contact', params: IdParam, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteContact(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
