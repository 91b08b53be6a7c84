import { z } from 'zod';
import { TaxGroupOut } from '../invoicing/schemas';
import { formatAmount } from '../money/money';
import { DecimalOut, decimalIn, Email, IsoDate } from '../platform/schemas';
import type { quotes } from './tables';

export const Recurring = z.object({
  interval: z.enum(['month', 'quarter', 'year']),
  interval_count: z.number().int().min(1).max(120).default(1),
});
export type Recurring = z.output<typeof Recurring>;

/** A priced line: the invoice line fields (one arithmetic for quotes, orders and invoices). */
export const PricedLineFields = {
  description: z.string().max(2000).nullish(),
  product: z.string().max(100).nullish(),
  quantity: decimalIn({ places: 6 }),
  unit: z
    .string()
    .regex(/^[A-Z0-9]{1,3}$/, 'Must be a UN/ECE Recommendation 20 unit code, like "C62".')
    .nullish(),
  unit_price: decimalIn({ places: 6, nonNegative: true }).nullish(),
  discount_percent: decimalIn({ places: 6, nonNegative: true })
    .refine((p) => Number(p) <= 100, 'At most 100.')
    .nullish(),
  tax_rate: z.string().max(100).nullish(),
};

export const QuoteLineIn = z.object({ ...PricedLineFields, recurring: Recurring.nullish() });
export type QuoteLineIn = z.output<typeof QuoteLineIn>;

const QuoteFields = {
  customer: z.string().max(100),
  currency: z.string().max(3).optional(),
  tax_behavior: z.enum(['exclusive', 'inclusive']).optional(),
  valid_until: IsoDate.nullish(),
  start_date: IsoDate.nullish().meta({
    description: 'First day of the subscriptions made from recurring lines (default: the day of acceptance)',
  }),
  lines: z.array(QuoteLineIn).max(200).optional(),
  notes: z.string().max(5000).nullish(),
};
export const QuoteIn = z.object(QuoteFields);
export const QuotePatch = z.object(QuoteFields).partial();
export type QuoteIn = z.output<typeof QuoteIn>;
export type QuotePatch = z.output<typeof QuotePatch>;

export const SendQuoteIn = z.object({
  to: z.array(Email).max(20).optional(),
  cc: z.array(Email).max(20).optional(),
  message: z.string().max(5000).optional(),
});

export const QuoteStatus = z.enum(['draft', 'sent', 'accepted', 'declined', 'expired']);
export type QuoteStatus = z.infer<typeof QuoteStatus>;

const RecurringOut = z.object({ interval: z.enum(['month', 'quarter', 'year']), interval_count: z.number().int() });

export const QuoteLineOut = z.object({
  id: z.string(),
  description: z.string(),
  product: z.string().nullable(),
  quantity: DecimalOut,
  unit: z.string(),
  unit_price: DecimalOut,
  discount_percent: DecimalOut.nullable(),
  tax_rate: z.string(),
  tax_percentage: DecimalOut,
  amount: DecimalOut.meta({ description: 'Net amount (per interval for a recurring line)' }),
  recurring: RecurringOut.nullable(),
});

export const QuoteOut = z.object({
  id: z.string(),
  number: z.string(),
  status: QuoteStatus,
  customer: z.string(),
  opportunity: z.string().nullable().meta({ description: 'The opportunity this quote was made from' }),
  currency: z.string(),
  tax_behavior: z.enum(['exclusive', 'inclusive']),
  valid_until: z.string().nullable(),
  start_date: z.string().nullable(),
  lines: z.array(QuoteLineOut),
  subtotal: DecimalOut.meta({ description: 'One-time lines' }),
  tax_total: DecimalOut.meta({ description: 'One-time lines' }),
  total: DecimalOut.meta({ description: 'One-time lines' }),
  tax_breakdown: z.array(TaxGroupOut),
  recurring_total_per_interval: DecimalOut.meta({
    description: 'Net amount of the recurring lines, each per its own interval',
  }),
  recurring_totals: z.array(RecurringOut.extend({ amount: DecimalOut })),
  notes: z.string().nullable(),
  hosted_url: z.string().nullable(),
  sent_at: z.string().nullable(),
  accepted_at: z.string().nullable(),
  declined_at: z.string().nullable(),
  order: z.string().nullable(),
  created_at: z.string(),
});
export type QuoteOut = z.infer<typeof QuoteOut>;

export const QuoteListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
  status: QuoteStatus.optional(),
});
export type QuoteListQuery = z.output<typeof QuoteListQuery>;

export type QuoteRow = typeof quotes.$inferSelect;

/** A stored quote line: the invoice's stored line plus its recurrence. */
export interface StoredQuoteLine {
  id: string;
  description: string;
  product: string | null;
  quantity: string;
  unit: string;
  unit_price: string;
  price_base_quantity: string;
  discount_percent: string | null;
  tax_rate: { id: string; category: string; percentage: string; exemption_reason: string | null };
  amount: string;
  recurring: Recurring | null;
}

/** A sent quote past its valid_until is expired; a draft keeps its status. */
export function quoteStatus(q: Pick<QuoteRow, 'status' | 'validUntil'>, today: string): QuoteStatus {
  if (q.status === 'sent' && q.validUntil !== null && q.validUntil < today) return 'expired';
  return q.status as QuoteStatus;
}

export function quoteOut(q: QuoteRow, today: string, publicUrl: string): QuoteOut {
  const money = (v: string) => formatAmount(v, q.currency);
  return {
    id: q.id,
    number: q.number,
    status: quoteStatus(q, today),
    customer: q.customerId,
    opportunity: q.opportunityId,
    currency: q.currency,
    tax_behavior: q.taxBehavior as QuoteOut['tax_behavior'],
    valid_until: q.validUntil,
    start_date: q.startDate,
    lines: (q.lines as StoredQuoteLine[]).map((l) => ({
      id: l.id,
      description: l.description,
      product: l.product,
      quantity: l.quantity,
      unit: l.unit,
      unit_price: l.unit_price,
      discount_percent: l.discount_percent,
      tax_rate: l.tax_rate.id,
      tax_percentage: l.tax_rate.percentage,
      amount: l.amount,
      recurring: l.recurring,
    })),
    subtotal: money(q.subtotal),
    tax_total: money(q.taxTotal),
    total: money(q.total),
    tax_breakdown: q.taxBreakdown as QuoteOut['tax_breakdown'],
    recurring_total_per_interval: money(q.recurringTotalPerInterval),
    recurring_totals: q.recurringTotals as QuoteOut['recurring_totals'],
    notes: q.notes,
    hosted_url: q.hostedToken ? `${publicUrl}/q/${q.hostedToken}` : null,
    sent_at: q.sentAt?.toISOString() ?? null,
    accepted_at: q.acceptedAt?.toISOString() ?? null,
    declined_at: q.declinedAt?.toISOString() ?? null,
    order: q.orderId,
    created_at: q.createdAt.toISOString(),
  };
}
