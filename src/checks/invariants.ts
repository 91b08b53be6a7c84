import { addDays } from '../invoicing/dates';
import { dec, formatAmount } from '../money/money';

// The invariants of DESIGN.md "Integrity", as data: what a violation says, and the pure comparisons behind them.

export type CheckName =
  | 'journal_entry_balanced'
  | 'receivables_match_invoices'
  | 'aging_matches_receivables'
  | 'credit_balance_matches_documents'
  | 'customer_credit_account_matches_balances'
  | 'payment_balances'
  | 'credit_note_balances'
  | 'number_series_gapless'
  | 'invoice_balances'
  | 'documents_in_customer_currency'
  | 'open_history_matches_ledger';

export const CHECKS: readonly CheckName[] = [
  'journal_entry_balanced',
  'receivables_match_invoices',
  'aging_matches_receivables',
  'credit_balance_matches_documents',
  'customer_credit_account_matches_balances',
  'payment_balances',
  'credit_note_balances',
  'number_series_gapless',
  'invoice_balances',
  'documents_in_customer_currency',
  'open_history_matches_ledger',
];

export interface Violation {
  check: CheckName;
  message: string;
  [detail: string]: unknown;
}

/** At most this many violations of one check are listed; the rest are summarized in one more. */
export const MAX_PER_CHECK = 50;

export function capViolations(check: CheckName, found: Violation[]): Violation[] {
  if (found.length <= MAX_PER_CHECK) return found;
  return [
    ...found.slice(0, MAX_PER_CHECK),
    { check, message: `${found.length - MAX_PER_CHECK} more violations of ${check} are not listed.` },
  ];
}

/**
 * Per-currency amounts that must agree: one violation per currency where they differ (a currency missing on one
 * side counts as zero there).
 */
export function compareByCurrency(
  check: CheckName,
  left: { label: string; values: Map<string, string> },
  right: { label: string; values: Map<string, string> },
  details: Record<string, unknown> = {},
): Violation[] {
  const currencies = [...new Set([...left.values.keys(), ...right.values.keys()])].sort();
  const found: Violation[] = [];
  for (const currency of currencies) {
    const a = dec(left.values.get(currency) ?? 0);
    const b = dec(right.values.get(currency) ?? 0);
    if (!a.equals(b)) {
      const [x, y] = [formatAmount(a, currency), formatAmount(b, currency)];
      found.push({
        check,
        message: `${currency}: ${left.label} is ${x} but ${right.label} is ${y}${details.as_of ? ` (as of ${details.as_of})` : ''}.`,
        currency,
        [left.label.replaceAll(' ', '_')]: x,
        [right.label.replaceAll(' ', '_')]: y,
        ...details,
      });
    }
  }
  return found;
}

/** Last day of the month of `date`. */
export function monthEnd(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * Past dates to reconcile the aging with the ledger: each month-end from `first` to before `today` (the latest
 * `max`), and yesterday, so that what changed today is compared as it stood before.
 */
export function reconciliationDates(first: string | null, today: string, max = 24): string[] {
  if (!first || first >= today) return [];
  const dates: string[] = [];
  for (let d = monthEnd(first); d < today; d = monthEnd(addDays(d, 1))) dates.push(d);
  const yesterday = addDays(today, -1);
  if (!dates.includes(yesterday)) dates.push(yesterday);
  return dates.slice(-max);
}
