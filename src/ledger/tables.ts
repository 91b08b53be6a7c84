import { date, index, integer, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../platform/tables';

export const journalEntries = pgTable(
  'journal_entries',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    memo: text('memo').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('journal_entries_org_date_idx').on(t.orgId, t.date),
    index('journal_entries_source_idx').on(t.orgId, t.sourceId),
  ],
);

/** Lines name the account by its key (receivables, revenue, ...); settings map keys to the organization's codes. */
export const journalLines = pgTable(
  'journal_lines',
  {
    entryId: text('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    lineNo: integer('line_no').notNull(),
    orgId: text('org_id').notNull(),
    account: text('account').notNull(),
    debit: numeric('debit').notNull(),
    credit: numeric('credit').notNull(),
    /** Copied from the entry so balances as of a date need no join. */
    date: date('date', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
  },
  (t) => [
    index('journal_lines_account_idx').on(t.orgId, t.account, t.currency, t.date),
    // An entry's lines, and the foreign key's check when entries are deleted.
    index('journal_lines_entry_idx').on(t.entryId, t.lineNo),
  ],
);
