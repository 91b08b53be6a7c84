import { z } from 'zod';
import { DecimalOut, IsoDate } from '../platform/schemas';

const AccountKey = z
  .enum([
    'bank',
    'receivables',
    'tax_payable',
    'customer_credit',
    'revenue',
    'write_off',
    'bad_debt',
    'opening_balance',
  ])
  .meta({
    description: 'The account\u2019s role in Arbor; settings.ledger_accounts maps it to the organization\u2019s code',
  });
const AccountType = z.enum(['asset', 'liability', 'equity', 'revenue', 'expense']);

export const LedgerAccountOut = z.object({
  code: z.string(),
  name: z.string(),
  type: AccountType,
  key: AccountKey,
});
export type LedgerAccountOut = z.infer<typeof LedgerAccountOut>;

export const JournalListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  from: IsoDate.optional().meta({ description: 'Entries dated on or after this date' }),
  to: IsoDate.optional().meta({ description: 'Entries dated on or before this date' }),
  source: z.string().max(100).optional().meta({
    description:
      'A source document id (inv_…, pay_…, cn_…, app_…, wo_…, ref_…) or a source type (invoice, payment, credit_note, application, refund, write_off)',
  }),
});
export type JournalListQuery = z.output<typeof JournalListQuery>;

export const JournalLineOut = z.object({
  account: z.string().meta({ description: 'The organization\u2019s account code (settings.ledger_accounts)' }),
  key: AccountKey,
  name: z.string(),
  debit: DecimalOut,
  credit: DecimalOut,
});

export const JournalEntryOut = z.object({
  id: z.string(),
  date: z.string(),
  currency: z.string(),
  source: z.object({ type: z.string(), id: z.string() }),
  memo: z.string(),
  lines: z.array(JournalLineOut),
  created_at: z.string(),
});
export type JournalEntryOut = z.infer<typeof JournalEntryOut>;

export const AsOfQuery = z.object({ as_of: IsoDate.optional() });

export const TrialBalanceOut = z.object({
  as_of: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      accounts: z.array(
        z.object({
          account: z.string(),
          key: AccountKey,
          name: z.string(),
          type: AccountType,
          debit: DecimalOut.meta({ description: 'Sum of debits dated on or before as_of' }),
          credit: DecimalOut.meta({ description: 'Sum of credits dated on or before as_of' }),
          balance: DecimalOut.meta({ description: 'debit − credit (negative: a credit balance)' }),
        }),
      ),
      total_debit: DecimalOut,
      total_credit: DecimalOut,
    }),
  ),
});
export type TrialBalanceOut = z.infer<typeof TrialBalanceOut>;
