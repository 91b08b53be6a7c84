import { type Decimal, dec, formatAmount, roundMoney, sum } from '../money/money';

// API.md "Opportunities": a line's base is its net by the invoice rules 1–3; a recurring line counts annualized in
// `amount` and monthly in `mrr`. Pure: no I/O, no clock.

export type Interval = 'month' | 'quarter' | 'year';

export interface OpportunityLineIn {
  quantity: string;
  unit_price: string;
  discount_percent?: string | null | undefined;
  recurring?: { interval: Interval; interval_count: number } | null | undefined;
}

const MONTHS: Record<Interval, number> = { month: 1, quarter: 3, year: 12 };

export function monthsPerInterval(recurring: { interval: Interval; interval_count: number }): number {
  return MONTHS[recurring.interval] * recurring.interval_count;
}

/** gross = round(quantity × unit_price), allowance = round(gross × discount ÷ 100), base = gross − allowance. */
export function lineBase(line: OpportunityLineIn, currency: string): Decimal {
  const gross = roundMoney(dec(line.quantity).mul(line.unit_price), currency);
  const allowance = roundMoney(gross.mul(line.discount_percent ?? '0').div(100), currency);
  return gross.sub(allowance);
}

/** A one-time line's amount is its base; a recurring line's is round(base × 12 ÷ months per interval). */
export function lineAmount(line: OpportunityLineIn, currency: string): Decimal {
  const base = lineBase(line, currency);
  return line.recurring ? roundMoney(base.mul(12).div(monthsPerInterval(line.recurring)), currency) : base;
}

/** `amount` = Σ line amounts (annualized); `mrr` = Σ round(base ÷ months per interval) over recurring lines. */
export function opportunityAmounts(
  lines: OpportunityLineIn[],
  currency: string,
): { lines: string[]; amount: string; mrr: string } {
  const amounts = lines.map((l) => lineAmount(l, currency));
  const mrr = sum(
    lines
      .filter((l) => l.recurring)
      .map((l) => roundMoney(lineBase(l, currency).div(monthsPerInterval(l.recurring!)), currency)),
  );
  return {
    lines: amounts.map((a) => formatAmount(a, currency)),
    amount: formatAmount(sum(amounts), currency),
    mrr: formatAmount(mrr, currency),
  };
}

/** expected_revenue = round(amount × probability ÷ 100). */
export function expectedRevenue(amount: string, probability: number, currency: string): string {
  return formatAmount(roundMoney(dec(amount).mul(probability).div(100), currency), currency);
}
