import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listOf } from '../platform/schemas';
import { EventListQuery, EventOut, eventOut } from './schemas';
import { listEvents } from './service';

export async function eventRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/events',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Events'],
        summary: 'Every state change, newest first',
        querystring: EventListQuery,
        response: { 200: listOf(EventOut) },
      },
    },
    async (req) => {
      const page = await listEvents(req.ctx, req.query);
      return { ...page, data: page.data.map(eventOut) };
    },
  );
}
