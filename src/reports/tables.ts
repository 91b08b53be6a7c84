import { sql } from 'drizzle-orm';
import { date, index, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { invoices } from '../invoicing/tables';

/**
 * The dated balance history of invoices, for the aging as of any date: one row per span of days [valid_from,
 * valid_to) over which an invoice's open amount stayed the same, as the aging counts it (issued by then, neither void
 * nor uncollectible by then, less the applications live then and the write-offs dated by then). valid_to is
 * 'infinity' for the span that lasts. Written by database triggers (migration 0010) on every change of invoices,
 * applications and write-offs, so that no writer has to remember it; `arbor check` proves it equals the ledger.
 */
export const invoiceOpenHistory = pgTable(
  'invoice_open_history',
  {
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    dueDate: date('due_date', { mode: 'string' }),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    open: numeric('open').notNull(),
  },
  (t) => [
    index('invoice_open_history_invoice_idx').on(t.invoiceId, t.validFrom),
    // The aging as of a date reads only this index: the spans still open at it, with what it buckets and sums.
    index('invoice_open_history_aging_idx')
      .on(t.orgId, t.validTo, t.validFrom, t.customerId, t.dueDate, t.open)
      .where(sql`open > 0`),
  ],
);
