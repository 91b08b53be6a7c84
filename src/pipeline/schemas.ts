import { z } from 'zod';
import { DecimalOut, decimalIn, IsoDate } from '../platform/schemas';
import type { opportunities, opportunityStageHistory, pipelineStages } from './tables';

export const ForecastCategory = z.enum(['pipeline', 'best_case', 'commit', 'closed', 'omitted']);
export const StageKind = z.enum(['open', 'won', 'lost']);

export const StageIn = z.object({
  name: z.string().trim().min(1, 'Must not be empty.').max(100),
  position: z.number().int().min(0).max(10_000).optional(),
  probability: z.number().int().min(0).max(100),
  forecast_category: ForecastCategory,
  kind: StageKind,
  active: z.boolean().optional(),
});
export const StagePatch = StageIn.partial();
export type StageIn = z.output<typeof StageIn>;
export type StagePatch = z.output<typeof StagePatch>;

export const StageOut = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  forecast_category: ForecastCategory,
  kind: StageKind,
  active: z.boolean(),
});

const Recurring = z.object({
  interval: z.enum(['month', 'quarter', 'year']),
  interval_count: z.number().int().min(1).max(120).default(1),
});

export const OpportunityLineIn = z.object({
  product: z.string().max(100).nullish(),
  description: z.string().max(2000).nullish(),
  quantity: decimalIn({ places: 6 }),
  unit_price: decimalIn({ places: 6, nonNegative: true }).nullish(),
  discount_percent: decimalIn({ places: 6, nonNegative: true })
    .refine((p) => Number(p) <= 100, 'At most 100.')
    .nullish(),
  recurring: Recurring.nullish(),
});
export type OpportunityLineIn = z.output<typeof OpportunityLineIn>;

export const OpportunityIn = z.object({
  name: z.string().trim().min(1, 'Must not be empty.').max(200),
  customer: z.string().max(100),
  contact: z.string().max(100).nullish(),
  owner: z.string().max(100).nullish(),
  stage: z.string().max(100).optional(),
  amount: decimalIn({ nonNegative: true }).optional().meta({ description: 'Required without lines' }),
  close_date: IsoDate.nullish(),
  next_step: z.string().max(500).nullish(),
  next_step_date: IsoDate.nullish(),
  probability: z.number().int().min(0).max(100).optional(),
  forecast_category: ForecastCategory.optional(),
  lost_reason: z.string().max(500).nullish(),
  closed_on: IsoDate.optional(),
  lines: z.array(OpportunityLineIn).max(200).optional(),
});
export type OpportunityIn = z.output<typeof OpportunityIn>;
export const OpportunityPatch = OpportunityIn.omit({ customer: true }).partial();
export type OpportunityPatch = z.output<typeof OpportunityPatch>;

export const OpportunityListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  stage: z.string().max(100).optional(),
  owner: z.string().max(100).optional(),
  territory: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
  'close_date[gte]': IsoDate.optional(),
  'close_date[lte]': IsoDate.optional(),
});
export type OpportunityListQuery = z.output<typeof OpportunityListQuery>;

const LineOut = z.object({
  id: z.string(),
  product: z.string().nullable(),
  description: z.string().nullable(),
  quantity: DecimalOut,
  unit_price: DecimalOut,
  discount_percent: DecimalOut.nullable(),
  recurring: z.object({ interval: z.enum(['month', 'quarter', 'year']), interval_count: z.number().int() }).nullable(),
  amount: DecimalOut,
});
export type StoredLine = z.infer<typeof LineOut>;

export const HistoryOut = z.object({
  stage: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  amount: DecimalOut,
  probability: z.number().int(),
  close_date: z.string().nullable(),
  by: z.string().nullable(),
});

export const OpportunityOut = z.object({
  id: z.string(),
  name: z.string(),
  customer: z.string(),
  contact: z.string().nullable(),
  owner: z.string().nullable(),
  territory: z.string().nullable(),
  stage: z.string(),
  status: z.enum(['open', 'won', 'lost']),
  probability: z.number().int(),
  forecast_category: ForecastCategory,
  amount: DecimalOut,
  currency: z.string(),
  close_date: z.string().nullable(),
  next_step: z.string().nullable(),
  next_step_date: z.string().nullable(),
  lost_reason: z.string().nullable(),
  lines: z.array(LineOut),
  mrr: DecimalOut,
  quote: z.string().nullable(),
  closed_on: z.string().nullable(),
  stage_history: z.array(HistoryOut),
  expected_revenue: DecimalOut,
  created_at: z.string(),
});
export type OpportunityOut = z.infer<typeof OpportunityOut>;

export const PipelineQuery = z.object({
  as_of: IsoDate.optional(),
  owner: z.string().max(100).optional(),
  territory: z.string().max(100).optional(),
});
export const PipelineOut = z.object({
  as_of: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      stages: z.array(
        z.object({
          stage: z.string(),
          name: z.string(),
          count: z.number().int(),
          amount: DecimalOut,
          weighted_amount: DecimalOut,
        }),
      ),
      total_amount: DecimalOut,
      total_weighted: DecimalOut,
    }),
  ),
});
export type PipelineOut = z.infer<typeof PipelineOut>;

export type StageRow = typeof pipelineStages.$inferSelect;
export type OpportunityRow = typeof opportunities.$inferSelect;
export type HistoryRow = typeof opportunityStageHistory.$inferSelect;

export function stageOut(s: StageRow): z.infer<typeof StageOut> {
  return {
    id: s.id,
    name: s.name,
    position: s.position,
    probability: s.probability,
    forecast_category: s.forecastCategory as z.infer<typeof ForecastCategory>,
    kind: s.kind as z.infer<typeof StageKind>,
    active: s.active,
  };
}
