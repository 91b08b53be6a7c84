import { boolean, index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { invoices } from '../invoicing/tables';
import { payments } from '../payments/tables';
import { createdAt, organizations } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * An organization's Stripe account. The keys are needed in clear to call Stripe and verify its signatures, so they
 * are stored as given (like the database password in DATABASE_URL), never returned by the API and never logged.
 */
export const stripeAccounts = pgTable(
  'stripe_accounts',
  {
    orgId: text('org_id')
      .primaryKey()
      .references(() => organizations.id),
    secretKey: text('secret_key').notNull(),
    webhookSecret: text('webhook_secret').notNull(),
    methods: jsonb('methods').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull(),
    /** Opaque key in the webhook URL: finds the organization without revealing its id. */
    webhookKey: text('webhook_key').notNull(),
    updatedAt: ts('updated_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('stripe_accounts_webhook_key_idx').on(t.webhookKey)],
);

/** One Checkout Session per "Pay now": what it asked for and what became of it. */
export const checkoutSessions = pgTable(
  'checkout_sessions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    url: text('url'),
    /** open → processing (an asynchronous method under way) → paid | failed. */
    status: text('status').$type<'open' | 'processing' | 'paid' | 'failed'>().notNull(),
    paymentIntent: text('payment_intent'),
    updatedAt: ts('updated_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('checkout_sessions_invoice_idx').on(t.invoiceId, t.orgId),
    index('checkout_sessions_org_idx').on(t.orgId, t.createdAt),
  ],
);

/** A Stripe PaymentIntent recorded as our payment: the primary key makes it exactly once. */
export const stripePayments = pgTable(
  'stripe_payments',
  {
    paymentIntent: text('payment_intent').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    /** Null only inside the transaction that claims the PaymentIntent and records its payment. */
    paymentId: text('payment_id').references(() => payments.id),
    checkoutSession: text('checkout_session'),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    /** What was recorded as refunds so far; a charge.refunded event records only what exceeds it. */
    refundedAmount: numeric('refunded_amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('stripe_payments_payment_idx').on(t.paymentId),
    index('stripe_payments_invoice_idx').on(t.invoiceId),
    index('stripe_payments_org_idx').on(t.orgId, t.createdAt),
  ],
);
