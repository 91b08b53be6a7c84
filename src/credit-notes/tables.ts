import { date, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { createdAt, organizations } from '../platform/tables';

export const creditNotes = pgTable(
  'credit_notes',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    number: text('number').notNull(),
    series: text('series').notNull(),
    seq: integer('seq').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason'),
    lines: jsonb('lines'),
    subtotal: numeric('subtotal').notNull(),
    taxTotal: numeric('tax_total').notNull(),
    total: numeric('total').notNull(),
    taxBreakdown: jsonb('tax_breakdown').notNull(),
    creditTo: text('credit_to').notNull(),
    /** What of it sits in the customer's credit balance, not yet applied or refunded. */
    unappliedAmount: numeric('unapplied_amount').notNull().default('0'),
    status: text('status').notNull().default('issued'),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    voidedOn: date('voided_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_notes_org_created_idx').on(t.orgId, t.createdAt),
    index('credit_notes_invoice_idx').on(t.invoiceId),
    index('credit_notes_customer_idx').on(t.customerId, t.orgId),
    uniqueIndex('credit_notes_number_idx').on(t.orgId, t.series, t.seq),
  ],
);
