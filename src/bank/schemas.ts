import { z } from 'zod';
import { Currency, DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import type { bankAccounts, bankLines, bankStatements } from './tables';

export type BankAccountRow = typeof bankAccounts.$inferSelect;
export type BankStatementRow = typeof bankStatements.$inferSelect;
export type BankLineRow = typeof bankLines.$inferSelect;

const Iban = z
  .string()
  .max(64)
  .transform((s) => s.replace(/\s+/g, '').toUpperCase());
const LedgerCode = z.string().min(1).max(20);

export const BankAccountIn = z.object({
  name: z.string().min(1).max(200),
  iban: Iban.nullish(),
  bic: z.string().max(11).nullish(),
  currency: Currency,
  ledger_account: LedgerCode.nullish().meta({ description: 'Defaults to settings.ledger_accounts.bank' }),
});
export type BankAccountIn = z.output<typeof BankAccountIn>;

export const BankAccountPatch = z.object({
  name: z.string().min(1).max(200).optional(),
  iban: Iban.nullish(),
  bic: z.string().max(11).nullish(),
  ledger_account: LedgerCode.nullish(),
  active: z.boolean().optional(),
});
export type BankAccountPatch = z.output<typeof BankAccountPatch>;

export const BankAccountOut = z.object({
  id: z.string(),
  name: z.string(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  currency: z.string(),
  ledger_account: z.string(),
  active: z.boolean(),
});
export type BankAccountOut = z.infer<typeof BankAccountOut>;

const Header = z.string().min(1).max(200);
export const CsvMappingIn = z.object({
  name: z.string().min(1).max(200),
  delimiter: z.string().min(1).max(1),
  decimal: z.enum(['.', ',']),
  date_format: z
    .string()
    .min(2)
    .max(20)
    .refine((f) => /DD/.test(f) && /MM/.test(f) && /YY/.test(f), { message: 'Use the tokens DD, MM and YYYY or YY.' }),
  encoding: z.enum(['utf-8', 'windows-1252']).default('utf-8'),
  columns: z
    .object({
      booking_date: Header,
      value_date: Header.nullish(),
      amount: Header.nullish(),
      credit: Header.nullish(),
      debit: Header.nullish(),
      currency: Header.nullish(),
      counterparty_name: Header.nullish(),
      counterparty_iban: Header.nullish(),
      reference: Header.nullish(),
      bank_reference: Header.nullish(),
    })
    .refine((c) => !!c.amount || (!!c.credit && !!c.debit), {
      message: 'Name an amount column, or credit and debit columns.',
    }),
});
export type CsvMappingIn = z.output<typeof CsvMappingIn>;
export const CsvMappingOut = CsvMappingIn.extend({ id: z.string() });

export const StatementQuery = z.object({
  format: z.enum(['camt053', 'mt940', 'ofx', 'csv']),
  csv_mapping: z.string().max(100).optional(),
});

export const StatementOut = z.object({
  id: z.string(),
  bank_account: z.string(),
  format: z.enum(['camt053', 'mt940', 'ofx', 'csv']),
  file_sha256: z.string(),
  statement_id: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  opening_balance: DecimalOut.nullable(),
  closing_balance: DecimalOut.nullable(),
  balance_check: z.enum(['ok', 'mismatch', 'not_given']),
  lines_imported: z.number().int(),
  lines_duplicate: z.number().int(),
  lines_pending_skipped: z.number().int(),
  matched_automatically: z.number().int(),
  suggested: z.number().int(),
});

const InvoiceAmount = z.object({ invoice: z.string(), amount: DecimalOut });
const WriteOffOut = z.object({ amount: DecimalOut, reason: z.string() }).nullable();

export const SuggestionOut = z.object({
  rank: z.number().int(),
  confidence: z.number(),
  customer: z.string(),
  invoices: z.array(InvoiceAmount),
  write_off: WriteOffOut,
  reasons: z.array(z.string()),
});

export const BankLineOut = z.object({
  id: z.string(),
  bank_account: z.string(),
  statement: z.string(),
  booking_date: z.string(),
  value_date: z.string().nullable(),
  amount: DecimalOut.meta({ description: 'Positive: money in' }),
  currency: z.string(),
  counterparty_name: z.string().nullable(),
  counterparty_iban: z.string().nullable(),
  reference: z.string().nullable(),
  end_to_end_id: z.string().nullable(),
  bank_reference: z.string().nullable(),
  status: z.enum(['unmatched', 'suggested', 'matched', 'ignored']),
  payment: z.string().nullable(),
  match: z
    .object({
      invoices: z.array(InvoiceAmount),
      customer: z.string(),
      write_off: WriteOffOut,
      by: z.string(),
      reasons: z.array(z.string()),
      refund: z.string().nullable().optional(),
    })
    .nullable(),
  suggestions: z.array(SuggestionOut),
  ignore_reason: z.string().nullable(),
});
export type BankLineOut = z.infer<typeof BankLineOut>;

export const BankLineQuery = z.object({
  bank_account: z.string().max(100).optional(),
  status: z.enum(['unmatched', 'suggested', 'matched', 'ignored']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  starting_after: z.string().max(100).optional(),
});
export type BankLineQuery = z.output<typeof BankLineQuery>;

export const AcceptIn = z.object({ rank: z.number().int().min(1).max(100).optional() });
export const ManualMatchIn = z.object({
  customer: z.string().min(1).max(100).optional(),
  invoices: z
    .array(z.object({ invoice: z.string().min(1).max(100), amount: decimalIn({ positive: true }) }))
    .max(200)
    .optional(),
  write_off: z
    .object({
      invoice: z.string().min(1).max(100).optional(),
      amount: decimalIn({ positive: true }),
      reason: z.string().min(1).max(500),
    })
    .nullish(),
  payment: z.string().min(1).max(100).optional(),
});
export type ManualMatchIn = z.output<typeof ManualMatchIn>;
export const IgnoreIn = z.object({ reason: z.string().min(1).max(500) });

export const MatchRunOut = z.object({ matched_automatically: z.number().int(), suggested: z.number().int() });

export const ReconciliationQuery = z.object({ as_of: IsoDate.optional() });
export const ReconciliationOut = z.object({
  as_of: z.string(),
  statement_balance: DecimalOut.nullable(),
  ledger_balance: DecimalOut,
  unmatched_in: DecimalOut,
  unmatched_out: DecimalOut,
  unlinked_ledger: DecimalOut,
  difference: DecimalOut.nullable(),
});
