import { minorUnits } from '../money/currencies';
import { formatAmount } from '../money/money';

// The receivables aging report (API.md "Reports"): open amounts by days past due, per currency and customer.

export const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Buckets = Record<Bucket, string>;

/**
 * One customer's open amounts in one currency, or (customer_id null) the currency's totals, bucketed and summed in
 * SQL: exact numeric text, null for an empty bucket. A currency's totals row comes before its customers.
 */
export interface AgingRow {
  currency: string;
  customer_id: string | null;
  name: string | null;
  current: string | null;
  d1_30: string | null;
  d31_60: string | null;
  d61_90: string | null;
  d90_plus: string | null;
  total: string | null;
}

export interface AgingCustomer {
  customer: string;
  name: string;
  buckets: Buckets;
  total: string;
}

export interface AgingCurrency {
  currency: string;
  buckets: Buckets;
  total: string;
  customers: AgingCustomer[];
}

export interface Aging {
  as_of: string;
  currencies: AgingCurrency[];
}

/**
 * formatAmount for exact sums of stored amounts, which never have more digits than the currency: padding them gives
 * formatAmount's result without parsing thousands of decimals; anything else goes through formatAmount itself.
 */
function amountText(value: string | null, currency: string, digits: number): string {
  if (value === null) return formatAmount(0, currency);
  const dot = value.indexOf('.');
  const fraction = dot < 0 ? 0 : value.length - dot - 1;
  if (!/^\d+(\.\d+)?$/.test(value) || fraction > digits) return formatAmount(value, currency);
  if (fraction === digits) return value;
  return `${value}${dot < 0 ? '.' : ''}${'0'.repeat(digits - fraction)}`;
}

function bucketsOf(row: AgingRow, digits: number): Buckets {
  return {
    current: amountText(row.current, row.currency, digits),
    d1_30: amountText(row.d1_30, row.currency, digits),
    d31_60: amountText(row.d31_60, row.currency, digits),
    d61_90: amountText(row.d61_90, row.currency, digits),
    d90_plus: amountText(row.d90_plus, row.currency, digits),
  };
}

/** The report from the rows of agingRows*: per currency its totals row, then its customers by name. */
export function buildAging(asOf: string, rows: AgingRow[]): Aging {
  const currencies: AgingCurrency[] = [];
  let digits = 2;
  for (const row of rows) {
    if (row.customer_id === null) {
      digits = minorUnits(row.currency);
      currencies.push({
        currency: row.currency,
        buckets: bucketsOf(row, digits),
        total: amountText(row.total, row.currency, digits),
        customers: [],
      });
      continue;
    }
    currencies.at(-1)!.customers.push({
      customer: row.customer_id,
      name: row.name ?? '',
      buckets: bucketsOf(row, digits),
      total: amountText(row.total, row.currency, digits),
    });
  }
  return { as_of: asOf, currencies };
}
