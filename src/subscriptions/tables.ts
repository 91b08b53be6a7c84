import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { createdAt, organizations } from '../platform/tables';

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    orderId: text('order_id'),
    currency: text('currency').notNull(),
    /** active | cancelled (ended is derived: an end date in the past) */
    status: text('status').notNull().default('active'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    interval: text('interval').notNull(),
    intervalCount: integer('interval_count').notNull(),
    billingDay: integer('billing_day').notNull(),
    timing: text('timing').notNull(),
    proration: text('proration').notNull(),
    /** SubscriptionItem[] of the billing engine. */
    items: jsonb('items').notNull(),
    /** Only moves forward; written in the same transaction as the invoice that bills up to it. */
    billedThrough: date('billed_through', { mode: 'string' }),
    /** Derived from the terms and billed_through on every write: what bill runs select on. */
    nextBillingDate: date('next_billing_date', { mode: 'string' }),
    /** Proration lines of changes waiting for the next invoice (create_prorations). */
    pendingLines: jsonb('pending_lines').notNull().default(sql`'[]'::jsonb`),
    autoPost: boolean('auto_post').notNull().default(true),
    autoSend: boolean('auto_send').notNull().default(false),
    paymentTermsDays: integer('payment_terms_days'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('subscriptions_org_created_idx').on(t.orgId, t.createdAt),
    index('subscriptions_customer_idx').on(t.customerId, t.orgId),
    index('subscriptions_due_idx').on(t.orgId, t.nextBillingDate).where(sql`next_billing_date is not null`),
  ],
);

export const subscriptionUsage = pgTable(
  'subscription_usage',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    itemId: text('item_id').notNull(),
    quantity: numeric('quantity').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    /** The request's Idempotency-Key: a second record with the same key is refused by the database too. */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('subscription_usage_sub_date_idx').on(t.subscriptionId, t.date),
    uniqueIndex('subscription_usage_key_idx').on(t.subscriptionId, t.idempotencyKey),
  ],
);

/**
 * Every billing of a subscription, written in the same transaction as its invoice. kind `period` is one
 * billing date of the schedule: the unique index makes "billed at most once" a database guarantee.
 * `change` is an always_invoice proration, `cancellation` the credits of a cancellation.
 */
export const subscriptionBillings = pgTable(
  'subscription_billings',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    kind: text('kind').notNull(),
    billingDate: date('billing_date', { mode: 'string' }).notNull(),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    /** The latest day any of its lines covers: proration reads only billings that reach the change. */
    linesEnd: date('lines_end', { mode: 'string' }),
    /** BillingLine[] with amounts as decimal text. */
    lines: jsonb('lines').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    creditNoteId: text('credit_note_id'),
    billRunId: text('bill_run_id'),
    billedThroughBefore: date('billed_through_before', { mode: 'string' }),
    billedThroughAfter: date('billed_through_after', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('subscription_billings_once_idx').on(t.subscriptionId, t.billingDate).where(sql`kind = 'period'`),
    index('subscription_billings_sub_idx').on(t.subscriptionId, t.linesEnd),
    index('subscription_billings_run_idx').on(t.billRunId),
    index('subscription_billings_invoice_idx').on(t.invoiceId),
  ],
);
