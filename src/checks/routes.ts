import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CheckOut } from './schemas';
import { runChecks } from './service';

export async function checkRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/admin/check',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Admin'],
        summary: 'Verify the integrity invariants (the same checks as `arbor check`) for this organization',
        response: { 200: CheckOut },
      },
    },
    async (req) => {
      const violations = await runChecks(req.ctx.db, req.ctx.orgId, req.ctx.today);
      return { ok: violations.length === 0, violations };
    },
  );
}
