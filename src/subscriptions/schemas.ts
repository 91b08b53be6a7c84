import { z } from 'zod';
import type { SubscriptionItem } from '../billing/terms';
import { TaxGroupOut } from '../invoicing/schemas';
import { DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import type { StoredBillingLine } from './billing-lines';
import type { subscriptions, subscriptionUsage } from './tables';

const Interval = z.enum(['month', 'quarter', 'year']);
const Timing = z.enum(['in_advance', 'in_arrears']);
const Proration = z.enum(['day', 'none']);

export const SubscriptionItemIn = z.object({
  id: z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'In a change: an existing item, whose other fields are kept unless given' }),
  product: z.string().max(100).nullish(),
  description: z.string().max(2000).nullish(),
  quantity: decimalIn({ places: 6, nonNegative: true })
    .nullish()
    .meta({ description: 'Default 1; none on a usage item' }),
  unit_price: decimalIn({ places: 6, nonNegative: true }).nullish(),
  tax_rate: z.string().max(100).nullish(),
  usage: z.boolean().optional(),
});
export type SubscriptionItemIn = z.output<typeof SubscriptionItemIn>;

export const SubscriptionOptionsFields = {
  start_date: IsoDate.optional().meta({ description: 'Default: today' }),
  end_date: IsoDate.nullish(),
  billing_day: z.number().int().min(1).max(31).optional().meta({ description: 'Default: the start date’s day' }),
  timing: Timing.optional(),
  proration: Proration.optional(),
  auto_post: z.boolean().optional(),
  auto_send: z.boolean().optional(),
  payment_terms_days: z.number().int().min(0).max(3650).nullish(),
};

export const SubscriptionIn = z.object({
  customer: z.string().max(100),
  currency: z.string().max(3).optional(),
  interval: Interval,
  interval_count: z.number().int().min(1).max(120).default(1),
  ...SubscriptionOptionsFields,
  items: z.array(SubscriptionItemIn).min(1).max(100),
});
export type SubscriptionIn = z.output<typeof SubscriptionIn>;

export const ChangeIn = z.object({
  effective_date: IsoDate,
  items: z.array(SubscriptionItemIn).min(1).max(100),
  proration_behavior: z.enum(['create_prorations', 'always_invoice', 'none']).default('create_prorations'),
});
export type ChangeIn = z.output<typeof ChangeIn>;

export const CancelIn = z.object({
  effective_date: IsoDate.optional().meta({ description: 'First day without service; default today' }),
  prorate: z.boolean().default(false),
});
export type CancelIn = z.output<typeof CancelIn>;

export const UsageIn = z.object({
  item: z.string().max(100),
  quantity: decimalIn({ places: 6, nonNegative: true }),
  date: IsoDate.optional().meta({ description: 'Default: today' }),
});
export type UsageIn = z.output<typeof UsageIn>;

export const UsageOut = z.object({
  id: z.string(),
  subscription: z.string(),
  item: z.string(),
  quantity: DecimalOut,
  date: z.string(),
  created_at: z.string(),
});

export const UsageListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
});

export const SubscriptionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
  order: z.string().max(100).optional(),
});
export type SubscriptionListQuery = z.output<typeof SubscriptionListQuery>;

export const PreviewQuery = z.object({ as_of: IsoDate.optional() });

const PeriodOut = z.object({ start: z.string(), end: z.string() });
const LineKind = z.enum(['recurring', 'usage', 'proration_credit', 'proration_debit']);

const BillingLineOut = z.object({
  item: z.string().nullable(),
  description: z.string(),
  quantity: DecimalOut,
  unit_price: DecimalOut,
  amount: DecimalOut,
  period: PeriodOut,
  kind: LineKind,
});

export const SubscriptionOut = z.object({
  id: z.string(),
  customer: z.string(),
  currency: z.string(),
  order: z.string().nullable(),
  status: z.enum(['active', 'cancelled', 'ended']),
  start_date: z.string(),
  end_date: z.string().nullable(),
  interval: Interval,
  interval_count: z.number().int(),
  billing_day: z.number().int(),
  timing: Timing,
  proration: Proration,
  items: z.array(
    z.object({
      id: z.string(),
      product: z.string().nullable(),
      description: z.string(),
      quantity: DecimalOut.nullable(),
      unit_price: DecimalOut,
      tax_rate: z.string().nullable(),
      usage: z.boolean(),
    }),
  ),
  billed_through: z.string().nullable(),
  next_billing_date: z.string().nullable(),
  pending_lines: z.array(BillingLineOut).meta({ description: 'Prorations waiting for the next invoice' }),
  auto_post: z.boolean(),
  auto_send: z.boolean(),
  payment_terms_days: z.number().int().nullable(),
  cancelled_at: z.string().nullable(),
  created_at: z.string(),
});
export type SubscriptionOut = z.infer<typeof SubscriptionOut>;

export const PreviewOut = z.object({
  subscription: z.string(),
  currency: z.string(),
  billing_date: z.string().nullable(),
  issue_date: z.string().nullable().meta({ description: 'The later of billing_date and as_of (the bill-run rule)' }),
  period: PeriodOut.nullable(),
  lines: z.array(
    z.object({
      description: z.string(),
      quantity: DecimalOut,
      unit_price: DecimalOut,
      amount: DecimalOut,
      tax_rate: z.string(),
      period: PeriodOut.nullable(),
      kind: LineKind,
    }),
  ),
  subtotal: DecimalOut,
  tax_total: DecimalOut,
  total: DecimalOut,
  tax_breakdown: z.array(TaxGroupOut),
});
export type PreviewOut = z.infer<typeof PreviewOut>;

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type UsageRow = typeof subscriptionUsage.$inferSelect;

export function billingLineOut(l: StoredBillingLine): z.infer<typeof BillingLineOut> {
  return {
    item: l.itemId,
    description: l.description,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    amount: l.amount,
    period: l.period,
    kind: l.kind,
  };
}

/** `ended`: the end date has passed (a cancelled subscription stays `cancelled`). */
export function subscriptionStatus(
  s: Pick<SubscriptionRow, 'status' | 'endDate'>,
  today: string,
): SubscriptionOut['status'] {
  if (s.status === 'cancelled') return 'cancelled';
  return s.endDate !== null && s.endDate < today ? 'ended' : 'active';
}

export function subscriptionOut(s: SubscriptionRow, today: string): SubscriptionOut {
  return {
    id: s.id,
    customer: s.customerId,
    currency: s.currency,
    order: s.orderId,
    status: subscriptionStatus(s, today),
    start_date: s.startDate,
    end_date: s.endDate,
    interval: s.interval as SubscriptionOut['interval'],
    interval_count: s.intervalCount,
    billing_day: s.billingDay,
    timing: s.timing as SubscriptionOut['timing'],
    proration: s.proration as SubscriptionOut['proration'],
    items: (s.items as SubscriptionItem[]).map((i) => ({
      id: i.id,
      product: i.productId,
      description: i.description,
      quantity: i.quantity,
      unit_price: i.unitPrice,
      tax_rate: i.taxRateId,
      usage: i.usage,
    })),
    billed_through: s.billedThrough,
    next_billing_date: s.nextBillingDate,
    pending_lines: (s.pendingLines as StoredBillingLine[]).map(billingLineOut),
    auto_post: s.autoPost,
    auto_send: s.autoSend,
    payment_terms_days: s.paymentTermsDays,
    cancelled_at: s.cancelledAt?.toISOString() ?? null,
    created_at: s.createdAt.toISOString(),
  };
}

export function usageOut(u: UsageRow): z.infer<typeof UsageOut> {
  return {
    id: u.id,
    subscription: u.subscriptionId,
    item: u.itemId,
    quantity: u.quantity,
    date: u.date,
    created_at: u.createdAt.toISOString(),
  };
}
