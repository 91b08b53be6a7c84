import { Decimal, ZERO } from '../money/money';

// Pure: no I/O, no clock. The one rule for "spend this amount over these sources, in order", used by auto-apply,
// apply credit, refunds through payments, and served to the web app (web/src/lib/allocation.ts imports it).

/** Spends `amount` over `sources` in the order given, each giving at most what it has; returns the takes and what is left. */
export function spendInOrder<S extends { available: Decimal }>(
  amount: Decimal,
  sources: readonly S[],
): { takes: { source: S; amount: Decimal }[]; left: Decimal } {
  const takes: { source: S; amount: Decimal }[] = [];
  let left = amount;
  for (const source of sources) {
    if (left.lte(ZERO)) break;
    if (source.available.lte(ZERO)) continue;
    const take = Decimal.min(left, source.available);
    takes.push({ source, amount: take });
    left = left.minus(take);
  }
  return { takes, left };
}

export interface OpenInvoice {
  id: string;
  amountDue: Decimal;
  dueDate: string;
  issueDate: string;
  number: string;
}

// Numbers compare with their digits as numbers, so INV-9 comes before INV-10 even without zero padding.
const numberOrder = new Intl.Collator('en', { numeric: true });

/** API.md Payments `auto_apply`: oldest due date first, then issue date, then number (numerically), then id. */
export function byPaymentOrder(
  a: { id: string; dueDate: string; issueDate: string; number: string },
  b: { id: string; dueDate: string; issueDate: string; number: string },
): number {
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
  const ordered = [...openInvoices].sort(byPaymentOrder).map((inv) => ({ id: inv.id, available: inv.amountDue }));
  const { takes, left } = spendInOrder(amount, ordered);
  return { allocations: takes.map((t) => ({ invoice: t.source.id, amount: t.amount })), unapplied: left };
}
