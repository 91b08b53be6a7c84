import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../platform/schemas';
import { invoicePdf } from './service';

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
}
