import { sql } from 'drizzle-orm';
import { date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { invoices } from '../invoicing/tables';
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

/**
 * A customer's promise to pay (part of) an invoice by a date. At most one is open per invoice (the partial unique
 * index decides under concurrency); it ends kept, broken or cancelled, once.
 */
export const paymentPromises = pgTable(
  'payment_promises',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: numeric('amount').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    note: text('note'),
    status: text('status').notNull(),
    /** The organization's today when it was made: money dated from then through `date` counts toward it. */
    createdOn: date('created_on', { mode: 'string' }).notNull(),
    createdBy: text('created_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('payment_promises_invoice_idx').on(t.invoiceId, t.createdAt),
    uniqueIndex('payment_promises_open_idx').on(t.invoiceId).where(sql`status = 'open'`),
    // The daily run finds open promises past their date.
    index('payment_promises_open_date_idx').on(t.orgId, t.date).where(sql`status = 'open'`),
  ],
);
