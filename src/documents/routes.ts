import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, IsoDate } from '../platform/schemas';
import { creditNotePdf, invoicePdf, statementPdf } from './service';

export const PdfOut = z.any().meta({ description: 'application/pdf' });

export async function documentRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/invoices/:id/pdf',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Invoices'],
        summary: 'The invoice as PDF (drafts say DRAFT)',
        params: IdParam,
        produces: ['application/pdf'],
        response: { 200: PdfOut },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await invoicePdf(req.ctx, req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
    },
  );

  app.get(
    '/credit_notes/:id/pdf',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Credit notes'],
        summary: 'The credit note as PDF',
        params: IdParam,
        produces: ['application/pdf'],
        response: { 200: PdfOut },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await creditNotePdf(req.ctx, req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
    },
  );
  app.get(
    '/customers/:id/statement/pdf',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Customers'],
        summary: 'The customer statement as PDF',
        params: IdParam,
        querystring: z.object({ from: IsoDate.optional(), to: IsoDate.optional() }),
        produces: ['application/pdf'],
        response: { 200: PdfOut },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await statementPdf(req.ctx, req.params.id, req.query);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
    },
  );
}
