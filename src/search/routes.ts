import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SearchOut, SearchQuery } from './schemas';
import * as service from './service';

export async function searchRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/search',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Search'],
        summary: 'Customers, invoices, credit notes, quotes and payments matching the text (each kind at most limit)',
        querystring: SearchQuery,
        response: { 200: SearchOut },
      },
    },
    async (req) => ({ data: await service.search(req.ctx, req.query) }),
  );
}
