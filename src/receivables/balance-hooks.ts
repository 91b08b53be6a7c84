import type { InvoiceRow } from '../invoicing/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';

/**
 * What other capabilities do when money moves on an invoice, in the same transaction with the invoice locked (a
 * promise to pay is kept). Receivables calls none of them by name: they subscribe here, once, from the composition
 * root (src/job-handlers.ts), so the money layer stays at the bottom of the capability graph.
 */
export type BalanceListener = (
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  invoice: InvoiceRow,
) => Promise<void>;

const listeners = new Set<BalanceListener>();

export function onBalanceChange(listener: BalanceListener): void {
  listeners.add(listener);
}

export async function balanceChanged(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  invoice: InvoiceRow,
): Promise<void> {
  for (const listener of listeners) await listener(tx, ctx, invoice);
}
