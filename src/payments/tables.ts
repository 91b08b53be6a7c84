import { date, index, jsonb, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
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
    /** Set when the money came through a payment provider (Stripe), with its ids. */
    provider: jsonb('provider').$type<{ name: 'stripe'; payment_intent: string; checkout_session: string | null }>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('payments_org_created_idx').on(t.orgId, t.createdAt),
    index('payments_customer_idx').on(t.customerId, t.orgId),
  ],
);
