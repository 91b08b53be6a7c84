import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDate } from '../platform/schemas';
import * as service from './service';

const tags = ['Imports'];
const MAX_BYTES = 64 * 1024 * 1024;

const RowErrorOut = z.object({
  row: z.number().int().meta({ description: '1 = the first data row; 0 = the header' }),
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
const ImportOut = z
  .object({
    kind: z.string(),
    dry_run: z.boolean(),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    errors: z.array(RowErrorOut),
  })
  .catchall(z.unknown());

export async function importRoutes(base: FastifyInstance) {
  base.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: MAX_BYTES },
    (_req, body, done) => done(null, body),
  );
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/imports/:kind',
    {
      config: { access: 'finance' },
      bodyLimit: MAX_BYTES,
      schema: {
        tags,
        summary: 'Import CSV rows (customers, contacts, products, leads, open_invoices): all or nothing, or a dry run',
        consumes: ['text/csv'],
        params: z.object({
          kind: z.string().max(40).meta({ description: 'customers, contacts, products, leads or open_invoices' }),
        }),
        querystring: z.object({
          dry_run: z.enum(['true', 'false']).default('false'),
          opening_date: IsoDate.optional().meta({
            description: 'open_invoices: the day the balances are taken over (default today)',
          }),
        }),
        response: { 200: ImportOut, 422: ImportOut },
      },
    },
    async (req, reply) => {
      const { ok, result } = await service.runImport(
        req.ctx,
        req.params.kind,
        typeof req.body === 'string' ? req.body : '',
        req.query.dry_run === 'true',
        { opening_date: req.query.opening_date },
      );
      return reply.code(ok ? 200 : 422).send(result);
    },
  );
}
