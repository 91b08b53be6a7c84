import { and, eq, sql } from 'drizzle-orm';
import { creditNotes } from '../credit-notes/tables';
import type { InvoiceRow } from '../invoicing/tables';
import { dec } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { recordEvent } from '../platform/events';
import { applications } from '../receivables/tables';
import { paymentPromises } from './tables';

type Ctx = Pick<RequestContext, 'orgId' | 'actor' | 'clock'>;
export type PromiseRow = typeof paymentPromises.$inferSelect;

/**
 * Money that counts toward a promise: payment allocations and applied credit (a payment's or credit note's money
 * taken from the credit balance), dated from the promise's creation through its date and not taken back. A credit
 * note credited straight to this invoice (or refunded through it) is a correction, not the customer paying.
 */
async function moneyTowards(tx: Queryable, p: PromiseRow): Promise<string> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${applications.amount}), 0)::text` })
    .from(applications)
    .leftJoin(creditNotes, and(eq(applications.sourceType, 'credit_note'), eq(creditNotes.id, applications.sourceId)))
    .where(
      and(
        eq(applications.invoiceId, p.invoiceId),
        sql`${applications.reversedOn} is null`,
        sql`${applications.date} between ${p.createdOn} and ${p.date}`,
        sql`(${applications.sourceType} = 'payment' or not (${creditNotes.creditTo} in ('invoice', 'refund')
              and ${creditNotes.invoiceId} = ${applications.invoiceId}))`,
      ),
    );
  return row?.total ?? '0';
}

/**
 * After money moved on an invoice (in that transaction, with the invoice locked): its open promise is kept when the
 * money counting toward it reaches the amount, else cancelled when nothing is due any more. A kept promise stays
 * kept whatever happens later (a reversal does not reopen it).
 */
export async function settlePromise(tx: Queryable, ctx: Ctx, inv: InvoiceRow): Promise<void> {
  const [open] = await tx
    .select()
    .from(paymentPromises)
    .where(and(eq(paymentPromises.invoiceId, inv.id), eq(paymentPromises.status, 'open')))
    .for('update');
  if (!open) return;
  const counted = await moneyTowards(tx, open);
  const kept = dec(counted).greaterThanOrEqualTo(open.amount);
  if (!kept && !dec(inv.amountDue).isZero()) return;
  const status = kept ? 'kept' : 'cancelled';
  await tx.update(paymentPromises).set({ status, resolvedAt: ctx.clock.now() }).where(eq(paymentPromises.id, open.id));
  await recordEvent(
    tx,
    ctx,
    kept ? 'invoice.promise_kept' : 'invoice.promise_cancelled',
    { type: 'invoice', id: inv.id },
    { promise: open.id, amount: open.amount, date: open.date },
  );
}
