import { z } from 'zod';
import { dec, formatAmount } from '../money/money';
import { DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import { PricedLineFields, Recurring } from '../quotes/schemas';
import { SubscriptionOptionsFields } from '../subscriptions/schemas';
import type { orderLines, orders } from './tables';

export const ChargeType = z.enum(['one_time', 'milestone', 'recurring']);
export type ChargeType = z.infer<typeof ChargeType>;

export const OrderLineIn = z.object({
  ...PricedLineFields,
  charge_type: ChargeType.default('one_time'),
  recurring: Recurring.nullish().meta({ description: 'Required for (and only for) a recurring line' }),
});
export type OrderLineIn = z.output<typeof OrderLineIn>;

/** How the subscriptions made from recurring lines bill (start, billing day, timing, ...). */
export const SubscriptionTermsIn = z.object(SubscriptionOptionsFields);
export type SubscriptionTermsIn = z.output<typeof SubscriptionTermsIn>;

export const OrderIn = z.object({
  customer: z.string().max(100),
  currency: z.string().max(3).optional(),
  tax_behavior: z.enum(['exclusive', 'inclusive']).optional(),
  lines: z.array(OrderLineIn).min(1).max(200),
  notes: z.string().max(5000).nullish(),
  subscription: SubscriptionTermsIn.optional(),
});
export type OrderIn = z.output<typeof OrderIn>;

export const OrderInvoiceIn = z.object({
  lines: z
    .array(
      z.object({
        order_line: z.string().max(100),
        quantity: decimalIn({ places: 6, positive: true })
          .optional()
          .meta({ description: 'One-time line: how much to invoice (default: all that is left)' }),
        percent: decimalIn({ places: 4, positive: true })
          .refine((p) => Number(p) <= 100, 'At most 100.')
          .optional()
          .meta({ description: 'Milestone line: which percent to invoice (default: all that is left)' }),
      }),
    )
    .min(1)
    .max(200),
  post: z.boolean().default(false),
  issue_date: IsoDate.optional(),
  payment_terms_days: z.number().int().min(0).max(3650).nullish(),
  po_number: z.string().max(100).nullish(),
});
export type OrderInvoiceIn = z.output<typeof OrderInvoiceIn>;

export const OrderLineOut = z.object({
  id: z.string(),
  description: z.string(),
  product: z.string().nullable(),
  quantity: DecimalOut,
  unit: z.string(),
  unit_price: DecimalOut,
  discount_percent: DecimalOut.nullable(),
  tax_rate: z.string(),
  charge_type: ChargeType,
  recurring: z.object({ interval: z.enum(['month', 'quarter', 'year']), interval_count: z.number().int() }).nullable(),
  amount: DecimalOut,
  invoiced_quantity: DecimalOut,
  invoiced_percent: DecimalOut,
  invoiced_amount: DecimalOut,
  remaining_quantity: DecimalOut,
  remaining_percent: DecimalOut,
  remaining_amount: DecimalOut,
  subscription: z.string().nullable(),
});

export const OrderOut = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.string(),
  currency: z.string(),
  quote: z.string().nullable(),
  status: z.enum(['active', 'completed', 'cancelled']),
  tax_behavior: z.enum(['exclusive', 'inclusive']),
  lines: z.array(OrderLineOut),
  invoiced_amount: DecimalOut,
  remaining_amount: DecimalOut.meta({ description: 'Of the one-time and milestone lines' }),
  subscriptions: z.array(z.string()),
  invoices: z.array(z.string()),
  notes: z.string().nullable(),
  created_at: z.string(),
  cancelled_at: z.string().nullable(),
});
export type OrderOut = z.infer<typeof OrderOut>;

export const OrderListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
});
export type OrderListQuery = z.output<typeof OrderListQuery>;

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

/** What live (not void, not deleted) invoices bill of each line. */
export interface Invoiced {
  quantity: string;
  percent: string;
  amount: string;
}

export interface OrderDetail {
  order: OrderRow;
  lines: OrderLineRow[];
  invoiced: Map<string, Invoiced>;
  invoices: string[];
}

const NONE: Invoiced = { quantity: '0', percent: '0', amount: '0' };

/** Fully invoiced: one-time lines by quantity, milestones by percent (recurring lines are billed by subscriptions). */
export function lineDone(line: OrderLineRow, invoiced: Invoiced): boolean {
  if (line.chargeType === 'one_time') return dec(invoiced.quantity).greaterThanOrEqualTo(line.quantity);
  if (line.chargeType === 'milestone') return dec(invoiced.percent).greaterThanOrEqualTo(100);
  return true;
}

export function orderOut(d: OrderDetail): OrderOut {
  const { order } = d;
  const money = (v: ReturnType<typeof dec> | string) => formatAmount(v, order.currency);
  let invoicedTotal = dec(0);
  let remainingTotal = dec(0);
  const lines = d.lines.map((l) => {
    const inv = d.invoiced.get(l.id) ?? NONE;
    const done = lineDone(l, inv);
    const remainingAmount = l.chargeType === 'recurring' || done ? dec(0) : dec(l.amount).minus(inv.amount);
    invoicedTotal = invoicedTotal.plus(inv.amount);
    remainingTotal = remainingTotal.plus(remainingAmount);
    return {
      id: l.id,
      description: l.description,
      product: l.productId,
      quantity: l.quantity,
      unit: l.unit,
      unit_price: l.unitPrice,
      discount_percent: l.discountPercent,
      tax_rate: l.taxRateId,
      charge_type: l.chargeType as OrderOut['lines'][number]['charge_type'],
      recurring: l.recurringInterval
        ? {
            interval: l.recurringInterval as 'month' | 'quarter' | 'year',
            interval_count: l.recurringIntervalCount ?? 1,
          }
        : null,
      amount: money(l.amount),
      invoiced_quantity: dec(inv.quantity).toFixed(),
      invoiced_percent: dec(inv.percent).toFixed(),
      invoiced_amount: money(inv.amount),
      remaining_quantity: l.chargeType === 'one_time' ? dec(l.quantity).minus(inv.quantity).toFixed() : '0',
      remaining_percent: l.chargeType === 'milestone' ? dec(100).minus(inv.percent).toFixed() : '0',
      remaining_amount: money(remainingAmount),
      subscription: l.subscriptionId,
    };
  });
  const allDone = d.lines.every((l) => lineDone(l, d.invoiced.get(l.id) ?? NONE));
  const hasRecurring = d.lines.some((l) => l.chargeType === 'recurring');
  return {
    id: order.id,
    number: order.number,
    customer: order.customerId,
    currency: order.currency,
    quote: order.quoteId,
    status: order.status === 'cancelled' ? 'cancelled' : allDone && !hasRecurring ? 'completed' : 'active',
    tax_behavior: order.taxBehavior as OrderOut['tax_behavior'],
    lines,
    invoiced_amount: money(invoicedTotal),
    remaining_amount: money(remainingTotal),
    subscriptions: [...new Set(d.lines.map((l) => l.subscriptionId).filter((s): s is string => !!s))],
    invoices: d.invoices,
    notes: order.notes,
    created_at: order.createdAt.toISOString(),
    cancelled_at: order.cancelledAt?.toISOString() ?? null,
  };
}
