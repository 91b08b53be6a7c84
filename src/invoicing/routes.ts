import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EventOut, eventOut } from '../events/schemas';
import { listEvents } from '../events/service';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  AsOfQuery,
  FlagsIn,
  InvoiceIn,
  InvoiceListQuery,
  InvoiceOut,
  InvoicePatch,
  InvoiceSummaryOut,
  InvoiceSummaryQuery,
} from './schemas';
import * as service from './service';
import { invoiceOut } from './view';

const tags = ['Invoices'];

export async function invoiceRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const out = (
    req: { ctx: { today: string; publicUrl: string } },
    row: Parameters<typeof invoiceOut>[0],
    asOf?: string,
  ) => invoiceOut(row, asOf ?? req.ctx.today, req.ctx.publicUrl);

  app.post(
    '/invoices',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Create a draft invoice', body: InvoiceIn, response: { 201: InvoiceOut } },
    },
    async (req, reply) => reply.code(201).send(out(req, await service.createDraft(req.ctx, req.body))),
  );
  app.get(
    '/invoices',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List invoices',
        querystring: InvoiceListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(InvoiceOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, InvoiceOut, 'invoices', async (q: typeof req.query) => {
        const page = await service.listInvoices(req.ctx, q);
        return { data: page.data.map((row) => out(req, row, page.asOf)), has_more: page.has_more };
      }),
  );
  app.get(
    '/invoices/summary',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Per currency: count, total and amount due of every invoice the list filters select',
        querystring: InvoiceSummaryQuery,
        response: { 200: InvoiceSummaryOut },
      },
    },
    async (req) => ({ data: await service.summarizeInvoices(req.ctx, req.query) }),
  );
  app.get(
    '/invoices/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Get an invoice',
        params: IdParam,
        querystring: AsOfQuery,
        response: { 200: InvoiceOut },
      },
    },
    async (req) => out(req, await service.getInvoice(req.ctx.db, req.ctx, req.params.id), req.query.as_of),
  );
  app.patch(
    '/invoices/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Change a draft', params: IdParam, body: InvoicePatch, response: { 200: InvoiceOut } },
    },
    async (req) => out(req, await service.updateDraft(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/invoices/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Delete a draft', params: IdParam, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteDraft(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );

  const action = (path: string, summary: string, access: 'sales' | 'finance', run: typeof service.postInvoice) =>
    app.post(
      `/invoices/:id/${path}`,
      {
        config: { access },
        schema: { tags, summary, params: IdParam, response: { [path === 'duplicate' ? 201 : 200]: InvoiceOut } },
      },
      async (req, reply) =>
        reply.code(path === 'duplicate' ? 201 : 200).send(out(req, await run(req.ctx, req.params.id))),
    );
  action('post', 'Post a draft: gives it its number and makes it immutable', 'finance', service.postInvoice);
  action('void', 'Void a posted invoice with nothing paid, credited or written off', 'finance', service.voidInvoice);
  action('mark_uncollectible', 'Write the amount due off to bad debt', 'finance', service.markUncollectible);
  action('duplicate', 'A new draft with the same customer and lines', 'sales', service.duplicateInvoice);

  app.patch(
    '/invoices/:id/flags',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Set disputed or reminders_paused (any status)',
        params: IdParam,
        body: FlagsIn,
        response: { 200: InvoiceOut },
      },
    },
    async (req) => out(req, await service.setFlags(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/invoices/:id/events',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The invoice\u2019s timeline',
        params: IdParam,
        querystring: ListQuery,
        response: { 200: listOf(EventOut) },
      },
    },
    async (req) => {
      await service.getInvoice(req.ctx.db, req.ctx, req.params.id);
      const page = await listEvents(req.ctx, { ...req.query, object: req.params.id });
      return { ...page, data: page.data.map(eventOut) };
    },
  );
}
