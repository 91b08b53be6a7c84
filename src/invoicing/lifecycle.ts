import { type Decimal, dec, formatAmount, ZERO } from '../money/money';
import { conflict } from '../platform/errors';
import { addDays, daysBetween } from './dates';

export type InvoiceStatus = 'draft' | 'posted' | 'paid' | 'void' | 'uncollectible';
export type PaymentStatus = 'unpaid' | 'partially_paid' | 'paid';

export interface Balances {
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountWrittenOff: string;
}

/** API.md rule 7: what is still owed, never below zero. */
export function amountDue(b: Balances, currency: string): string {
  const due = dec(b.total).minus(b.amountPaid).minus(b.amountCredited).minus(b.amountWrittenOff);
  return formatAmount(maxOf(due, ZERO), currency);
}

function maxOf(a: Decimal, b: Decimal): Decimal {
  return a.greaterThan(b) ? a : b;
}

/** Status after money moved: posted and paid follow amount_due; void and drafts stay; uncollectible becomes paid once settled. */
export function statusAfterBalanceChange(status: InvoiceStatus, due: string, wasUncollectible = false): InvoiceStatus {
  if (status === 'draft' || status === 'void') return status;
  if (dec(due).isZero()) return 'paid';
  if (status === 'paid') return wasUncollectible ? 'uncollectible' : 'posted';
  return status;
}

export function paymentStatus(b: Balances & { status: InvoiceStatus; amountDue: string }): PaymentStatus {
  if (b.status === 'paid') return 'paid';
  const settled = dec(b.amountPaid).plus(b.amountCredited).plus(b.amountWrittenOff);
  return settled.greaterThan(0) ? 'partially_paid' : 'unpaid';
}

/** Overdue: posted, something due, and the due date before `asOf`. */
export function overdue(
  inv: { status: InvoiceStatus; amountDue: string; dueDate: string | null },
  asOf: string,
): { overdue: boolean; daysOverdue: number } {
  if (inv.status !== 'posted' || !inv.dueDate || dec(inv.amountDue).isZero()) return { overdue: false, daysOverdue: 0 };
  const days = Math.max(0, daysBetween(inv.dueDate, asOf));
  return { overdue: days > 0, daysOverdue: days };
}

/** Issue and due dates at posting: issue date defaults to today; due = issue + terms unless the draft set it. */
export function postingDates(
  draft: { issueDate: string | null; dueDate: string | null },
  termsDays: number,
  today: string,
): { issueDate: string; dueDate: string } {
  const issueDate = draft.issueDate ?? today;
  return { issueDate, dueDate: draft.dueDate ?? addDays(issueDate, termsDays) };
}

export function assertPostable(inv: { status: InvoiceStatus; lines: unknown[]; total: string }): void {
  if (inv.status !== 'draft')
    throw conflict('invoice_not_draft', 'Only a draft can be posted; this invoice is already posted.');
  if (inv.lines.length === 0)
    throw conflict('invoice_empty', 'An invoice needs at least one line before it can be posted.');
  if (dec(inv.total).isNegative())
    throw conflict(
      'invoice_total_negative',
      'An invoice cannot be posted with a negative total; issue a credit note instead.',
    );
}

export function assertDraft(inv: { status: InvoiceStatus }): void {
  if (inv.status !== 'draft')
    throw conflict('invoice_not_draft', 'A posted invoice cannot be changed; correct it with a credit note.');
}

export function assertVoidable(inv: Balances & { status: InvoiceStatus }): void {
  if (inv.status === 'draft') throw conflict('invoice_is_draft', 'A draft is not voided but deleted.');
  if (inv.status === 'void') throw conflict('invoice_already_void', 'This invoice is already void.');
  if (inv.status === 'uncollectible')
    throw conflict('invoice_uncollectible', 'An uncollectible invoice cannot be voided.');
  if (!dec(inv.amountPaid).isZero() || !dec(inv.amountCredited).isZero() || !dec(inv.amountWrittenOff).isZero())
    throw conflict(
      'invoice_has_activity',
      'Only an invoice with nothing paid, credited or written off can be voided; issue a credit note instead.',
    );
}

export function assertCollectible(inv: { status: InvoiceStatus; amountDue: string }): void {
  if (inv.status !== 'posted')
    throw conflict(
      'invoice_not_open',
      `Only an open posted invoice can be marked uncollectible (this one is ${inv.status}).`,
    );
  if (dec(inv.amountDue).isZero()) throw conflict('invoice_not_open', 'Nothing is due on this invoice.');
}

/** Money can be applied to posted invoices (and uncollectible ones, as a recovery), up to amount_due. */
export function assertCanReceive(
  inv: { status: InvoiceStatus; amountDue: string; number: string | null },
  amount: Decimal,
  param: string,
): void {
  if (inv.status !== 'posted' && inv.status !== 'uncollectible')
    throw conflict(
      'invoice_not_open',
      `Invoice ${inv.number ?? ''} is ${inv.status}; money can be applied only to open posted invoices.`.replace(
        '  ',
        ' ',
      ),
      param,
    );
  if (amount.greaterThan(inv.amountDue))
    throw conflict(
      'allocation_exceeds_amount_due',
      `${amount.toFixed()} is more than the ${inv.amountDue} due on invoice ${inv.number}.`,
      param,
    );
}
