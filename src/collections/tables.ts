import { date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from '../platform/tables';

/** One row per invoice and reminder step: a step is sent (or skipped) at most once. */
export const reminders = pgTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    step: integer('step').notNull(),
    offsetDays: integer('offset_days').notNull(),
    status: text('status').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    emailId: text('email_id'),
    lateFeeInvoiceId: text('late_fee_invoice_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reminders_invoice_step_idx').on(t.invoiceId, t.step),
    index('reminders_org_idx').on(t.orgId, t.createdAt),
  ],
);
