import { z } from 'zod';
import { DecimalOut, IsoDate } from '../platform/schemas';

export const AsOfQuery = z.object({ as_of: IsoDate.optional().meta({ description: 'Defaults to today' }) });
export const PeriodQuery = z.object({
  from: IsoDate.optional().meta({ description: 'First day of the period (inclusive)' }),
  to: IsoDate.optional().meta({ description: 'Last day of the period (inclusive); defaults to today' }),
});

const Buckets = z.object({
  current: DecimalOut.meta({ description: 'Not yet due (days past due ≤ 0)' }),
  d1_30: DecimalOut,
  d31_60: DecimalOut,
  d61_90: DecimalOut,
  d90_plus: DecimalOut.meta({ description: '91 days past due and more' }),
});

export const AgingOut = z.object({
  as_of: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      buckets: Buckets,
      total: DecimalOut,
      customers: z.array(z.object({ customer: z.string(), name: z.string(), buckets: Buckets, total: DecimalOut })),
    }),
  ),
});

const Days = z.string().nullable().meta({ description: 'Days with one decimal ("23.5"); null when undefined' });

export const SummaryOut = z.object({
  from: z.string(),
  to: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      invoiced: DecimalOut.meta({ description: 'Σ totals of invoices issued in the period (not void by its end)' }),
      collected: DecimalOut.meta({ description: 'Σ payments received in the period (not reversed by its end)' }),
      credited: DecimalOut.meta({ description: 'Σ credit notes issued in the period (not void by its end)' }),
      written_off: DecimalOut.meta({
        description: 'Small differences written off and amounts marked uncollectible in the period, less recoveries',
      }),
      outstanding: DecimalOut.meta({ description: 'The aging total at the end of the period' }),
      overdue: DecimalOut.meta({ description: 'Of it, what was past due at the end of the period' }),
      average_days_to_pay: Days.meta({
        description: 'Days from issue to payment, weighted by total, over invoices fully paid in the period',
      }),
      dso: Days.meta({ description: 'outstanding ÷ invoiced × days in the period; null when nothing was invoiced' }),
    }),
  ),
});

export const StatementOut = z.object({
  customer: z.string(),
  name: z.string(),
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  opening_balance: DecimalOut,
  lines: z.array(
    z.object({
      date: z.string(),
      type: z.enum([
        'invoice',
        'invoice_voided',
        'payment',
        'payment_reversed',
        'credit_note',
        'credit_note_voided',
        'refund',
        'write_off',
      ]),
      document: z.string().meta({ description: 'Id of the invoice, payment, credit note, refund or write-off' }),
      number: z.string().nullable().meta({ description: 'Invoice or credit note number; a payment\u2019s reference' }),
      debit: DecimalOut.nullable(),
      credit: DecimalOut.nullable(),
      balance: DecimalOut.meta({ description: 'Running balance; positive: the customer owes it' }),
    }),
  ),
  closing_balance: DecimalOut,
});
