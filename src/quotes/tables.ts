import { date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { createdAt, organizations } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Quotes: one-time and recurring lines, priced by the invoice arithmetic. `expired` is derived (sent and past valid_until). */
export const quotes = pgTable(
  'quotes',
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
    /** draft | sent | accepted | declined */
    status: text('status').notNull().default('draft'),
    currency: text('currency').notNull(),
    taxBehavior: text('tax_behavior').notNull().default('exclusive'),
    validUntil: date('valid_until', { mode: 'string' }),
    /** First day of the subscriptions made from the recurring lines (null: the day of acceptance). */
    startDate: date('start_date', { mode: 'string' }),
    /** The stored lines of the invoice arithmetic, each with `recurring` ({interval, interval_count} or null). */
    lines: jsonb('lines').notNull(),
    taxBreakdown: jsonb('tax_breakdown').notNull(),
    subtotal: numeric('subtotal').notNull(),
    taxTotal: numeric('tax_total').notNull(),
    total: numeric('total').notNull(),
    recurringTotalPerInterval: numeric('recurring_total_per_interval').notNull(),
    recurringTotals: jsonb('recurring_totals').notNull(),
    notes: text('notes'),
    hostedToken: text('hosted_token').unique(),
    sentAt: ts('sent_at'),
    acceptedAt: ts('accepted_at'),
    declinedAt: ts('declined_at'),
    orderId: text('order_id'),
    /** The opportunity this quote was made from: accepting it wins the opportunity (pipeline/). */
    opportunityId: text('opportunity_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('quotes_org_created_idx').on(t.orgId, t.createdAt),
    index('quotes_customer_idx').on(t.customerId, t.orgId),
    uniqueIndex('quotes_number_idx').on(t.orgId, t.series, t.seq),
  ],
);
