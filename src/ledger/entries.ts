import { type Decimal, dec, formatAmount, sum } from '../money/money';

export type Account =
  | 'bank'
  | 'receivables'
  | 'tax_payable'
  | 'customer_credit'
  | 'revenue'
  | 'write_off'
  | 'bad_debt'
  | 'opening_balance';

export const ACCOUNT_NAMES: Record<
  Account,
  { name: string; type: 'asset' | 'liability' | 'equity' | 'revenue' | 'expense' }
> = {
  bank: { name: 'Bank', type: 'asset' },
  receivables: { name: 'Accounts receivable', type: 'asset' },
  tax_payable: { name: 'VAT payable', type: 'liability' },
  customer_credit: { name: 'Customer credit', type: 'liability' },
  revenue: { name: 'Sales revenue', type: 'revenue' },
  write_off: { name: 'Small differences written off', type: 'expense' },
  bad_debt: { name: 'Bad debt', type: 'expense' },
  opening_balance: { name: 'Opening balances', type: 'equity' },
};

export interface EntryLine {
  account: Account;
  debit: string;
  credit: string;
}

export interface Entry {
  date: string;
  currency: string;
  source: { type: string; id: string };
  memo: string;
  lines: EntryLine[];
}

type Leg = [Account, Decimal];

/** An entry from debit and credit legs; zero legs are dropped, negative legs flip sides. Throws if it does not balance. */
export function entry(meta: Omit<Entry, 'lines'>, debits: Leg[], credits: Leg[]): Entry {
  const lines: EntryLine[] = [];
  const add = (account: Account, amount: Decimal, side: 'debit' | 'credit') => {
    if (amount.isZero()) return;
    const flipped = amount.isNegative() ? (side === 'debit' ? 'credit' : 'debit') : side;
    const value = formatAmount(amount.abs(), meta.currency);
    lines.push({
      account,
      debit: flipped === 'debit' ? value : formatAmount(0, meta.currency),
      credit: flipped === 'credit' ? value : formatAmount(0, meta.currency),
    });
  };
  for (const [account, amount] of debits) add(account, amount, 'debit');
  for (const [account, amount] of credits) add(account, amount, 'credit');
  assertBalanced({ ...meta, lines });
  return { ...meta, lines };
}

export function assertBalanced(e: Entry): void {
  const debit = sum(e.lines.map((l) => l.debit));
  const credit = sum(e.lines.map((l) => l.credit));
  if (!debit.equals(credit))
    throw new Error(`Journal entry for ${e.source.type} ${e.source.id} does not balance: ${debit} ≠ ${credit}`);
}

/** The entry that undoes `original` (its date is the original's; pass the reversal's date when building it): debits first. */
function reversed(original: Entry, memo: string): Entry {
  const swapped = original.lines.map((l) => ({ account: l.account, debit: l.credit, credit: l.debit }));
  const isDebit = (l: EntryLine) => !dec(l.debit).isZero();
  return { ...original, memo, lines: [...swapped.filter(isDebit), ...swapped.filter((l) => !isDebit(l))] };
}

// The entries of each business event. Payments land in customer credit; applying money moves it to receivables.

export function invoicePosted(inv: {
  id: string;
  number: string;
  issueDate: string;
  currency: string;
  total: string;
  taxTotal: string;
}): Entry {
  const total = dec(inv.total);
  const tax = dec(inv.taxTotal);
  return entry(
    {
      date: inv.issueDate,
      currency: inv.currency,
      source: { type: 'invoice', id: inv.id },
      memo: `Invoice ${inv.number}`,
    },
    [['receivables', total]],
    [
      ['revenue', total.minus(tax)],
      ['tax_payable', tax],
    ],
  );
}

export function invoiceVoided(
  inv: { id: string; number: string; currency: string; total: string; taxTotal: string },
  date: string,
): Entry {
  return reversed(invoicePosted({ ...inv, issueDate: date }), `Void of invoice ${inv.number}`);
}

export function paymentReceived(p: {
  id: string;
  date: string;
  currency: string;
  amount: string;
  reference: string | null;
}): Entry {
  return entry(
    {
      date: p.date,
      currency: p.currency,
      source: { type: 'payment', id: p.id },
      memo: `Payment${p.reference ? ` ${p.reference}` : ''}`,
    },
    [['bank', dec(p.amount)]],
    [['customer_credit', dec(p.amount)]],
  );
}

/** Money from the customer's credit applied to an invoice; on an uncollectible invoice it is a recovery of bad debt. */
export function moneyApplied(a: {
  id: string;
  date: string;
  currency: string;
  amount: string;
  invoiceNumber: string;
  recovery: boolean;
}): Entry {
  return entry(
    {
      date: a.date,
      currency: a.currency,
      source: { type: 'application', id: a.id },
      memo: `${a.recovery ? 'Recovery on' : 'Applied to'} invoice ${a.invoiceNumber}`,
    },
    [['customer_credit', dec(a.amount)]],
    [[a.recovery ? 'bad_debt' : 'receivables', dec(a.amount)]],
  );
}

export function applicationReversed(a: {
  id: string;
  date: string;
  currency: string;
  amount: string;
  invoiceNumber: string;
  recovery: boolean;
}): Entry {
  return reversed(moneyApplied(a), `Reversed application to invoice ${a.invoiceNumber}`);
}

export function moneyRefunded(r: { id: string; date: string; currency: string; amount: string; memo: string }): Entry {
  return entry(
    { date: r.date, currency: r.currency, source: { type: 'refund', id: r.id }, memo: r.memo },
    [['customer_credit', dec(r.amount)]],
    [['bank', dec(r.amount)]],
  );
}

export function paymentReversed(p: {
  id: string;
  date: string;
  currency: string;
  amount: string;
  reason: string;
}): Entry {
  return entry(
    {
      date: p.date,
      currency: p.currency,
      source: { type: 'payment', id: p.id },
      memo: `Payment reversed: ${p.reason}`,
    },
    [['customer_credit', dec(p.amount)]],
    [['bank', dec(p.amount)]],
  );
}

export function creditNoteIssued(c: {
  id: string;
  number: string;
  issueDate: string;
  currency: string;
  subtotal: string;
  taxTotal: string;
  total: string;
}): Entry {
  return entry(
    {
      date: c.issueDate,
      currency: c.currency,
      source: { type: 'credit_note', id: c.id },
      memo: `Credit note ${c.number}`,
    },
    [
      ['revenue', dec(c.subtotal)],
      ['tax_payable', dec(c.taxTotal)],
    ],
    [['customer_credit', dec(c.total)]],
  );
}

export function creditNoteVoided(
  c: { id: string; number: string; currency: string; subtotal: string; taxTotal: string; total: string },
  date: string,
): Entry {
  return reversed(creditNoteIssued({ ...c, issueDate: date }), `Void of credit note ${c.number}`);
}

export function writtenOff(w: {
  id: string;
  date: string;
  currency: string;
  amount: string;
  invoiceNumber: string;
}): Entry {
  return entry(
    {
      date: w.date,
      currency: w.currency,
      source: { type: 'write_off', id: w.id },
      memo: `Written off on invoice ${w.invoiceNumber}`,
    },
    [['write_off', dec(w.amount)]],
    [['receivables', dec(w.amount)]],
  );
}

export function markedUncollectible(
  inv: { id: string; number: string; currency: string; amountDue: string },
  date: string,
): Entry {
  return entry(
    {
      date,
      currency: inv.currency,
      source: { type: 'invoice', id: inv.id },
      memo: `Invoice ${inv.number} uncollectible`,
    },
    [['bad_debt', dec(inv.amountDue)]],
    [['receivables', dec(inv.amountDue)]],
  );
}

/** An open invoice taken over from a previous system: what is still due becomes receivable against opening balances. */
export function openingBalanceImported(inv: {
  id: string;
  number: string;
  openingDate: string;
  currency: string;
  amountDue: string;
}): Entry {
  return entry(
    {
      date: inv.openingDate,
      currency: inv.currency,
      source: { type: 'invoice', id: inv.id },
      memo: `Opening balance of ${inv.number}`,
    },
    [['receivables', dec(inv.amountDue)]],
    [['opening_balance', dec(inv.amountDue)]],
  );
}
