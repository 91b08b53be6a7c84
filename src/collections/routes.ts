import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Jobs } from '../platform/jobs';
import { IsoDate } from '../platform/schemas';
import { ReminderPolicy } from './policy';
import * as service from './service';

const tags = ['Collections'];
const RunOut = z.object({
  as_of: z.string(),
  dry_run: z.boolean(),
  sent: z.number().int(),
  skipped: z.number().int(),
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
  };
}
