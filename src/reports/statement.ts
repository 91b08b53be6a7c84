import { type Decimal, dec, formatAmount } from '../money/money';

// A customer's statement (API.md "Customers"): what they were charged and what they paid or were credited, with a
// running balance. Invoices and refunds are debits; payments, credit notes and write-offs credits; voids and
// reversals undo their document on the day they happened. A positive balance is what the customer owes.

export type StatementLineType =
  | 'invoice'
  | 'invoice_voided'
  | 'payment'
  | 'payment_reversed'
  | 'credit_note'
  | 'credit_note_voided'
  | 'refund'
  | 'write_off';

/** One movement as read from the database; exactly one of debit and credit is set. */
export interface StatementRow {
  date: string;
  type: StatementLineType;
  document: string;
  number: string | null;
  debit: string | null;
  credit: string | null;
}

export interface StatementLine extends StatementRow {
  balance: string;
}

export interface Statement {
  customer: string;
  name: string;
  currency: string;
  from: string;
  to: string;
  opening_balance: string;
  lines: StatementLine[];
  closing_balance: string;
}

/**
 * The statement from its opening balance (everything before `from`) and the rows of the period in display order.
 * Without `from`, the statement starts at the first movement (or at `to` when there is none).
 */
export function buildStatement(
  customer: { id: string; name: string; currency: string },
  period: { from: string | undefined; to: string },
  openingBalance: string,
  rows: StatementRow[],
): Statement {
  const currency = customer.currency;
  const money = (v: Decimal | string) => formatAmount(v, currency);
  let balance: Decimal = dec(openingBalance);
  const lines = rows.map((r) => {
    balance = balance.plus(r.debit ?? 0).minus(r.credit ?? 0);
    return {
      ...r,
      debit: r.debit === null ? null : money(r.debit),
      credit: r.credit === null ? null : money(r.credit),
      balance: money(balance),
    };
  });
  return {
    customer: customer.id,
    name: customer.name,
    currency,
    from: period.from ?? rows[0]?.date ?? period.to,
    to: period.to,
    opening_balance: money(openingBalance),
    lines,
    closing_balance: money(balance),
  };
}
