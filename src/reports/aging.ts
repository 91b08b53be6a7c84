import { type Decimal, dec, formatAmount, ZERO } from '../money/money';

// The receivables aging report (API.md "Reports"): open amounts by days past due, per currency and customer.

export const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Buckets = Record<Bucket, string>;

/** One customer's open amounts in one currency, bucketed in SQL (exact numeric text). */
export interface AgingRow extends Buckets {
  currency: string;
  customer_id: string;
  name: string;
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

/** Days past due → bucket: current ≤ 0, then 1–30, 31–60, 61–90, 91 and more. */
export function bucketOf(daysPastDue: number): Bucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'd1_30';
  if (daysPastDue <= 60) return 'd31_60';
  if (daysPastDue <= 90) return 'd61_90';
  return 'd90_plus';
}

function formatBuckets(values: Record<Bucket, Decimal>, currency: string): Buckets {
  return Object.fromEntries(BUCKETS.map((b) => [b, formatAmount(values[b], currency)])) as Buckets;
}

const zeroBuckets = (): Record<Bucket, Decimal> => ({
  current: ZERO,
  d1_30: ZERO,
  d31_60: ZERO,
  d61_90: ZERO,
  d90_plus: ZERO,
});

/** The report from per-customer rows (already ordered by currency, then customer name). */
export function buildAging(asOf: string, rows: AgingRow[]): Aging {
  const currencies = new Map<string, { sums: Record<Bucket, Decimal>; customers: AgingCustomer[] }>();
  for (const row of rows) {
    let cur = currencies.get(row.currency);
    if (!cur) {
      cur = { sums: zeroBuckets(), customers: [] };
      currencies.set(row.currency, cur);
    }
    let total = ZERO;
    const own = zeroBuckets();
    for (const b of BUCKETS) {
      own[b] = dec(row[b]);
      total = total.plus(own[b]);
      cur.sums[b] = cur.sums[b].plus(own[b]);
    }
    cur.customers.push({
      customer: row.customer_id,
      name: row.name,
      buckets: formatBuckets(own, row.currency),
      total: formatAmount(total, row.currency),
    });
  }
  return {
    as_of: asOf,
    currencies: [...currencies]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, { sums, customers }]) => ({
        currency,
        buckets: formatBuckets(sums, currency),
        total: formatAmount(
          BUCKETS.reduce((t, b) => t.plus(sums[b]), ZERO),
          currency,
        ),
        customers,
      })),
  };
}
