import { z } from 'zod';
import { formatAmount } from '../money/money';
import { DecimalIn, DecimalOut, IsoDate } from '../platform/schemas';
import type { PromiseRow } from './promise-store';

export const PROMISE_STATUSES = ['open', 'kept', 'broken', 'cancelled'] as const;

export const PromiseIn = z.object({
  amount: DecimalIn.meta({ description: 'More than 0 and at most the amount due (409 otherwise)' }),
  date: IsoDate.meta({ description: 'The day the customer promised to pay by; today or later' }),
  note: z.string().max(2000).nullish(),
});
export type PromiseIn = z.output<typeof PromiseIn>;

export const PromiseOut = z.object({
  id: z.string(),
  invoice: z.string(),
  amount: DecimalOut,
  date: z.string(),
  note: z.string().nullable(),
  status: z.enum(PROMISE_STATUSES),
  created_by: z.string().nullable(),
  created_at: z.string(),
  resolved_at: z.string().nullable(),
});

export function promiseOut(p: PromiseRow, currency: string): z.infer<typeof PromiseOut> {
  return {
    id: p.id,
    invoice: p.invoiceId,
    amount: formatAmount(p.amount, currency),
    date: p.date,
    note: p.note,
    status: p.status as (typeof PROMISE_STATUSES)[number],
    created_by: p.createdBy,
    created_at: p.createdAt.toISOString(),
    resolved_at: p.resolvedAt?.toISOString() ?? null,
  };
}

export const WorklistQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional().meta({ description: 'An invoice id of the previous page' }),
  as_of: IsoDate.optional(),
  owner: z.string().max(100).optional().meta({ description: "The customer's owner: a user id, or `me`" }),
  currency: z.string().max(3).optional(),
});
export type WorklistQuery = z.output<typeof WorklistQuery>;

export const WorklistItem = z.object({
  invoice: z.string(),
  number: z.string().nullable(),
  customer: z.string(),
  customer_name: z.string(),
  owner: z.string().nullable(),
  currency: z.string(),
  amount_due: DecimalOut,
  due_date: z.string(),
  days_overdue: z.number().int(),
  disputed: z.boolean(),
  last_reminder_at: z.string().nullable(),
  last_activity_at: z.string().nullable(),
  open_promise: z.object({ id: z.string(), amount: DecimalOut, date: z.string() }).nullable(),
  customer_total_overdue: DecimalOut,
});
export type WorklistItem = z.infer<typeof WorklistItem>;
