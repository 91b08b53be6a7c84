import { boolean, date, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from '../crm/tables';
import { createdAt, organizations } from '../platform/tables';

export const bankAccounts = pgTable(
  'bank_accounts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    iban: text('iban'),
    bic: text('bic'),
    currency: text('currency').notNull(),
    /** Its own ledger account code; null books to settings.ledger_accounts.bank. */
    ledgerAccount: text('ledger_account'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('bank_accounts_org_idx').on(t.orgId, t.createdAt)],
);

/** IBANs a customer pays from: given on the customer or learned from confirmed matches. */
export const customerIbans = pgTable(
  'customer_ibans',
  {
    orgId: text('org_id').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    iban: text('iban').notNull(),
    learned: boolean('learned').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_ibans_key').on(t.orgId, t.customerId, t.iban),
    index('customer_ibans_customer_idx').on(t.customerId),
    index('customer_ibans_iban_idx').on(t.orgId, t.iban),
  ],
);

export const csvMappings = pgTable('csv_mappings', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  name: text('name').notNull(),
  config: jsonb('config').notNull(),
  createdAt: createdAt(),
});

export const bankStatements = pgTable(
  'bank_statements',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    bankAccountId: text('bank_account_id')
      .notNull()
      .references(() => bankAccounts.id),
    format: text('format').notNull(),
    fileSha256: text('file_sha256').notNull(),
    statementId: text('statement_id'),
    fromDate: date('from_date', { mode: 'string' }),
    toDate: date('to_date', { mode: 'string' }),
    openingBalance: numeric('opening_balance'),
    closingBalance: numeric('closing_balance'),
    /** The opening balance reconciliation starts from (OFX: closing − Σ its booked lines). */
    startingBalance: numeric('starting_balance'),
    balanceCheck: text('balance_check').notNull(),
    linesImported: integer('lines_imported').notNull(),
    linesDuplicate: integer('lines_duplicate').notNull(),
    linesPendingSkipped: integer('lines_pending_skipped').notNull(),
    matchedAutomatically: integer('matched_automatically').notNull().default(0),
    suggested: integer('suggested').notNull().default(0),
    createdAt: createdAt(),
  },
  // The same file twice for one account is refused by this index, also when two imports race.
  (t) => [uniqueIndex('bank_statements_file_idx').on(t.bankAccountId, t.fileSha256)],
);

export const bankLines = pgTable(
  'bank_lines',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    bankAccountId: text('bank_account_id')
      .notNull()
      .references(() => bankAccounts.id),
    statementId: text('statement_id')
      .notNull()
      .references(() => bankStatements.id),
    position: integer('position').notNull(),
    bookingDate: date('booking_date', { mode: 'string' }).notNull(),
    valueDate: date('value_date', { mode: 'string' }),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    counterpartyName: text('counterparty_name'),
    counterpartyIban: text('counterparty_iban'),
    reference: text('reference'),
    endToEndId: text('end_to_end_id'),
    bankReference: text('bank_reference'),
    /** The bank's reference, else a fingerprint with the occurrence in its file: one line per key and account. */
    dedupKey: text('dedup_key').notNull(),
    status: text('status').notNull(),
    paymentId: text('payment_id'),
    refundId: text('refund_id'),
    match: jsonb('match'),
    suggestions: jsonb('suggestions').notNull(),
    /** A person unmatched or ignored it: matching runs leave it alone. */
    heldByPerson: boolean('held_by_person').notNull().default(false),
    ignoreReason: text('ignore_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('bank_lines_dedup_idx').on(t.bankAccountId, t.dedupKey),
    index('bank_lines_org_idx').on(t.orgId, t.createdAt),
    index('bank_lines_account_date_idx').on(t.bankAccountId, t.bookingDate),
    index('bank_lines_payment_idx').on(t.paymentId),
    index('bank_lines_statement_idx').on(t.statementId),
  ],
);
