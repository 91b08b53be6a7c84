import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { CustomerRow } from '../crm/schemas';
import { customers } from '../crm/tables';
import { type InvoiceRow, lockInvoice } from '../invoicing/invoice-store';
import { invoices } from '../invoicing/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { notFound, unprocessable } from '../platform/errors';
import { applications } from '../receivables/tables';
import type { Allocation } from './amount-input';
import type { ApplicationRow, PaymentRow } from './schemas';
import { payments } from './tables';

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
