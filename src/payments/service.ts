import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { bankAccounts } from '../bank/tables';
import type { CustomerRow } from '../crm/schemas';
import { assertCanReceive, type InvoiceStatus } from '../invoicing/lifecycle';
import type { InvoiceRow } from '../invoicing/tables';
import { paymentReceived, paymentReversed } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { Decimal, dec, formatAmount, sum } from '../money/money';
import { assertPeriodOpenIn } from '../organizations/service';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, invalid, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterSortedCursor, listSort, sortOrder, toPage } from '../platform/pagination';
import { applicationsOf, applyMoney, reverseApplication } from '../receivables/applications-store';
import { lockCreditSources, recordRefund, syncCreditBalance, writeUnapplied } from '../receivables/credit-store';
import { autoApply, spendInOrder } from '../receivables/spend';
import { type Allocation, parseAllocations, parseMoney } from './amount-input';
import {
  findPayment,
  liveAllocations,
  lockAllocatedInvoices,
  lockCustomer,
  lockCustomerInvoice,
  lockOpenInvoices,
  updatePayment,
} from './payment-store';
import type {
  AllocateIn,
  ApplicationRow,
  ApplyCreditIn,
  PaymentIn,
  PaymentListQuery,
  PaymentRow,
  RefundIn,
  ReverseIn,
} from './schemas';
import { payments } from './tables';

export interface PaymentWithAllocations {
  payment: PaymentRow;
  allocations: ApplicationRow[];
}

async function withAllocations(q: Queryable, payment: PaymentRow): Promise<PaymentWithAllocations> {
  return { payment, allocations: (await liveAllocations(q, [payment.id])).get(payment.id) ?? [] };
}

function checkCurrency(customer: CustomerRow, currency: string | undefined): string {
  if (currency !== undefined && currency !== customer.currency)
    throw unprocessable(
      'currency_mismatch',
      `Customer ${customer.name} pays in ${customer.currency}, not ${currency}.`,
      'currency',
    );
  return customer.currency;
}

function assertNotBefore(date: string, earliest: string, what: string): void {
  if (date < earliest)
    throw invalid('date_before_payment', `The date ${date} is before ${what} (${earliest}).`, 'date');
}

/** Money received before an invoice was issued waits in the credit balance until its issue date (aging and journal agree). */
export function applicationDate(date: string, inv: Pick<InvoiceRow, 'issueDate'>): string {
  return inv.issueDate && inv.issueDate > date ? inv.issueDate : date;
}

/** Applies checked allocations of a payment to its locked invoices; returns the sum applied. */
async function applyAllocations(
  tx: Queryable,
  ctx: RequestContext,
  payment: PaymentRow,
  allocations: Allocation[],
  locked: Map<string, InvoiceRow>,
  date: string,
): Promise<Decimal> {
  for (const a of allocations) {
    const inv = locked.get(a.invoice)!;
    locked.set(
      a.invoice,
      await applyMoney(tx, ctx, inv, {
        amount: a.amount,
        sourceType: 'payment',
        sourceId: payment.id,
        date: applicationDate(date, inv),
        param: a.param,
      }),
    );
  }
  return sum(allocations.map((a) => a.amount));
}

/** Records money received: allocations or auto-apply at the payment's date; the rest joins the credit balance. */
export async function createPayment(ctx: RequestContext, input: PaymentIn): Promise<PaymentWithAllocations> {
  return ctx.db.transaction((tx) => createPaymentIn(tx, ctx, input));
}

/** createPayment, in the caller's transaction. */
export async function createPaymentIn(tx: Tx, ctx: RequestContext, input: PaymentIn): Promise<PaymentWithAllocations> {
  const customer = await lockCustomer(tx, ctx, input.customer, 'customer');
  const currency = checkCurrency(customer, input.currency);
  const amount = parseMoney(input.amount, currency, 'amount');
  if (input.allocations && input.auto_apply)
    throw invalid('allocations_with_auto_apply', 'Give allocations or auto_apply, not both.', 'auto_apply');
  const date = input.date ?? ctx.today;
  await assertPeriodOpenIn(tx, ctx.orgId, date, 'date');
  let allocations = parseAllocations(input.allocations ?? [], currency, {
    amount,
    code: 'allocations_exceed_payment_amount',
    what: 'of the payment',
  });
  const locked = input.auto_apply
    ? new Map((await lockOpenInvoices(tx, ctx, customer.id)).map((inv) => [inv.id, inv]))
    : await lockAllocatedInvoices(tx, ctx, customer, allocations);
  if (input.auto_apply) {
    const open = [...locked.values()].map((inv) => ({
      id: inv.id,
      amountDue: dec(inv.amountDue),
      dueDate: inv.dueDate!,
      issueDate: inv.issueDate!,
      number: inv.number!,
    }));
    allocations = autoApply(amount, open).allocations.map((a) => ({ ...a, param: 'auto_apply' }));
  }

  const bankAccountId = await paymentBankAccount(tx, ctx, input.bank_account, input.method, currency);
  const id = newId('pay');
  const value = formatAmount(amount, currency);
  const reference = input.reference ?? null;
  const [inserted] = await tx
    .insert(payments)
    .values({
      id,
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId: customer.id,
      amount: value,
      currency,
      date,
      method: input.method,
      reference,
      bankAccountId,
      unappliedAmount: value,
    })
    .returning();
  await recordEntries(tx, ctx, [paymentReceived({ id, date, currency, amount: value, reference })]);
  const applied = await applyAllocations(tx, ctx, inserted!, allocations, locked, date);
  const unapplied = formatAmount(amount.minus(applied), currency);
  await writeUnapplied(tx, { type: 'payment', id }, amount.minus(applied), currency);
  await syncCreditBalance(tx, customer.id);
  const payment = await findPayment(tx, ctx, id);
  await recordEvent(
    tx,
    ctx,
    'payment.created',
    { type: 'payment', id },
    {
      customer: customer.id,
      amount: value,
      date,
      method: input.method,
      allocations: allocations.map((a) => ({ invoice: a.invoice, amount: formatAmount(a.amount, currency) })),
      unapplied_amount: unapplied,
    },
  );
  return withAllocations(tx, payment);
}

/** The bank account a payment names, else (bank_transfer, sepa_debit) the oldest active one in its currency, else null. */
async function paymentBankAccount(
  tx: Queryable,
  ctx: RequestContext,
  given: string | null | undefined,
  method: string,
  currency: string,
): Promise<string | null> {
  if (given) {
    const [row] = await tx
      .select()
      .from(bankAccounts)
      .where(and(eq(bankAccounts.id, given), eq(bankAccounts.orgId, ctx.orgId)));
    if (!row)
      throw unprocessable('bank_account_not_found', `No bank account ${given} in this organization.`, 'bank_account');
    if (row.currency !== currency)
      throw unprocessable(
        'currency_mismatch',
        `Bank account ${row.name} holds ${row.currency}, not ${currency}.`,
        'bank_account',
      );
    return row.id;
  }
  if (method !== 'bank_transfer' && method !== 'sepa_debit') return null;
  const [oldest] = await tx
    .select({ id: bankAccounts.id })
    .from(bankAccounts)
    .where(and(eq(bankAccounts.orgId, ctx.orgId), eq(bankAccounts.currency, currency), eq(bankAccounts.active, true)))
    .orderBy(asc(bankAccounts.createdAt), asc(bankAccounts.id))
    .limit(1);
  return oldest?.id ?? null;
}

/** Locks what a payment action needs, in the one order: the customer, then the payment; a reversed one is refused. */
async function lockPaymentForChange(tx: Queryable, ctx: RequestContext, id: string, reversedCode = 'payment_reversed') {
  const found = await findPayment(tx, ctx, id);
  const customer = await lockCustomer(tx, ctx, found.customerId);
  const payment = await findPayment(tx, ctx, id, true);
  if (payment.status === 'reversed')
    throw conflict(reversedCode, `Payment ${id} was reversed on ${payment.reversedOn}.`);
  return { customer, payment };
}

/** Applies unapplied money of a payment later (dated today unless `date` is given). */
export async function allocatePayment(
  ctx: RequestContext,
  id: string,
  input: AllocateIn,
): Promise<PaymentWithAllocations> {
  return ctx.db.transaction((tx) => allocatePaymentIn(tx, ctx, id, input));
}

/** allocatePayment, in the caller's transaction. */
export async function allocatePaymentIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: AllocateIn,
): Promise<PaymentWithAllocations> {
  const { customer, payment } = await lockPaymentForChange(tx, ctx, id);
  const date = input.date ?? ctx.today;
  assertNotBefore(date, payment.date, 'the payment date');
  await assertPeriodOpenIn(tx, ctx.orgId, date, 'date');
  const allocations = parseAllocations(input.allocations, payment.currency, {
    amount: dec(payment.unappliedAmount),
    code: 'allocations_exceed_unapplied_amount',
    what: 'unapplied on this payment',
  });
  const locked = await lockAllocatedInvoices(tx, ctx, customer, allocations);
  const applied = await applyAllocations(tx, ctx, payment, allocations, locked, date);
  const unapplied = formatAmount(dec(payment.unappliedAmount).minus(applied), payment.currency);
  await writeUnapplied(tx, { type: 'payment', id }, dec(payment.unappliedAmount).minus(applied), payment.currency);
  await syncCreditBalance(tx, customer.id);
  const updated = await findPayment(tx, ctx, id);
  await recordEvent(
    tx,
    ctx,
    'payment.allocated',
    { type: 'payment', id },
    {
      date,
      allocations: allocations.map((a) => ({ invoice: a.invoice, amount: formatAmount(a.amount, payment.currency) })),
      unapplied_amount: unapplied,
    },
  );
  return withAllocations(tx, updated);
}

/** Pays unapplied money of a payment back to the customer. */
export async function refundPayment(ctx: RequestContext, id: string, input: RefundIn): Promise<PaymentWithAllocations> {
  return ctx.db.transaction((tx) => refundPaymentIn(tx, ctx, id, input));
}

/** refundPayment, in the caller's transaction. */
export async function refundPaymentIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: RefundIn,
): Promise<PaymentWithAllocations> {
  const { customer, payment } = await lockPaymentForChange(tx, ctx, id);
  const amount = parseMoney(input.amount, payment.currency, 'amount');
  const date = input.date ?? ctx.today;
  assertNotBefore(date, payment.date, 'the payment date');
  await assertPeriodOpenIn(tx, ctx.orgId, date, 'date');
  if (amount.greaterThan(payment.unappliedAmount))
    throw conflict(
      'refund_exceeds_unapplied_amount',
      `Only ${payment.unappliedAmount} of this payment is unapplied; ${input.amount} cannot be refunded.`,
      'amount',
    );
  const money = (d: Decimal) => formatAmount(d, payment.currency);
  const refundId = await recordRefund(tx, ctx, {
    customerId: customer.id,
    sourceType: 'payment',
    sourceId: id,
    amount,
    currency: payment.currency,
    date,
    memo: `Refund of payment${payment.reference ? ` ${payment.reference}` : ''}`,
  });
  await writeUnapplied(tx, { type: 'payment', id }, dec(payment.unappliedAmount).minus(amount), payment.currency);
  const updated = await updatePayment(tx, id, { refundedAmount: money(dec(payment.refundedAmount).plus(amount)) });
  await syncCreditBalance(tx, customer.id);
  await recordEvent(
    tx,
    ctx,
    'payment.refunded',
    { type: 'payment', id },
    { refund: refundId, amount: money(amount), date },
  );
  return withAllocations(tx, updated);
}

/** A bounced payment: its allocations come off (reopening the invoices) and the money leaves the bank again. */
export async function reversePayment(
  ctx: RequestContext,
  id: string,
  input: ReverseIn,
): Promise<PaymentWithAllocations> {
  return ctx.db.transaction((tx) => reversePaymentIn(tx, ctx, id, input));
}

/** reversePayment, in the caller's transaction. */
export async function reversePaymentIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: ReverseIn,
): Promise<PaymentWithAllocations> {
  const { customer, payment } = await lockPaymentForChange(tx, ctx, id, 'payment_already_reversed');
  const date = ctx.today;
  await assertPeriodOpenIn(tx, ctx.orgId, date, null);
  const live = (await applicationsOf(tx, id)).sort((a, b) =>
    a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0,
  );
  for (const app of live) await reverseApplication(tx, ctx, app, date);
  const money = (d: Decimal) => formatAmount(d, payment.currency);
  await recordEntries(tx, ctx, [
    paymentReversed({
      id,
      date,
      currency: payment.currency,
      amount: money(dec(payment.amount).minus(payment.refundedAmount)),
      reason: input.reason,
    }),
  ]);
  await writeUnapplied(tx, { type: 'payment', id }, dec(0), payment.currency);
  const updated = await updatePayment(tx, id, { status: 'reversed', reversedOn: date, reversalReason: input.reason });
  await syncCreditBalance(tx, customer.id);
  await recordEvent(
    tx,
    ctx,
    'payment.reversed',
    { type: 'payment', id },
    { reason: input.reason, date, reopened: [...new Set(live.map((a) => a.invoiceId))] },
  );
  return withAllocations(tx, updated);
}

export async function getPayment(
  q: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
): Promise<PaymentWithAllocations> {
  return withAllocations(q, await findPayment(q, ctx, id));
}

export async function listPayments(
  ctx: RequestContext,
  q: PaymentListQuery,
): Promise<{ data: PaymentWithAllocations[]; has_more: boolean }> {
  const sort = listSort(
    q.sort,
    { date: [sql`${payments.date}`], amount: [sql`${payments.amount}`], created_at: [sql`${payments.createdAt}`] },
    { keys: [sql`${payments.createdAt}`], descending: true },
  );
  const cursor = await afterSortedCursor(ctx.db, payments, ctx.orgId, q.starting_after, sort);
  const c: (SQL | undefined)[] = [eq(payments.orgId, ctx.orgId), cursor];
  if (q.customer) c.push(eq(payments.customerId, q.customer));
  if (q.status) c.push(eq(payments.status, q.status));
  const rows = await ctx.db
    .select()
    .from(payments)
    .where(and(...c))
    .orderBy(...sortOrder(payments, sort))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit);
  const allocations = await liveAllocations(
    ctx.db,
    page.data.map((p) => p.id),
  );
  return {
    data: page.data.map((payment) => ({ payment, allocations: allocations.get(payment.id) ?? [] })),
    has_more: page.has_more,
  };
}

/** Pays an invoice from the customer's credit balance: unapplied payments oldest first, then credit notes. */
export async function applyCredit(ctx: RequestContext, customerId: string, input: ApplyCreditIn): Promise<CustomerRow> {
  return ctx.db.transaction((tx) => applyCreditIn(tx, ctx, customerId, input));
}

/** applyCredit, in the caller's transaction. */
export async function applyCreditIn(
  tx: Tx,
  ctx: RequestContext,
  customerId: string,
  input: ApplyCreditIn,
): Promise<CustomerRow> {
  const customer = await lockCustomer(tx, ctx, customerId);
  const amount = parseMoney(input.amount, customer.currency, 'amount');
  const date = input.date ?? ctx.today;
  await assertPeriodOpenIn(tx, ctx.orgId, date, 'date');
  let inv = await lockCustomerInvoice(tx, ctx, customer, input.invoice, 'invoice');
  assertCanReceive(
    { status: inv.status as InvoiceStatus, amountDue: inv.amountDue, number: inv.number },
    amount,
    'amount',
  );
  const sources = await lockCreditSources(tx, ctx, customer.id);
  const available = sum(sources.map((s) => s.unapplied));
  if (amount.greaterThan(available))
    throw conflict(
      'insufficient_credit_balance',
      `${customer.name} holds ${formatAmount(available, customer.currency)} of credit, less than ${input.amount}.`,
      'amount',
    );
  const used: { type: string; id: string; amount: string }[] = [];
  const { takes } = spendInOrder(
    amount,
    sources.map((s) => ({ ...s, available: dec(s.unapplied) })),
  );
  for (const { source, amount: take } of takes) {
    inv = await applyMoney(tx, ctx, inv, {
      amount: take,
      sourceType: source.type,
      sourceId: source.id,
      date: applicationDate(date, inv),
      param: 'amount',
    });
    await writeUnapplied(tx, source, source.available.minus(take), customer.currency);
    used.push({ type: source.type, id: source.id, amount: formatAmount(take, customer.currency) });
  }
  await syncCreditBalance(tx, customer.id);
  await recordEvent(
    tx,
    ctx,
    'customer.credit_applied',
    { type: 'customer', id: customer.id },
    { invoice: inv.id, amount: formatAmount(amount, customer.currency), date, sources: used },
  );
  return lockCustomer(tx, ctx, customer.id);
}

/**
 * A refund made at a payment provider (Stripe): taken from the payment's unapplied money first, then from its
 * allocations newest first, which reopens those invoices. Refunds more than is left of the payment are refused.
 */
export async function refundTakingBackIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: { amount: string; date: string; memo: string },
): Promise<PaymentWithAllocations> {
  const { customer, payment } = await lockPaymentForChange(tx, ctx, id);
  const money = (d: Decimal) => formatAmount(d, payment.currency);
  const amount = parseMoney(input.amount, payment.currency, 'amount');
  const left = dec(payment.amount).minus(payment.refundedAmount);
  if (amount.greaterThan(left))
    throw conflict('refund_exceeds_payment', `Only ${money(left)} of payment ${id} is left to refund.`, 'amount');
  let needed = amount.minus(payment.unappliedAmount);
  const newestFirst = (await applicationsOf(tx, id)).sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? 1 : -1) : b.createdAt.getTime() - a.createdAt.getTime(),
  );
  let takenBack = dec(0);
  for (const app of newestFirst) {
    if (needed.lte(0)) break;
    const take = Decimal.min(needed, dec(app.amount));
    await reverseApplication(tx, ctx, app, input.date, take);
    takenBack = takenBack.plus(take);
    needed = needed.minus(take);
  }
  const refundId = await recordRefund(tx, ctx, {
    customerId: customer.id,
    sourceType: 'payment',
    sourceId: id,
    amount,
    currency: payment.currency,
    date: input.date,
    memo: input.memo,
  });
  await writeUnapplied(
    tx,
    { type: 'payment', id },
    dec(payment.unappliedAmount).plus(takenBack).minus(amount),
    payment.currency,
  );
  const updated = await updatePayment(tx, id, { refundedAmount: money(dec(payment.refundedAmount).plus(amount)) });
  await syncCreditBalance(tx, customer.id);
  await recordEvent(
    tx,
    ctx,
    'payment.refunded',
    { type: 'payment', id },
    { refund: refundId, amount: money(amount), date: input.date },
  );
  return withAllocations(tx, updated);
}
