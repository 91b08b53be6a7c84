import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { creditNotes } from '../credit-notes/tables';
import type { CustomerRow } from '../crm/schemas';
import { customers } from '../crm/tables';
import { type InvoiceRow, lockInvoice } from '../invoicing/receivable-store';
import { invoices } from '../invoicing/tables';
import { moneyRefunded } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { type Decimal, formatAmount } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { notFound, unprocessable } from '../platform/errors';
import { newId } from '../platform/ids';
import type { Allocation } from './amount-input';
import type { ApplicationRow, PaymentRow } from './schemas';
import { applications, payments, refunds } from './tables';

// Reads and writes of payments. Lock order everywhere: customer, then payments and credit notes, then invoices by id.

type Ctx = Pick<RequestContext, 'orgId' | 'actor' | 'clock'>;

/** The customer FOR UPDATE: every money movement of one customer runs one at a time, so balances never race. */
export async function lockCustomer(tx: Queryable, ctx: Ctx, id: string, param?: string): Promise<CustomerRow> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.orgId, ctx.orgId)))
    .for('update');
  if (!row)
    throw param
      ? unprocessable('customer_not_found', `No customer ${id} in this organization.`, param)
      : notFound('customer', id);
  return row;
}

export async function findPayment(
  q: Queryable,
  ctx: Pick<Ctx, 'orgId'>,
  id: string,
  lock = false,
): Promise<PaymentRow> {
  const query = q
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), eq(payments.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('payment', id);
  return row;
}

export async function updatePayment(
  tx: Queryable,
  id: string,
  set: Partial<typeof payments.$inferInsert>,
): Promise<PaymentRow> {
  const [row] = await tx.update(payments).set(set).where(eq(payments.id, id)).returning();
  return row!;
}

/** Live allocations of payments, oldest first, by payment id. */
export async function liveAllocations(q: Queryable, paymentIds: string[]): Promise<Map<string, ApplicationRow[]>> {
  const byPayment = new Map<string, ApplicationRow[]>(paymentIds.map((id) => [id, []]));
  if (paymentIds.length === 0) return byPayment;
  const rows = await q
    .select()
    .from(applications)
    .where(and(inArray(applications.sourceId, paymentIds), sql`${applications.reversedOn} is null`))
    .orderBy(asc(applications.createdAt), asc(applications.id));
  for (const row of rows) byPayment.get(row.sourceId)?.push(row);
  return byPayment;
}

/** The allocated invoices FOR UPDATE in id order (no deadlock between payments); unknown or another customer's: 422. */
export async function lockAllocatedInvoices(
  tx: Queryable,
  ctx: Ctx,
  customer: CustomerRow,
  allocations: Allocation[],
): Promise<Map<string, InvoiceRow>> {
  const locked = new Map<string, InvoiceRow>();
  const ordered = [...allocations].sort((a, b) => (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0));
  for (const a of ordered) {
    const inv = await lockCustomerInvoice(tx, ctx, customer, a.invoice, a.param.replace(/\.amount$/, '.invoice'));
    locked.set(inv.id, inv);
  }
  return locked;
}

/** An invoice named in a body, FOR UPDATE: unknown or another customer's is 422 on `param`. */
export async function lockCustomerInvoice(
  tx: Queryable,
  ctx: Ctx,
  customer: CustomerRow,
  id: string,
  param: string,
): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, id, param);
  if (inv.customerId !== customer.id)
    throw unprocessable(
      'invoice_of_other_customer',
      `Invoice ${inv.number ?? inv.id} belongs to another customer than ${customer.name}.`,
      param,
    );
  return inv;
}

/** The customer's open posted invoices, FOR UPDATE in id order. */
export async function lockOpenInvoices(tx: Queryable, ctx: Ctx, customerId: string): Promise<InvoiceRow[]> {
  return tx
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.orgId, ctx.orgId),
        eq(invoices.customerId, customerId),
        eq(invoices.status, 'posted'),
        gt(invoices.amountDue, '0'),
      ),
    )
    .orderBy(asc(invoices.id))
    .for('update');
}

/** Money paid back: a refunds row and its journal entry (customer credit to bank). */
export async function recordRefund(
  tx: Queryable,
  ctx: Ctx,
  r: {
    customerId: string;
    sourceType: 'payment' | 'credit_note';
    sourceId: string;
    amount: Decimal;
    currency: string;
    date: string;
    memo: string;
  },
): Promise<string> {
  const id = newId('ref');
  const amount = formatAmount(r.amount, r.currency);
  await tx.insert(refunds).values({
    id,
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    customerId: r.customerId,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    amount,
    date: r.date,
  });
  await recordEntries(tx, ctx, [moneyRefunded({ id, date: r.date, currency: r.currency, amount, memo: r.memo })]);
  return id;
}

export interface CreditSource {
  type: 'payment' | 'credit_note';
  id: string;
  unapplied: string;
}

/** What makes up the customer's credit balance, FOR UPDATE, in the order it is used: payments oldest first, then credit notes. */
export async function lockCreditSources(tx: Queryable, ctx: Ctx, customerId: string): Promise<CreditSource[]> {
  const paymentRows = await tx
    .select({ id: payments.id, unapplied: payments.unappliedAmount })
    .from(payments)
    .where(
      and(
        eq(payments.orgId, ctx.orgId),
        eq(payments.customerId, customerId),
        eq(payments.status, 'succeeded'),
        gt(payments.unappliedAmount, '0'),
      ),
    )
    .orderBy(asc(payments.date), asc(payments.createdAt), asc(payments.id))
    .for('update');
  const noteRows = await tx
    .select({ id: creditNotes.id, unapplied: creditNotes.unappliedAmount })
    .from(creditNotes)
    .where(
      and(
        eq(creditNotes.orgId, ctx.orgId),
        eq(creditNotes.customerId, customerId),
        eq(creditNotes.status, 'issued'),
        gt(creditNotes.unappliedAmount, '0'),
      ),
    )
    .orderBy(asc(creditNotes.issueDate), asc(creditNotes.createdAt), asc(creditNotes.id))
    .for('update');
  return [
    ...paymentRows.map((r) => ({ type: 'payment' as const, ...r })),
    ...noteRows.map((r) => ({ type: 'credit_note' as const, ...r })),
  ];
}

/** Lowers a credit note's unapplied amount after its money was applied. */
export async function drawOnCreditNote(tx: Queryable, id: string, amount: Decimal, currency: string): Promise<void> {
  await tx
    .update(creditNotes)
    .set({ unappliedAmount: sql`${creditNotes.unappliedAmount} - ${formatAmount(amount, currency)}::numeric` })
    .where(eq(creditNotes.id, id));
}
