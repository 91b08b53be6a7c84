import { z } from 'zod';
import { Country, Currency, DecimalOut, decimalIn } from '../platform/schemas';
import type { products, taxRates } from './tables';
import { VAT_CATEGORIES } from './tax-rules';

export const TaxRateIn = z.object({
  name: z.string().trim().min(1).max(100),
  percentage: decimalIn({ places: 4, nonNegative: true }),
  category: z.enum(VAT_CATEGORIES).default('S'),
  exemption_reason: z.string().max(300).nullish(),
  country: Country.nullish(),
  active: z.boolean().optional(),
});
export const TaxRatePatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  exemption_reason: z.string().max(300).nullish(),
  country: Country.nullish(),
  active: z.boolean().optional(),
});
export const TaxRateOut = z.object({
  id: z.string(),
  name: z.string(),
  percentage: DecimalOut,
  category: z.enum(VAT_CATEGORIES),
  exemption_reason: z.string().nullable(),
  country: z.string().nullable(),
  active: z.boolean(),
  created_at: z.string(),
});

const Unit = z.string().regex(/^[A-Z0-9]{1,3}$/, 'Must be a UN/ECE Recommendation 20 unit code, like "C62" or "HUR".');

export const ProductIn = z.object({
  name: z.string().trim().min(1).max(200),
  sku: z.string().max(100).nullish(),
  description: z.string().max(2000).nullish(),
  unit_price: decimalIn({ places: 6, nonNegative: true }),
  currency: Currency,
  unit: Unit.optional(),
  tax_rate: z.string().max(100).nullish(),
  active: z.boolean().optional(),
});
export const ProductPatch = ProductIn.partial();
export const ProductOut = z.object({
  id: z.string(),
  name: z.string(),
  sku: z.string().nullable(),
  description: z.string().nullable(),
  unit_price: DecimalOut,
  currency: z.string(),
  unit: z.string(),
  tax_rate: z.string().nullable(),
  active: z.boolean(),
  created_at: z.string(),
});
export const ProductListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  search: z.string().max(200).optional(),
  active: z.enum(['true', 'false']).optional(),
});

export type TaxRateRow = typeof taxRates.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

/** Decimal text without trailing zeros: "19.0000" -> "19". */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export const taxRateOut = (t: TaxRateRow): z.infer<typeof TaxRateOut> => ({
  id: t.id,
  name: t.name,
  percentage: trimDecimal(t.percentage),
  category: t.category as z.infer<typeof TaxRateOut>['category'],
  exemption_reason: t.exemptionReason,
  country: t.country,
  active: t.active,
  created_at: t.createdAt.toISOString(),
});

export const productOut = (p: ProductRow): z.infer<typeof ProductOut> => ({
  id: p.id,
  name: p.name,
  sku: p.sku,
  description: p.description,
  unit_price: p.unitPrice,
  currency: p.currency,
  unit: p.unit,
  tax_rate: p.taxRateId,
  active: p.active,
  created_at: p.createdAt.toISOString(),
});
