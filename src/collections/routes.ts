import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Jobs } from '../platform/jobs';
import { IdParam, IsoDate, ListQuery, listOf } from '../platform/schemas';
import { ReminderPolicy } from './policy';
import { PromiseIn, PromiseOut, promiseOut, WorklistItem, WorklistQuery } from './schemas';
import * as service from './service';

const tags = ['Collections'];
const RunOut = z.object({
  as_of: z.string(),
  dry_run: z.boolean(),
  sent: z.number().int(),
  skipped: z.number().int(),
  promises_broken: z.number().int(),
  reminders: z.array(
    z.object({
      invoice: z.string(),
      invoice_number: z.string().nullable(),
      customer: z.string(),
      customer_name: z.string(),
      currency: z.string(),
      amount_due: z.string(),
      to: z.array(z.string()),
      step: z.number().int(),
      offset_days: z.number().int(),
      email: z.string().nullable().meta({ description: 'null in a dry run' }),
      late_fee: z.string().nullable(),
      late_fee_invoice: z.string().nullable().meta({ description: 'null in a dry run' }),
    }),
  ),
  errors: z.array(z.object({ invoice: z.string(), code: z.string(), message: z.string() })),
});

export function collectionRoutes(opts: { smtpConfigured: boolean; jobs: Jobs }) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/settings/reminder_policy',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'The reminder (dunning) policy', response: { 200: ReminderPolicy } },
      },
      async (req) => service.getPolicy(req.ctx.db, req.ctx),
    );
    app.put(
      '/settings/reminder_policy',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary:
            'Set the reminder policy: steps relative to the due date, each with its template and an optional late fee',
          body: ReminderPolicy,
          response: { 200: ReminderPolicy },
        },
      },
      async (req) => service.putPolicy(req.ctx, req.body),
    );
    app.post(
      '/reminders/run',
      {
        config: { access: 'finance' },
        schema: {
          tags,
          summary:
            'Send the reminders due on as_of (default today); each step at most once per invoice. dry_run: the same answer, nothing written or sent',
          body: z.object({ as_of: IsoDate.optional(), dry_run: z.boolean().optional() }),
          response: { 200: RunOut },
        },
      },
      async (req) => {
        return service.runReminders(req.ctx, req.body.as_of ?? req.ctx.today, opts.smtpConfigured, {
          dryRun: req.body.dry_run === true,
        });
      },
    );
    app.post(
      '/invoices/:id/promises',
      {
        config: { access: 'sales' },
        schema: {
          tags,
          summary:
            'Record a promise to pay (amount, date): reminders wait while it is open; sales reps only for customers they own',
          params: IdParam,
          body: PromiseIn,
          response: { 201: PromiseOut },
        },
      },
      async (req, reply) => {
        const { promise, currency } = await service.createPromise(req.ctx, req.params.id, req.body);
        return reply.code(201).send(promiseOut(promise, currency));
      },
    );
    app.get(
      '/invoices/:id/promises',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: "An invoice's promises to pay, newest first",
          params: IdParam,
          querystring: ListQuery,
          response: { 200: listOf(PromiseOut) },
        },
      },
      async (req) => {
        const page = await service.listPromises(req.ctx, req.params.id, req.query);
        return { data: page.data.map((p) => promiseOut(p, page.currency)), has_more: page.has_more };
      },
    );
    app.get(
      '/collections/worklist',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary:
            'Overdue invoices to chase: base currency first, then by currency, then amount due × days overdue (largest first), due date, number',
          querystring: WorklistQuery,
          response: { 200: listOf(WorklistItem) },
        },
      },
      async (req) => service.worklist(req.ctx, req.query),
    );
  };
}
