import { z } from 'zod';
import { Currency, DecimalOut, decimalIn } from '../platform/schemas';
import type { TerritoryRule } from './rules';
import type { quotas, territories } from './tables';

const TextRule = z.object({
  field: z.enum(['country', 'region', 'postal_code_prefix', 'industry']),
  value: z.string().trim().min(1, 'Must not be empty.').max(200),
});
const EmployeesRule = z.object({
  field: z.enum(['employees_gte', 'employees_lte']),
  value: z.number().int().min(0).max(100_000_000),
});
export const TerritoryRuleIn = z.discriminatedUnion('field', [TextRule, EmployeesRule]);

export const TerritoryIn = z.object({
  name: z.string().trim().min(1, 'Must not be empty.').max(200),
  parent: z.string().max(100).nullish().meta({ description: 'Id of the parent territory' }),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional().meta({
    description: 'Among matching territories the lowest priority wins (ties to the older); default 0',
  }),
  rules: z.array(TerritoryRuleIn).max(50).optional(),
  members: z.array(z.string().max(100)).max(500).optional().meta({ description: 'User ids, in round-robin order' }),
  manager: z.string().max(100).nullish(),
});
export const TerritoryPatch = TerritoryIn.partial();
export type TerritoryIn = z.output<typeof TerritoryIn>;
export type TerritoryPatch = z.output<typeof TerritoryPatch>;

export const TerritoryOut = z.object({
  id: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  priority: z.number(),
  rules: z.array(z.object({ field: z.string(), value: z.union([z.string(), z.number()]) })),
  members: z.array(z.string()),
  manager: z.string().nullable(),
  created_at: z.string(),
});
export type TerritoryRow = typeof territories.$inferSelect;

export function territoryOut(t: TerritoryRow): z.infer<typeof TerritoryOut> {
  return {
    id: t.id,
    name: t.name,
    parent: t.parentId,
    priority: t.priority,
    rules: t.rules as TerritoryRule[],
    members: t.members as string[],
    manager: t.managerId,
    created_at: t.createdAt.toISOString(),
  };
}

export const RealignIn = z.object({
  dry_run: z.boolean().optional().meta({ description: 'true: answer what would move, change nothing' }),
  reassign_owners: z.boolean().optional(),
});
export const RealignOut = z.object({
  dry_run: z.boolean(),
  moved: z.array(
    z.object({
      territory_from: z.string().nullable(),
      territory_to: z.string().nullable(),
      customers: z.number(),
      leads: z.number(),
      opportunities: z.number(),
      open_pipeline: z.array(z.object({ currency: z.string(), amount: DecimalOut })),
    }),
  ),
  unchanged: z.number(),
});

export const QuotaPeriod = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'Must be a month (2026-11), a quarter (2026-Q4) or a year (2026).');

export const QuotaIn = z
  .object({
    owner: z.string().max(100).nullish(),
    territory: z.string().max(100).nullish(),
    period: QuotaPeriod,
    amount: decimalIn({ positive: true }),
    currency: Currency,
  })
  .superRefine((q, ctx) => {
    if (!q.owner === !q.territory)
      ctx.addIssue({ code: 'custom', path: ['owner'], message: 'Give either an owner or a territory.' });
  });
export type QuotaIn = z.output<typeof QuotaIn>;

export const QuotaListQuery = z.object({
  period: QuotaPeriod.optional(),
  owner: z.string().max(100).optional(),
  territory: z.string().max(100).optional(),
});

export const QuotaOut = z.object({
  id: z.string(),
  owner: z.string().nullable(),
  territory: z.string().nullable(),
  period: z.string(),
  amount: DecimalOut,
  currency: z.string(),
  won_amount: DecimalOut.meta({ description: 'Σ amount of opportunities won with closed_on in the period' }),
  attainment: DecimalOut.meta({ description: 'won_amount ÷ amount, 4 decimals' }),
});
export type QuotaRow = typeof quotas.$inferSelect;
