import { date, index, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { invoices } from '../invoicing/tables';
import { createdAt } from '../platform/tables';

// The receivables' own records: money applied to invoices, paid back, and written off.

/**
 * Money applied to an invoice: from a payment (amount_paid) or from a credit note (amount_credited).
 * A reversal keeps the row and dates its end, so aging as of a past date stays exact.
 */
export const applications = pgTable(
  'applications',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    amount: numeric('amount').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    reversedOn: date('reversed_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('applications_invoice_idx').on(t.invoiceId),
    index('applications_source_idx').on(t.sourceId),
    // Aging as of a past date sums one organization's dated applications per invoice.
    index('applications_org_idx').on(t.orgId, t.invoiceId, t.date),
  ],
);

/** Money paid back to a customer: from a payment's unapplied money or for a credit note. */
export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    customerId: text('customer_id').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    amount: numeric('amount').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('refunds_customer_idx').on(t.orgId, t.customerId), index('refunds_source_idx').on(t.sourceId)],
);

/** A small difference written off an invoice (at most settings.write_off_limit). */
export const writeOffs = pgTable(
  'write_offs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: numeric('amount').notNull(),
    reason: text('reason'),
    date: date('date', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('write_offs_invoice_idx').on(t.invoiceId),
    index('write_offs_org_idx').on(t.orgId, t.invoiceId, t.date),
  ],
);
