import { boolean, index, integer, jsonb, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, organizations, users } from '../platform/tables';
import { territories } from '../territories/tables';

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    billingAddress: jsonb('billing_address'),
    taxId: text('tax_id'),
    peppolId: jsonb('peppol_id'),
    currency: text('currency').notNull(),
    paymentTermsDays: integer('payment_terms_days'),
    locale: text('locale'),
    ownerId: text('owner_id').references(() => users.id),
    creditBalance: numeric('credit_balance').notNull().default('0'),
    remindersPaused: boolean('reminders_paused').notNull().default(false),
    metadata: jsonb('metadata').notNull(),
    industry: text('industry'),
    employees: integer('employees'),
    territoryId: text('territory_id').references(() => territories.id),
    /** rules | manual: realignment moves only what the rules set. */
    territorySource: text('territory_source'),
    createdAt: createdAt(),
  },
  (t) => [
    index('customers_org_idx').on(t.orgId, t.createdAt),
    index('customers_owner_idx').on(t.ownerId, t.orgId),
    index('customers_territory_idx').on(t.territoryId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    role: text('role'),
    receivesInvoices: boolean('receives_invoices').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('contacts_customer_idx').on(t.customerId, t.createdAt)],
);
