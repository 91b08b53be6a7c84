import { sql } from 'drizzle-orm';
import { check, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { createdAt, organizations } from '../platform/tables';

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    number: text('number').notNull(),
    series: text('series').notNull(),
    seq: integer('seq').notNull(),
    currency: text('currency').notNull(),
    taxBehavior: text('tax_behavior').notNull().default('exclusive'),
    /** The accepted quote; unique, so that a quote makes at most one order whatever runs at the same time. */
    quoteId: text('quote_id'),
    /** active | completed | cancelled */
    status: text('status').notNull().default('active'),
    notes: text('notes'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('orders_org_created_idx').on(t.orgId, t.createdAt),
    index('orders_customer_idx').on(t.customerId, t.orgId),
    uniqueIndex('orders_number_idx').on(t.orgId, t.series, t.seq),
    uniqueIndex('orders_quote_idx').on(t.quoteId),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    productId: text('product_id'),
    quantity: numeric('quantity').notNull(),
    unit: text('unit').notNull(),
    unitPrice: numeric('unit_price').notNull(),
    discountPercent: numeric('discount_percent'),
    taxRateId: text('tax_rate_id').notNull(),
    /** one_time | milestone | recurring */
    chargeType: text('charge_type').notNull(),
    recurringInterval: text('recurring_interval'),
    recurringIntervalCount: integer('recurring_interval_count'),
    /** The line's net amount by the invoice arithmetic (per interval for a recurring line). */
    amount: numeric('amount').notNull(),
    subscriptionId: text('subscription_id'),
  },
  (t) => [index('order_lines_order_idx').on(t.orderId, t.position)],
);

/**
 * What each invoice bills of an order line. Deleting a draft invoice deletes its rows (cascade) and a void
 * invoice does not count, so "invoiced" is always what live invoices bill.
 */
export const orderInvoicings = pgTable(
  'order_invoicings',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: text('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    quantity: numeric('quantity'),
    percent: numeric('percent'),
    amount: numeric('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('order_invoicings_line_idx').on(t.orderLineId),
    index('order_invoicings_order_idx').on(t.orderId),
    index('order_invoicings_invoice_idx').on(t.invoiceId),
    check('order_invoicings_quantity_or_percent', sql`(${t.quantity} is null) <> (${t.percent} is null)`),
  ],
);
