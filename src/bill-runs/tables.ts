import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, organizations } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const billRuns = pgTable(
  'bill_runs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    /** pending | running | completed | completed_with_errors */
    status: text('status').notNull().default('pending'),
    targetDate: date('target_date', { mode: 'string' }).notNull(),
    invoiceDate: date('invoice_date', { mode: 'string' }),
    /** Null: each subscription's own setting. */
    autoPost: boolean('auto_post'),
    autoSend: boolean('auto_send'),
    /** api | schedule | cli */
    trigger: text('trigger').notNull(),
    /** Set once the run has split its subscriptions into chunks. */
    chunkCount: integer('chunk_count'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    index('bill_runs_org_created_idx').on(t.orgId, t.createdAt),
    uniqueIndex('bill_runs_daily_idx').on(t.orgId, t.targetDate).where(sql`"trigger" = 'schedule'`),
  ],
);

/**
 * A run's work, split for workers. `processed` and `invoices_created` are set once, when the chunk is done, so a
 * chunk that is retried after a crash counts nothing twice (the run's live count comes from the billing rows).
 */
export const billRunChunks = pgTable(
  'bill_run_chunks',
  {
    runId: text('run_id')
      .notNull()
      .references(() => billRuns.id),
    chunkNo: integer('chunk_no').notNull(),
    orgId: text('org_id').notNull(),
    subscriptionIds: jsonb('subscription_ids').notNull(),
    /** pending | done */
    status: text('status').notNull().default('pending'),
    processed: integer('processed').notNull().default(0),
    invoicesCreated: integer('invoices_created').notNull().default(0),
    finishedAt: ts('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.chunkNo] })],
);

export const billRunErrors = pgTable(
  'bill_run_errors',
  {
    runId: text('run_id')
      .notNull()
      .references(() => billRuns.id),
    subscriptionId: text('subscription_id').notNull(),
    orgId: text('org_id').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.subscriptionId] })],
);
