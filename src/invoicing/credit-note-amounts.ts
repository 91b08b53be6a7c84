import { type Decimal, dec, roundMoney, sum, ZERO } from '../money/money';
import { allocateByLargestRemainder } from './allocation';
import { normalizePercentage, taxGroupKey, type VatCategory } from './totals';

// Credit note arithmetic of API.md "Credit notes". Credited amounts are positive for a positive invoice.

export interface InvoiceTaxGroup {
  category: VatCategory;
  percentage: string;
  taxRateId: string;
  exemptionReason: string | null;
  taxableAmount: Decimal;
  taxAmount: Decimal;
}

export interface CreditAmounts {
  /** Credited per group: taxableAmount and taxAmount. */
  groups: InvoiceTaxGroup[];
  subtotal: Decimal;
  taxTotal: Decimal;
  total: Decimal;
}

/** The tax contained in a gross amount: round(gross × p ÷ (100 + p)). */
function taxInGross(gross: Decimal, percentage: string, currency: string): Decimal {
  return roundMoney(gross.times(percentage).div(dec(percentage).plus(100)), currency);
}

function creditAmountsOf(groups: InvoiceTaxGroup[]): CreditAmounts {
  const subtotal = sum(groups.map((g) => g.taxableAmount));
  const taxTotal = sum(groups.map((g) => g.taxAmount));
  return { groups, subtotal, taxTotal, total: subtotal.plus(taxTotal) };
}

/**
 * By gross amount including tax: split over the invoice's groups in proportion to their gross
 * (largest remainder, ties to the larger group); per group tax = round(part × p ÷ (100+p)).
 */
export function creditByAmount(amount: Decimal, invoiceGroups: InvoiceTaxGroup[], currency: string): CreditAmounts {
  const gross = invoiceGroups.map((g) => g.taxableAmount.plus(g.taxAmount));
  const parts = allocateByLargestRemainder(roundMoney(amount, currency), gross, currency, 'larger');
  return creditAmountsOf(
    invoiceGroups.map((g, i) => {
      const part = parts[i]!;
      const taxAmount = taxInGross(part, g.percentage, currency);
      return { ...g, taxableAmount: part.minus(taxAmount), taxAmount };
    }),
  );
}

/**
 * By lines: `lines` are the credited line net amounts with their group key; `alreadyCredited` per group the
 * taxable and tax amounts credited by earlier credit notes. tax per group = round(cumulative credited taxable
 * × p ÷ 100) − tax already credited, so crediting every line credits exactly the invoice's tax. For inclusive
 * invoices (line amounts include tax) work on the groups' gross analogously so that crediting all lines credits
 * exactly the invoice total.
 */
export function creditByLines(
  lines: {
    category: VatCategory;
    percentage: string;
    taxRateId: string;
    exemptionReason: string | null;
    amount: Decimal;
  }[],
  alreadyCredited: InvoiceTaxGroup[],
  taxBehavior: 'exclusive' | 'inclusive',
  currency: string,
): CreditAmounts {
  const credited = new Map<string, { group: Omit<InvoiceTaxGroup, 'taxableAmount' | 'taxAmount'>; amount: Decimal }>();
  for (const line of lines) {
    const key = taxGroupKey(line.category, line.percentage);
    const entry = credited.get(key);
    if (entry) entry.amount = entry.amount.plus(line.amount);
    else {
      const { amount, ...rest } = line;
      credited.set(key, { group: { ...rest, percentage: normalizePercentage(line.percentage) }, amount });
    }
  }
  const earlier = new Map<string, { taxable: Decimal; tax: Decimal }>();
  for (const g of alreadyCredited) {
    const key = taxGroupKey(g.category, g.percentage);
    const prior = earlier.get(key) ?? { taxable: ZERO, tax: ZERO };
    earlier.set(key, { taxable: prior.taxable.plus(g.taxableAmount), tax: prior.tax.plus(g.taxAmount) });
  }

  const groups = [...credited].map(([key, { group, amount }]): InvoiceTaxGroup => {
    const prior = earlier.get(key) ?? { taxable: ZERO, tax: ZERO };
    const p = group.percentage;
    if (taxBehavior === 'exclusive') {
      // Tax on the cumulative credited base, less what earlier notes took: rounding never drifts.
      const cumulativeTax = roundMoney(prior.taxable.plus(amount).times(p).div(100), currency);
      return { ...group, taxableAmount: amount, taxAmount: cumulativeTax.minus(prior.tax) };
    }
    const cumulativeTax = taxInGross(prior.taxable.plus(prior.tax).plus(amount), p, currency);
    const taxAmount = cumulativeTax.minus(prior.tax);
    return { ...group, taxableAmount: amount.minus(taxAmount), taxAmount };
  });
  return creditAmountsOf(groups);
}

/** A credited line's amount for a partial quantity: round(lineAmount × creditQty ÷ lineQty). */
export function creditedLineAmount(
  lineAmount: Decimal,
  lineQuantity: string,
  creditQuantity: string,
  currency: string,
): Decimal {
  return roundMoney(lineAmount.times(creditQuantity).div(lineQuantity), currency);
}
