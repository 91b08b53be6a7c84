import { Decimal } from '../money/money';
import { invalid } from '../platform/errors';

export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];

const NEEDS_REASON: ReadonlySet<VatCategory> = new Set(['E', 'AE', 'K', 'G', 'O']);

/** The UNCL5305 rules a tax rate must satisfy (API.md "Tax rates"). */
export function validateTaxRate(rate: {
  category: VatCategory;
  percentage: string;
  exemption_reason?: string | null;
}): void {
  const pct = new Decimal(rate.percentage);
  if (pct.isNegative() || pct.greaterThan(100))
    throw invalid('percentage_out_of_range', 'The percentage must be between 0 and 100.', 'percentage');
  if (rate.category === 'S' && pct.isZero())
    throw invalid(
      'standard_rate_zero',
      'A standard-rated (S) tax rate needs a percentage above 0; use category Z for zero-rated.',
      'percentage',
    );
  if (rate.category !== 'S' && !pct.isZero())
    throw invalid('category_requires_zero_percentage', `Category ${rate.category} has percentage 0.`, 'percentage');
  if (NEEDS_REASON.has(rate.category) && !rate.exemption_reason?.trim())
    throw invalid(
      'exemption_reason_required',
      `Category ${rate.category} needs an exemption_reason.`,
      'exemption_reason',
    );
}
