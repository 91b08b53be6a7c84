import { boolean, date, index, integer, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from '../platform/tables';

/** Every export made, with its file: what was exported, when, and the bytes that left. */
export const exports = pgTable(
  'exports',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').notNull(),
    format: text('format').notNull(),
    from: date('from', { mode: 'string' }).notNull(),
    to: date('to', { mode: 'string' }).notNull(),
    onlyNew: boolean('only_new').notNull(),
    entries: integer('entries').notNull(),
    lines: integer('lines').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('exports_org_created_idx').on(t.orgId, t.createdAt)],
);

/** Which exports included a journal line (a line is exported at most once per format with only_new). */
export const journalLineExports = pgTable(
  'journal_line_exports',
  {
    orgId: text('org_id').notNull(),
    entryId: text('entry_id').notNull(),
    lineNo: integer('line_no').notNull(),
    format: text('format').notNull(),
    exportId: text('export_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.lineNo, t.exportId] }),
    index('journal_line_exports_format_idx').on(t.entryId, t.format),
  ],
);

/** DATEV debtor account of a customer: given at its first DATEV export, kept from then on. */
export const datevDebtorAccounts = pgTable(
  'datev_debtor_accounts',
  {
    orgId: text('org_id').notNull(),
    customerId: text('customer_id').notNull(),
    number: integer('number').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.customerId] }),
    unique('datev_debtor_accounts_number').on(t.orgId, t.number),
  ],
);
