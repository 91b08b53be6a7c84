import { z } from 'zod';
import { TaxGroupOut } from '../invoicing/schemas';
import { DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import type { creditNotes } from './tables';

export type CreditNoteRow = typeof creditNotes.$inferSelect;

export const CREDIT_TO = ['invoice', 'customer_balance', 'refund'] as const;
export type CreditTo = (typeof CREDIT_TO)[number];

export const CreditNoteIn = z.object({
  invoice: z.string().min(1).max(100),
  reason: z.string().max(1000).nullish(),
  lines: z
    .array(z.object({ invoice_line: z.string().min(1).max(100), quantity: decimalIn({ places: 6 }) }))
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'Credit these quantities of invoice lines, at the invoice prices and tax groups' }),
  amount: decimalIn({ positive: true })
    .optional()
    .meta({ description: 'Or credit a gross amount including tax, split over the invoice tax groups' }),
  credit_to: z
    .enum(CREDIT_TO)
    .default('invoice')
    .meta({ description: 'invoice: reduce its amount due; customer_balance: credit balance; refund: pay money back' }),
  issue_date: IsoDate.optional().meta({ description: 'Defaults to today' }),
});
export type CreditNoteIn = z.output<typeof CreditNoteIn>;

export const CreditNoteListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  invoice: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
  status: z.enum(['issued', 'void']).optional(),
});
export type CreditNoteListQuery = z.output<typeof CreditNoteListQuery>;

export const CreditNoteOut = z.object({
  id: z.string(),
  number: z.string(),
  invoice: z.string(),
  customer: z.string(),
  currency: z.string(),
  reason: z.string().nullable(),
  lines: z
    .array(z.object({ invoice_line: z.string(), description: z.string(), quantity: DecimalOut, amount: DecimalOut }))
    .nullable()
    .meta({ description: 'Credited invoice lines; null for a credit by amount' }),
  subtotal: DecimalOut,
  tax_total: DecimalOut,
  total: DecimalOut,
  tax_breakdown: z.array(TaxGroupOut),
  credit_to: z.enum(CREDIT_TO),
  status: z.enum(['issued', 'void']),
  issue_date: z.string(),
  unapplied_amount: DecimalOut.meta({ description: 'What of it sits in the customer credit balance' }),
  voided_on: z.string().nullable(),
  created_at: z.string(),
});
export type CreditNoteOut = z.infer<typeof CreditNoteOut>;
