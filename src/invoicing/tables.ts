import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { createdAt, organizations } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => numeric(name).notNull().default('0');

export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    number: text('number'),
    series: text('series'),
    seq: integer('seq'),
    status: text('status').notNull().default('draft'),
    currency: text('currency').notNull(),
    taxBehavior: text('tax_behavior').notNull().default('exclusive'),
    issueDate: date('issue_date', { mode: 'string' }),
    dueDate: date('due_date', { mode: 'string' }),
    paymentTermsDays: integer('payment_terms_days'),
    servicePeriod: jsonb('service_period'),
    lines: jsonb('lines').notNull(),
    allowancesCharges: jsonb('allowances_charges').notNull(),
    taxBreakdown: jsonb('tax_breakdown').notNull(),
    subtotal: money('subtotal'),
    allowanceTotal: money('allowance_total'),
    chargeTotal: money('charge_total'),
    taxTotal: money('tax_total'),
    total: money('total'),
    amountPaid: money('amount_paid'),
    amountCredited: money('amount_credited'),
    amountWrittenOff: money('amount_written_off'),
    amountDue: money('amount_due'),
    customerSnapshot: jsonb('customer_snapshot'),
    sellerSnapshot: jsonb('seller_snapshot'),
    poNumber: text('po_number'),
    buyerReference: text('buyer_reference'),
    notes: text('notes'),
    footer: text('footer'),
    disputed: boolean('disputed').notNull().default(false),
    remindersPaused: boolean('reminders_paused').notNull().default(false),
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    hostedToken: text('hosted_token').unique(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    postedAt: ts('posted_at'),
    sentAt: ts('sent_at'),
    firstViewedAt: ts('first_viewed_at'),
    viewCount: integer('view_count').notNull().default(0),
    /** Business dates of the last state changes, for aging as of a past date. */
    paidOn: date('paid_on', { mode: 'string' }),
    voidedOn: date('voided_on', { mode: 'string' }),
    uncollectibleOn: date('uncollectible_on', { mode: 'string' }),
    /** Imported open invoices: what was paid in the previous system (not journaled), and the day Arbor took it over. */
    paidBeforeImport: numeric('paid_before_import').notNull().default('0'),
    openingDate: date('opening_date', { mode: 'string' }),
  },
  (t) => [
    index('invoices_org_created_idx').on(t.orgId, t.createdAt),
    index('invoices_customer_idx').on(t.customerId, t.orgId),
    index('invoices_open_idx').on(t.orgId, t.dueDate).where(sql`status = 'posted' and amount_due > 0`),
    // Aging as of today reads only this index: open invoices per customer with their due date and amount.
    index('invoices_open_aging_idx')
      .on(t.orgId, t.customerId, t.dueDate, t.amountDue)
      .where(sql`status = 'posted' and amount_due > 0`),
    uniqueIndex('invoices_number_idx').on(t.orgId, t.series, t.seq),
  ],
);

/** Gapless number series: the row is locked by the posting transaction, so numbers follow commit order without holes. */
export const numberSeries = pgTable(
  'number_series',
  {
    orgId: text('org_id').notNull(),
    kind: text('kind').notNull(),
    series: text('series').notNull(),
    lastSeq: integer('last_seq').notNull(),
    lastIssueDate: date('last_issue_date', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind, t.series] })],
);

export type InvoiceRow = typeof invoices.$inferSelect;
