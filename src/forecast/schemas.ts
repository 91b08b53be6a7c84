import { z } from 'zod';
import { DecimalOut, IsoDate } from '../platform/schemas';

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Must be a month as YYYY-MM.');

export const ForecastQuery = z.object({
  from: Month.optional().meta({ description: 'First month; defaults to the month of as_of' }),
  months: z.coerce.number().int().min(1).max(24).default(12),
  owner: z.string().max(100).optional().meta({ description: 'User id: opportunities, quotas and customers owned' }),
  territory: z.string().max(100).optional().meta({ description: 'Territory id, its descendants included' }),
  as_of: IsoDate.optional().meta({ description: 'Where the future begins (default today)' }),
});
export type ForecastQuery = z.output<typeof ForecastQuery>;

export const FORECAST_FIGURES = [
  'quota',
  'closed_won',
  'commit',
  'best_case',
  'pipeline',
  'weighted_pipeline',
  'invoiced',
  'recurring_scheduled',
  'expected_cash',
] as const;
export type ForecastFigure = (typeof FORECAST_FIGURES)[number];

const MonthOut = z.object({
  month: z.string(),
  quota: DecimalOut,
  closed_won: DecimalOut,
  commit: DecimalOut,
  best_case: DecimalOut,
  pipeline: DecimalOut,
  weighted_pipeline: DecimalOut,
  invoiced: DecimalOut.meta({ description: 'Net of tax, credit notes subtracted, imports excluded' }),
  recurring_scheduled: DecimalOut.meta({ description: 'Net of what the billing engine will bill' }),
  expected_cash: DecimalOut.meta({ description: 'Amount due at as_of by predicted payment month' }),
});

export const ForecastOut = z.object({
  from: z.string(),
  months: z.number(),
  as_of: z.string(),
  currencies: z.array(z.object({ currency: z.string(), months: z.array(MonthOut) })),
});
export type ForecastOut = z.infer<typeof ForecastOut>;

export const SalesQuery = z.object({
  from: IsoDate.optional().meta({ description: 'First day (inclusive); defaults to 1 January of `to`\u2019s year' }),
  to: IsoDate.optional().meta({ description: 'Last day (inclusive); defaults to today' }),
  owner: z.string().max(100).optional(),
  territory: z.string().max(100).optional().meta({ description: 'Territory id, its descendants included' }),
});
export type SalesQuery = z.output<typeof SalesQuery>;

const Rate = z.string().nullable().meta({ description: 'Decimal with 4 places; null where the denominator is zero' });

export const SalesOut = z.object({
  from: z.string(),
  to: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      leads_created: z.number(),
      leads_converted: z.number(),
      lead_conversion_rate: Rate,
      opportunities_created: z.number(),
      won_count: z.number(),
      lost_count: z.number(),
      won_amount: DecimalOut,
      lost_amount: DecimalOut,
      win_rate: Rate,
      win_rate_by_amount: Rate,
      average_deal_size: DecimalOut.nullable(),
      average_cycle_days: z.string().nullable().meta({ description: 'One decimal' }),
      stage_conversion: z.array(
        z.object({
          from_stage: z.string(),
          to_stage: z.string(),
          entered: z.number(),
          advanced: z.number(),
          rate: Rate,
        }),
      ),
    }),
  ),
});
export type SalesOut = z.infer<typeof SalesOut>;
