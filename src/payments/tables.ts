import { date, index, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { createdAt, organizations } from '../platform/tables';

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    method: text('method').notNull(),
    reference: text('reference'),
    /** The bank account the money arrived on (bank_accounts.id); null books to settings.ledger_accounts.bank. */
    bankAccountId: text('bank_account_id'),
    unappliedAmount: numeric('unapplied_amount').notNull(),
    refundedAmount: numeric('refunded_amount').notNull().default('0'),
    status: text('status').notNull().default('succeeded'),
    reversedOn: date('reversed_on', { mode: 'string' }),
    reversalReason: text('reversal_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('payments_org_created_idx').on(t.orgId, t.createdAt),
    index('payments_customer_idx').on(t.orgId, t.customerId),
  ],
);

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
  (t) => [index('refunds_customer_idx').on(t.orgId, t.customerId)],
);
