import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InvoiceOut, WriteOffIn } from '../invoicing/schemas';
import { invoiceOut } from '../invoicing/view';
import { IdParam } from '../platform/schemas';
import * as service from './service';

const tags = ['Invoices'];

export async function receivableRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const out = (req: { ctx: { today: string; publicUrl: string } }, row: Parameters<typeof invoiceOut>[0]) =>
    invoiceOut(row, req.ctx.today, req.ctx.publicUrl);

  app.post(
    '/invoices/:id/write_off',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Write off a small remaining difference (at most settings.write_off_limit)',
        params: IdParam,
        body: WriteOffIn,
        response: { 200: InvoiceOut },
      },
    },
    async (req) => out(req, await service.writeOff(req.ctx, req.params.id, req.body)),
  );
}
