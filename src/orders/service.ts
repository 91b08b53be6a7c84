import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { CustomerRow } from '../crm/schemas';
import type { LineInput } from '../invoicing/draft';
import { documentCurrency, documentCustomer, loadDraftRefs } from '../invoicing/draft-refs-store';
import { nextNumber } from '../invoicing/numbering-store';
import { createDraftIn, postInvoiceIn } from '../invoicing/service';
import type { InvoiceRow } from '../invoicing/tables';
import { type Decimal, dec, formatAmount, roundMoney } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, forbidden, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { netUnitPrice, priceLines } from '../quotes/pricing';
import type { Recurring, StoredQuoteLine } from '../quotes/schemas';
import { insertSubscription } from '../subscriptions/service';
import type {
  ChargeType,
  Invoiced,
  OrderDetail,
  OrderIn,
  OrderInvoiceIn,
  OrderListQuery,
  OrderRow,
  SubscriptionTermsIn,
} from './schemas';
import { orderInvoicings, orderLines, orders } from './tables';

export const ORDER_NUMBER_FORMAT = 'SO-{YYYY}-{seq:6}';

export interface OrderDraft {
  customer: CustomerRow;
  currency: string;
  taxBehavior: 'exclusive' | 'inclusive';
  quoteId: string | null;
  notes: string | null;
  lines: (StoredQuoteLine & { charge_type: ChargeType })[];
  subscription: SubscriptionTermsIn;
}

/**
 * Writes an order, its lines and the subscriptions of its recurring lines (one per interval) in the caller's
 * transaction. A quote makes at most one order: orders.quote_id is unique.
 */
export async function insertOrder(tx: Tx, ctx: RequestContext, draft: OrderDraft): Promise<OrderRow> {
  const { number, series, seq } = await nextNumber(
    tx,
    ctx.orgId,
    'order',
    { format: ORDER_NUMBER_FORMAT, start: 1, enforceChronological: false },
    ctx.today,
  );
  const [order] = await tx
    .insert(orders)
    .values({
      id: newId('ord'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId: draft.customer.id,
      number,
      series,
      seq,
      currency: draft.currency,
      taxBehavior: draft.taxBehavior,
      quoteId: draft.quoteId,
      notes: draft.notes,
      createdBy: ctx.userId,
    })
    .returning();
  const rows = draft.lines.map((l, position) => ({
    id: newId('ol'),
    orgId: ctx.orgId,
    orderId: order!.id,
    position,
    description: l.description,
    productId: l.product,
    quantity: l.quantity,
    unit: l.unit,
    unitPrice: l.unit_price,
    discountPercent: l.discount_percent,
    taxRateId: l.tax_rate.id,
    chargeType: l.charge_type,
    recurringInterval: l.recurring?.interval ?? null,
    recurringIntervalCount: l.recurring?.interval_count ?? null,
    amount: l.amount,
    subscriptionId: null as string | null,
  }));

  // Recurring lines of the same interval become one subscription.
  const groups = new Map<string, { recurring: Recurring; indexes: number[] }>();
  draft.lines.forEach((l, i) => {
    if (l.charge_type !== 'recurring' || !l.recurring) return;
    const key = `${l.recurring.interval}:${l.recurring.interval_count}`;
    const group = groups.get(key) ?? { recurring: l.recurring, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  for (const { recurring, indexes } of groups.values()) {
    const sub = await insertSubscription(
      tx,
      ctx,
      {
        customer: draft.customer.id,
        interval: recurring.interval,
        interval_count: recurring.interval_count,
        ...draft.subscription,
        items: indexes.map((i) => {
          const l = draft.lines[i]!;
          return {
            product: l.product,
            description: l.description,
            quantity: l.quantity,
            unit_price: netUnitPrice(l, `lines[${i}]`),
            tax_rate: l.tax_rate.id,
          };
        }),
      },
      order!.id,
    );
    for (const i of indexes) rows[i]!.subscriptionId = sub.id;
  }
  if (rows.length > 0) await tx.insert(orderLines).values(rows);
  await recordEvent(
    tx,
    ctx,
    'order.created',
    { type: 'order', id: order!.id },
    {
      customer: draft.customer.id,
      number,
      quote: draft.quoteId,
      lines: rows.length,
      subscriptions: [...new Set(rows.map((r) => r.subscriptionId).filter((s): s is string => Boolean(s)))],
    },
  );
  return order!;
}

function checkChargeTypes(lines: OrderIn['lines']): void {
  lines.forEach((l, i) => {
    if (l.charge_type === 'recurring' && !l.recurring)
      throw invalid(
        'recurring_required',
        'A recurring line needs recurring: {interval, interval_count}.',
        `lines[${i}].recurring`,
      );
    if (l.charge_type !== 'recurring' && l.recurring)
      throw invalid('recurring_not_allowed', 'Only a recurring line has a recurrence.', `lines[${i}].recurring`);
    if (!dec(l.quantity).greaterThan(0))
      throw invalid(
        'quantity_not_positive',
        'An order line orders a quantity greater than zero.',
        `lines[${i}].quantity`,
      );
  });
}

export async function createOrder(ctx: RequestContext, input: OrderIn): Promise<OrderRow> {
  checkChargeTypes(input.lines);
  return ctx.db.transaction(async (tx) => {
    const customer = await documentCustomer(ctx, tx, input.customer);
    const currency = documentCurrency(customer, input.currency);
    const taxBehavior = input.tax_behavior ?? 'exclusive';
    const refs = await loadDraftRefs(tx, ctx.orgId, input.lines);
    const priced = priceLines(
      {
        currency,
        taxBehavior,
        lines: input.lines.map(({ charge_type: _c, recurring, ...l }) => ({ ...l, recurring: recurring ?? null })),
      },
      refs,
    );
    return insertOrder(tx, ctx, {
      customer,
      currency,
      taxBehavior,
      quoteId: null,
      notes: input.notes ?? null,
      lines: priced.lines.map((l, i) => ({ ...l, charge_type: input.lines[i]!.charge_type })),
      subscription: input.subscription ?? {},
    });
  });
}

async function findOrder(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('order', id);
  return row;
}

/** What live invoices (not void; deleted drafts take their rows with them) bill of each line. */
async function invoicedOf(
  q: Queryable,
  orderId: string,
): Promise<{ byLine: Map<string, Invoiced>; invoices: string[] }> {
  const result = (await q.execute(sql`
    select oi.order_line_id as line, coalesce(sum(oi.quantity), 0)::text as quantity,
           coalesce(sum(oi.percent), 0)::text as percent, sum(oi.amount)::text as amount,
           array_agg(distinct oi.invoice_id) as invoices
    from order_invoicings oi join invoices i on i.id = oi.invoice_id
    where oi.order_id = ${orderId} and i.status <> 'void'
    group by oi.order_line_id`)) as unknown as {
    rows: { line: string; quantity: string; percent: string; amount: string; invoices: string[] | string }[];
  };
  const byLine = new Map<string, Invoiced>();
  const invoices = new Set<string>();
  for (const r of result.rows) {
    byLine.set(r.line, { quantity: r.quantity, percent: r.percent, amount: r.amount });
    const ids = Array.isArray(r.invoices) ? r.invoices : String(r.invoices).replace(/[{}]/g, '').split(',');
    for (const id of ids) if (id) invoices.add(id);
  }
  return { byLine, invoices: [...invoices].sort() };
}

async function detailOf(q: Queryable, order: OrderRow): Promise<OrderDetail> {
  const lines = await q
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.position));
  const { byLine, invoices } = await invoicedOf(q, order.id);
  return { order, lines, invoiced: byLine, invoices };
}

export async function getOrder(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string) {
  return detailOf(q, await findOrder(q, ctx, id));
}

export async function listOrders(ctx: RequestContext, q: OrderListQuery) {
  const cursor = await afterCursor(ctx.db, orders, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(orders.orgId, ctx.orgId), cursor];
  if (q.customer) c.push(eq(orders.customerId, q.customer));
  const rows = await ctx.db
    .select()
    .from(orders)
    .where(and(...c))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit);
  return { data: await Promise.all(page.data.map((o) => detailOf(ctx.db, o))), has_more: page.has_more };
}

/**
 * Invoices one-time lines by quantity and milestones by percent, never more than ordered (409). The order row
 * is locked, so two invoicings of one order queue and the second sees what the first billed.
 */
export async function invoiceOrder(ctx: RequestContext, id: string, input: OrderInvoiceIn): Promise<InvoiceRow> {
  if (input.post && ctx.role !== 'admin' && ctx.role !== 'finance')
    throw forbidden(`Your role (${ctx.role}) may not post invoices.`);
  return ctx.db.transaction(async (tx) => {
    const order = await findOrder(tx, ctx, id, true);
    if (order.status === 'cancelled') throw conflict('order_cancelled', `Order ${order.number} is cancelled.`);
    const { lines, invoiced } = await detailOf(tx, order);
    const byId = new Map(lines.map((l) => [l.id, l]));
    const asked = new Map<string, { quantity: Decimal; percent: Decimal }>();
    const invoiceLines: LineInput[] = [];
    const records: { orderLineId: string; quantity: string | null; percent: string | null }[] = [];
    input.lines.forEach((r, i) => {
      const param = `lines[${i}]`;
      const line = byId.get(r.order_line);
      if (!line)
        throw unprocessable(
          'order_line_not_found',
          `Order ${order.number} has no line ${r.order_line}.`,
          `${param}.order_line`,
        );
      const before = invoiced.get(line.id) ?? { quantity: '0', percent: '0', amount: '0' };
      const prior = asked.get(line.id) ?? { quantity: dec(0), percent: dec(0) };
      if (line.chargeType === 'recurring')
        throw unprocessable(
          'order_line_recurring',
          'A recurring line is billed by its subscription.',
          `${param}.order_line`,
        );
      if (line.chargeType === 'one_time') {
        if (r.percent !== undefined)
          throw invalid('percent_not_allowed', 'A one-time line is invoiced by quantity.', `${param}.percent`);
        const already = dec(before.quantity).plus(prior.quantity);
        const quantity = r.quantity !== undefined ? dec(r.quantity) : dec(line.quantity).minus(already);
        if (!quantity.greaterThan(0))
          throw conflict(
            'order_line_fully_invoiced',
            `"${line.description}" is fully invoiced.`,
            `${param}.order_line`,
          );
        if (already.plus(quantity).greaterThan(line.quantity))
          throw conflict(
            'order_line_over_invoiced',
            `"${line.description}": ${line.quantity} ordered, ${already.toFixed()} invoiced; ${quantity.toFixed()} more is too much.`,
            `${param}.quantity`,
          );
        asked.set(line.id, { ...prior, quantity: prior.quantity.plus(quantity) });
        invoiceLines.push({
          description: line.description,
          product: line.productId,
          quantity: quantity.toFixed(),
          unit: line.unit,
          unit_price: line.unitPrice,
          discount_percent: line.discountPercent,
          tax_rate: line.taxRateId,
        });
        records.push({ orderLineId: line.id, quantity: quantity.toFixed(), percent: null });
        return;
      }
      if (r.quantity !== undefined)
        throw invalid('quantity_not_allowed', 'A milestone line is invoiced by percent.', `${param}.quantity`);
      const already = dec(before.percent).plus(prior.percent);
      const percent = r.percent !== undefined ? dec(r.percent) : dec(100).minus(already);
      if (!percent.greaterThan(0))
        throw conflict('order_line_fully_invoiced', `"${line.description}" is fully invoiced.`, `${param}.order_line`);
      if (already.plus(percent).greaterThan(100))
        throw conflict(
          'order_line_over_invoiced',
          `"${line.description}": ${already.toFixed()} % invoiced; ${percent.toFixed()} % more is over 100 %.`,
          `${param}.percent`,
        );
      asked.set(line.id, { ...prior, percent: prior.percent.plus(percent) });
      // Cumulative rounding: the parts of a milestone always add up to its amount at 100 %.
      const upTo = (p: Decimal) => roundMoney(dec(line.amount).times(p).div(100), order.currency);
      const amount = upTo(already.plus(percent)).minus(upTo(already));
      invoiceLines.push({
        description: `${line.description} (${percent.toFixed()} %)`,
        product: line.productId,
        quantity: '1',
        unit: line.unit,
        unit_price: formatAmount(amount, order.currency),
        tax_rate: line.taxRateId,
      });
      records.push({ orderLineId: line.id, quantity: null, percent: percent.toFixed() });
    });

    let invoice = await createDraftIn(
      tx,
      ctx,
      {
        customer: order.customerId,
        tax_behavior: order.taxBehavior as 'exclusive' | 'inclusive',
        issue_date: input.issue_date ?? null,
        payment_terms_days: input.payment_terms_days ?? null,
        po_number: input.po_number ?? null,
        lines: invoiceLines,
      },
      { type: 'order', id: order.id },
    );
    const amounts = (invoice.lines as { amount: string }[]).map((l) => l.amount);
    await tx.insert(orderInvoicings).values(
      records.map((r, i) => ({
        id: newId('oin'),
        orgId: ctx.orgId,
        createdAt: ctx.clock.now(),
        orderId: order.id,
        orderLineId: r.orderLineId,
        invoiceId: invoice.id,
        quantity: r.quantity,
        percent: r.percent,
        amount: amounts[i]!,
      })),
    );
    if (input.post) invoice = await postInvoiceIn(tx, ctx, invoice.id);
    await recordEvent(
      tx,
      ctx,
      'order.invoiced',
      { type: 'order', id: order.id },
      {
        invoice: invoice.id,
        lines: records.map((r, i) => ({
          order_line: r.orderLineId,
          quantity: r.quantity,
          percent: r.percent,
          amount: amounts[i]!,
        })),
        total: invoice.total,
      },
    );
    return invoice;
  });
}

export async function cancelOrder(ctx: RequestContext, id: string): Promise<OrderDetail> {
  return ctx.db.transaction((tx) => cancelOrderIn(tx, ctx, id));
}

/** cancelOrder, in the caller's transaction. */
export async function cancelOrderIn(tx: Tx, ctx: RequestContext, id: string): Promise<OrderDetail> {
  const order = await findOrder(tx, ctx, id, true);
  if (order.status === 'cancelled') throw conflict('order_cancelled', `Order ${order.number} is already cancelled.`);
  const [row] = await tx
    .update(orders)
    .set({ status: 'cancelled', cancelledAt: ctx.clock.now() })
    .where(eq(orders.id, id))
    .returning();
  await recordEvent(tx, ctx, 'order.cancelled', { type: 'order', id }, { number: order.number });
  return detailOf(tx, row!);
}
