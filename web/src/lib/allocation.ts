import { spendInOrder } from '@arbor/receivables/spend';
import Decimal from 'decimal.js';

/**
 * Spreads an amount over open invoices in the given order (oldest due first), each getting at most what it owes:
 * the server's own rule (src/receivables/spend.ts). Returns the amount per invoice id (zero amounts left out)
 * and what is left unapplied, with the currency's digits.
 */
export function suggestAllocations(
  amount: string,
  invoices: readonly { id: string; amount_due: string }[],
  digits: number,
): { allocations: Map<string, string>; unapplied: string } {
  const allocations = new Map<string, string>();
  let total: Decimal;
  try {
    total = new Decimal(amount.trim() || '0');
  } catch {
    return { allocations, unapplied: '0' };
  }
  if (total.isNegative()) return { allocations, unapplied: total.toFixed(digits) };
  const { takes, left } = spendInOrder(
    total,
    invoices.map((inv) => ({ id: inv.id, available: new Decimal(inv.amount_due) })),
  );
  for (const t of takes) allocations.set(t.source.id, t.amount.toFixed(digits));
  return { allocations, unapplied: left.toFixed(digits) };
}
