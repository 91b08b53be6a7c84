import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, listOf } from '../platform/schemas';
import { CreditNoteIn, CreditNoteListQuery, CreditNoteOut } from './schemas';
import * as service from './service';
import { creditNoteOut } from './view';

const tags = ['Credit notes'];

export async function creditNoteRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/credit_notes',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Issue a credit note against a posted invoice, by lines or by a gross amount',
        body: CreditNoteIn,
        response: { 201: CreditNoteOut },
      },
    },
    async (req, reply) => reply.code(201).send(creditNoteOut(await service.issueCreditNote(req.ctx, req.body))),
  );
  app.get(
    '/credit_notes',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List credit notes',
        querystring: CreditNoteListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(CreditNoteOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, CreditNoteOut, 'credit_notes', async (q: typeof req.query) => {
        const page = await service.listCreditNotes(req.ctx, q);
        return { ...page, data: page.data.map(creditNoteOut) };
      }),
  );
  app.get(
    '/credit_notes/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a credit note', params: IdParam, response: { 200: CreditNoteOut } },
    },
    async (req) => creditNoteOut(await service.getCreditNote(req.ctx.db, req.ctx, req.params.id)),
  );
  app.post(
    '/credit_notes/:id/void',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Void a credit note nothing of which was used',
        params: IdParam,
        response: { 200: CreditNoteOut },
      },
    },
    async (req) => creditNoteOut(await service.voidCreditNote(req.ctx, req.params.id)),
  );
}
