import { z } from 'zod';
import { sortValues } from '../platform/pagination';
import { DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import type { applications } from '../receivables/tables';
import type { payments } from './tables';

export type PaymentRow = typeof payments.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;

export const PAYMENT_METHODS = ['bank_transfer', 'card', 'cash', 'check', 'sepa_debit', 'other'] as const;

const AllocationIn = z.object({ invoice: z.string().min(1).max(100), amount: decimalIn({ positive: true }) });
export type AllocationIn = z.output<typeof AllocationIn>;
const Allocations = z.array(AllocationIn).min(1).max(200);

export const PaymentIn = z.object({
  customer: z.string().min(1).max(100),
  amount: decimalIn({ positive: true }),
  currency: z.string().max(3).optional(),
  date: IsoDate.optional().meta({ description: 'Defaults to today; allocations made with the payment take it' }),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().max(200).nullish(),
  bank_account: z.string().max(100).nullish().meta({
    description:
      'The bank account the money arrived on; bank_transfer and sepa_debit default to the oldest active one in their currency',
  }),
  allocations: Allocations.optional(),
  auto_apply: z
    .boolean()
    .optional()
    .meta({ description: 'Without allocations: pay open invoices by due date, issue date, number' }),
});
export type PaymentIn = z.output<typeof PaymentIn>;

export const AllocateIn = z.object({
  allocations: Allocations,
  date: IsoDate.optional().meta({ description: 'Defaults to today' }),
});
export type AllocateIn = z.output<typeof AllocateIn>;

export const RefundIn = z.object({ amount: decimalIn({ positive: true }), date: IsoDate.optional() });
export type RefundIn = z.output<typeof RefundIn>;

export const ReverseIn = z.object({ reason: z.string().min(1).max(500) });
export type ReverseIn = z.output<typeof ReverseIn>;

export const ApplyCreditIn = z.object({
  invoice: z.string().min(1).max(100),
  amount: decimalIn({ positive: true }),
  date: IsoDate.optional().meta({ description: 'Defaults to today' }),
});
export type ApplyCreditIn = z.output<typeof ApplyCreditIn>;

export const PaymentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
  status: z.enum(['succeeded', 'reversed']).optional(),
  sort: z.enum(sortValues(['date', 'amount', 'created_at'])).optional(),
});
export type PaymentListQuery = z.output<typeof PaymentListQuery>;

export const PaymentOut = z.object({
  id: z.string(),
  customer: z.string(),
  amount: DecimalOut,
  currency: z.string(),
  date: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  bank_account: z.string().nullable(),
  allocations: z
    .array(z.object({ invoice: z.string(), amount: DecimalOut, date: z.string() }))
    .meta({ description: 'Live allocations, oldest first' }),
  unapplied_amount: DecimalOut,
  refunded_amount: DecimalOut,
  status: z.enum(['succeeded', 'reversed']),
  reversed_on: z.string().nullable(),
  reversal_reason: z.string().nullable(),
  provider: z
    .object({ name: z.literal('stripe'), payment_intent: z.string(), checkout_session: z.string().nullable() })
    .nullable()
    .meta({ description: 'The payment provider the money came through (online payments), with its ids' }),
  created_at: z.string(),
});
export type PaymentOut = z.infer<typeof PaymentOut>;
