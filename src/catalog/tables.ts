import { boolean, index, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, organizations } from '../platform/tables';

export const taxRates = pgTable(
  'tax_rates',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    percentage: numeric('percentage').notNull(),
    category: text('category').notNull(),
    exemptionReason: text('exemption_reason'),
    country: text('country'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('tax_rates_org_idx').on(t.orgId, t.createdAt)],
);

export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    sku: text('sku'),
    description: text('description'),
    unitPrice: numeric('unit_price').notNull(),
    currency: text('currency').notNull(),
    unit: text('unit').notNull().default('C62'),
    taxRateId: text('tax_rate_id').references(() => taxRates.id),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('products_org_idx').on(t.orgId, t.createdAt), index('products_tax_rate_idx').on(t.taxRateId)],
);
