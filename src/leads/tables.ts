import { date, index, integer, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, organizations } from '../platform/tables';

export const leads = pgTable(
  'leads',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name'),
    company: text('company'),
    email: text('email'),
    phone: text('phone'),
    title: text('title'),
    website: text('website'),
    country: text('country'),
    region: text('region'),
    postalCode: text('postal_code'),
    industry: text('industry'),
    employees: integer('employees'),
    /** manual | web_form | import | referral | event | other */
    source: text('source').notNull(),
    /** new | working | qualified | disqualified | converted */
    status: text('status').notNull(),
    disqualifyReason: text('disqualify_reason'),
    ownerId: text('owner_id'),
    territoryId: text('territory_id'),
    territorySource: text('territory_source'),
    score: integer('score').notNull().default(0),
    /** [{rule, points}] of the matching scoring rules, in rule order. */
    scoreReasons: jsonb('score_reasons').notNull(),
    estimatedValue: numeric('estimated_value'),
    currency: text('currency'),
    notes: text('notes'),
    convertedCustomerId: text('converted_customer_id'),
    convertedContactId: text('converted_contact_id'),
    convertedOpportunityId: text('converted_opportunity_id'),
    convertedAt: timestamp('converted_at', { withTimezone: true, mode: 'date' }),
    convertedOn: date('converted_on', { mode: 'string' }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('leads_org_created_idx').on(t.orgId, t.createdAt),
    index('leads_org_email_idx').on(t.orgId, t.email),
    index('leads_org_status_idx').on(t.orgId, t.status),
  ],
);
