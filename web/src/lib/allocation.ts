import Decimal from 'decimal.js';

/**
 * Spreads an amount over open invoices in the given order (oldest due first), each getting at most what it owes.
 * Exact decimals; returns the amount per invoice id (zero amounts left out) and what is left unapplied.
 */
export function suggestAllocations(
  amount: string,
  invoices: readonly { id: string; amount_due: string }[],
  digits: number,
): { allocations: Map<string, string>; unapplied: string } {
  const allocations = new Map<string, string>();
  let left: Decimal;
  try {
    left = new Decimal(amount.trim() || '0');
  } catch {
    return { allocations, unapplied: '0' };
  }
  if (left.isNegative()) return { allocations, unapplied: left.toFixed(digits) };
  for (const inv of invoices) {
    if (left.isZero()) break;
    const take = Decimal.min(left, new Decimal(inv.amount_due));
    if (take.isPositive()) {
      allocations.set(inv.id, take.toFixed(digits));
      left = left.minus(take);
    }
  }
  return { allocations, unapplied: left.toFixed(digits) };
}
