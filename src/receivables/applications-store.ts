import { and, eq, sql } from 'drizzle-orm';
import { lockInvoice } from '../invoicing/invoice-store';
import { amountDue, assertCanReceive, type InvoiceStatus, statusAfterBalanceChange } from '../invoicing/lifecycle';
import { type InvoiceRow, invoices } from '../invoicing/tables';
import { applicationReversed, moneyApplied } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { type Decimal, dec, formatAmount } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { conflict } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { balanceChanged } from './balance-hooks';
import { applications } from './tables';

// How money moves onto and off an invoice: the one place that changes amount_paid, amount_credited, amount_written_off
// and amount_due (applications, reversals, write-offs).

export type ApplicationRow = typeof applications.$inferSelect;
type Ctx = Pick<RequestContext, 'orgId' | 'actor' | 'clock'>;

/** Writes new balances, status and paid date; records invoice.paid when it became paid. */
async function saveBalances(
  tx: Queryable,
  ctx: Ctx,
  inv: InvoiceRow,
  change: { amountPaid?: Decimal; amountCredited?: Decimal; amountWrittenOff?: Decimal },
  date: string,
): Promise<InvoiceRow> {
  const money = (d: Decimal) => formatAmount(d, inv.currency);
  const amountPaid = money(dec(inv.amountPaid).plus(change.amountPaid ?? 0));
  const amountCredited = money(dec(inv.amountCredited).plus(change.amountCredited ?? 0));
  const amountWrittenOff = money(dec(inv.amountWrittenOff).plus(change.amountWrittenOff ?? 0));
  const due = amountDue({ total: inv.total, amountPaid, amountCredited, amountWrittenOff }, inv.currency);
  const status = statusAfterBalanceChange(inv.status as InvoiceStatus, due, inv.uncollectibleOn !== null);
  const [updated] = await tx
    .update(invoices)
    .set({
      amountPaid,
      amountCredited,
      amountWrittenOff,
      amountDue: due,
      status,
      paidOn: status === 'paid' ? (inv.paidOn ?? date) : null,
    })
    .where(eq(invoices.id, inv.id))
    .returning();
  if (status === 'paid' && inv.status !== 'paid')
    await recordEvent(tx, ctx, 'invoice.paid', { type: 'invoice', id: inv.id }, { date, number: inv.number });
  if (status !== 'paid' && inv.status === 'paid')
    await recordEvent(tx, ctx, 'invoice.reopened', { type: 'invoice', id: inv.id }, { date, amount_due: due });
  // Subscribers (a promise to pay kept or made moot) act on the money that moved here, in this transaction.
  await balanceChanged(tx, ctx, updated!);
  return updated!;
}

/** Applies money from a payment or credit note to a locked invoice, at most its amount due; journal and events included. */
export async function applyMoney(
  tx: Queryable,
  ctx: Ctx,
  inv: InvoiceRow,
  m: { amount: Decimal; sourceType: 'payment' | 'credit_note'; sourceId: string; date: string; param: string },
): Promise<InvoiceRow> {
  assertCanReceive(
    { status: inv.status as InvoiceStatus, amountDue: inv.amountDue, number: inv.number },
    m.amount,
    m.param,
  );
  await assertDateKeepsHistory(tx, inv, m.date, m.param);
  const id = newId('app');
  const amount = formatAmount(m.amount, inv.currency);
  await tx.insert(applications).values({
    id,
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    invoiceId: inv.id,
    sourceType: m.sourceType,
    sourceId: m.sourceId,
    amount,
    date: m.date,
  });
  const recovery = inv.status === 'uncollectible';
  await recordEntries(tx, ctx, [
    moneyApplied({ id, date: m.date, currency: inv.currency, amount, invoiceNumber: inv.number ?? inv.id, recovery }),
  ]);
  return saveBalances(
    tx,
    ctx,
    inv,
    m.sourceType === 'payment' ? { amountPaid: m.amount } : { amountCredited: m.amount },
    m.date,
  );
}

/**
 * Money dated in the past must not rewrite what the invoice owed on the days in between: the receivables account and
 * the aging as of those dates must stay equal. So it may not be dated before the invoice became uncollectible
 * (that money is a recovery of bad debt), nor before money was last taken back off the invoice.
 */
async function assertDateKeepsHistory(tx: Queryable, inv: InvoiceRow, date: string, param: string): Promise<void> {
  if (inv.uncollectibleOn && date < inv.uncollectibleOn)
    throw conflict(
      'date_before_uncollectible',
      `Invoice ${inv.number} was written off as uncollectible on ${inv.uncollectibleOn}; money for it is a recovery dated on or after that day.`,
      param,
    );
  const [latest] = await tx
    .select({ on: sql<string | null>`max(${applications.reversedOn})::text` })
    .from(applications)
    .where(eq(applications.invoiceId, inv.id));
  if (latest?.on && date < latest.on)
    throw conflict(
      'date_before_reversal',
      `Money was taken back off invoice ${inv.number} on ${latest.on}; date what you apply now on or after that day.`,
      param,
    );
}

/** Takes applied money back off its invoices (payment reversal, credit refund); the rows stay, dated, for past aging. */
export async function reverseApplication(
  tx: Queryable,
  ctx: Ctx,
  app: ApplicationRow,
  date: string,
  amount?: Decimal,
): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, app.invoiceId);
  const taken = amount ?? dec(app.amount);
  if (taken.equals(app.amount)) {
    await tx.update(applications).set({ reversedOn: date }).where(eq(applications.id, app.id));
  } else {
    // Part of it: the application shrinks from `date` on, recorded as a reversed whole and a new remainder.
    await tx.update(applications).set({ reversedOn: date }).where(eq(applications.id, app.id));
    await tx.insert(applications).values({
      id: newId('app'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      invoiceId: app.invoiceId,
      sourceType: app.sourceType,
      sourceId: app.sourceId,
      amount: formatAmount(dec(app.amount).minus(taken), inv.currency),
      date,
    });
  }
  // While the invoice is written off, money taken back off it returns to bad debt, whenever it was applied.
  const recovery = inv.uncollectibleOn !== null && date >= inv.uncollectibleOn;
  await recordEntries(tx, ctx, [
    applicationReversed({
      id: app.id,
      date,
      currency: inv.currency,
      amount: formatAmount(taken, inv.currency),
      invoiceNumber: inv.number ?? inv.id,
      recovery,
    }),
  ]);
  return saveBalances(
    tx,
    ctx,
    inv,
    app.sourceType === 'payment' ? { amountPaid: taken.neg() } : { amountCredited: taken.neg() },
    date,
  );
}

/** A small difference written off (the caller checked the limit). */
export async function recordWriteOff(
  tx: Queryable,
  ctx: Ctx,
  inv: InvoiceRow,
  amount: Decimal,
  date: string,
): Promise<InvoiceRow> {
  return saveBalances(tx, ctx, inv, { amountWrittenOff: amount }, date);
}

/** Live applications of a source (payment or credit note), oldest first. */
export async function applicationsOf(tx: Queryable, sourceId: string): Promise<ApplicationRow[]> {
  return tx
    .select()
    .from(applications)
    .where(and(eq(applications.sourceId, sourceId), sql`${applications.reversedOn} is null`))
    .orderBy(applications.createdAt, applications.id);
}
