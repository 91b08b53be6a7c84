import { Decimal, ZERO } from '../money/money';

export interface OpenInvoice {
  id: string;
  amountDue: Decimal;
  dueDate: string;
  issueDate: string;
  number: string;
}

// Numbers compare with their digits as numbers, so INV-9 comes before INV-10 even without zero padding.
const numberOrder = new Intl.Collator('en', { numeric: true });

/** API.md Payments `auto_apply`: oldest due date first, then issue date, then number. */
function byPaymentOrder(a: OpenInvoice, b: OpenInvoice): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.issueDate !== b.issueDate) return a.issueDate < b.issueDate ? -1 : 1;
  return numberOrder.compare(a.number, b.number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Pays open invoices in payment order until the money runs out; what is left is unapplied. */
export function autoApply(
  amount: Decimal,
  openInvoices: OpenInvoice[],
): { allocations: { invoice: string; amount: Decimal }[]; unapplied: Decimal } {
  if (amount.isNegative()) throw new RangeError('A payment amount cannot be negative.');
  const allocations: { invoice: string; amount: Decimal }[] = [];
  let remaining = amount;
  for (const invoice of [...openInvoices].sort(byPaymentOrder)) {
    if (remaining.lte(ZERO)) break;
    if (invoice.amountDue.lte(ZERO)) continue;
    const applied = Decimal.min(remaining, invoice.amountDue);
    allocations.push({ invoice: invoice.id, amount: applied });
    remaining = remaining.minus(applied);
  }
  return { allocations, unapplied: remaining };
}
