import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, IsoDate } from '../platform/schemas';
import { creditNotePdf, invoicePdf, invoicePdfZip, statementPdf } from './service';

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

  app.post(
    '/invoices/bulk_pdf',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Invoices'],
        summary: 'The PDFs of several invoices as one ZIP',
        body: z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(200) }),
        produces: ['application/zip'],
        response: { 200: z.any().meta({ description: 'application/zip' }) },
      },
    },
    async (req, reply) => {
      const archive = await invoicePdfZip(req.ctx, req.body.ids);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="invoices-${req.ctx.today}.zip"`)
        .send(archive);
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
