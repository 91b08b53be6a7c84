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
import { createdAt, organizations } from '../platform/tables';

/** The stages of an organization's pipeline (API.md "Pipeline stages"); seeded with the defaults on first use. */
export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    probability: integer('probability').notNull(),
    /** pipeline | best_case | commit | closed | omitted */
    forecastCategory: text('forecast_category').notNull(),
    /** open | won | lost */
    kind: text('kind').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('pipeline_stages_org_position_idx').on(t.orgId, t.position)],
);

export const opportunities = pgTable(
  'opportunities',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    contactId: text('contact_id'),
    ownerId: text('owner_id'),
    territoryId: text('territory_id'),
    stageId: text('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    /** open | won | lost */
    status: text('status').notNull(),
    /** Set on the opportunity (null: the stage's). */
    probability: integer('probability'),
    forecastCategory: text('forecast_category'),
    amount: numeric('amount').notNull(),
    mrr: numeric('mrr').notNull(),
    currency: text('currency').notNull(),
    closeDate: date('close_date', { mode: 'string' }),
    nextStep: text('next_step'),
    nextStepDate: date('next_step_date', { mode: 'string' }),
    lostReason: text('lost_reason'),
    /** OpportunityLine[] (amounts computed by amounts.ts); empty: the amount is entered. */
    lines: jsonb('lines').notNull(),
    quoteId: text('quote_id'),
    closedOn: date('closed_on', { mode: 'string' }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('opportunities_org_created_idx').on(t.orgId, t.createdAt),
    index('opportunities_customer_idx').on(t.customerId, t.orgId),
    index('opportunities_stage_idx').on(t.stageId),
    index('opportunities_org_status_idx').on(t.orgId, t.status, t.closeDate),
  ],
);

/** One entry per change of stage, amount, probability or close date: the pipeline as of any past moment. */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    opportunityId: text('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    stageId: text('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    from: timestamp('from', { withTimezone: true, mode: 'date' }).notNull(),
    to: timestamp('to', { withTimezone: true, mode: 'date' }),
    amount: numeric('amount').notNull(),
    probability: integer('probability').notNull(),
    closeDate: date('close_date', { mode: 'string' }),
    by: text('by'),
  },
  (t) => [
    index('opportunity_stage_history_opp_idx').on(t.opportunityId, t.from),
    index('opportunity_stage_history_org_idx').on(t.orgId, t.from),
    index('opportunity_stage_history_stage_idx').on(t.stageId),
  ],
);
