import { buildDraftAmounts, type DraftAmounts, type DraftRefs, type LineInput } from '../invoicing/draft';
import { dec, formatAmount, sum } from '../money/money';
import { invalid } from '../platform/errors';
import type { Recurring, StoredQuoteLine } from './schemas';

// Quotes and orders price their lines with the invoice arithmetic (buildDraftAmounts), never a second one.

export interface PricedLines {
  /** Every line with its amount, in the order given. */
  lines: StoredQuoteLine[];
  /** Totals of the one-time lines, as an invoice of them would have. */
  oneTime: DraftAmounts;
  /** Net amount of the recurring lines per interval and count, in order of first appearance. */
  recurringTotals: { interval: Recurring['interval']; interval_count: number; amount: string }[];
  recurringTotal: string;
}

export function priceLines(
  input: {
    currency: string;
    taxBehavior: 'exclusive' | 'inclusive';
    lines: (LineInput & { recurring: Recurring | null })[];
  },
  refs: DraftRefs,
): PricedLines {
  const { currency, taxBehavior } = input;
  const strip = ({ recurring: _r, ...line }: LineInput & { recurring: Recurring | null }): LineInput => line;
  // All lines at once so a refusal names the line as given (lines[3]); then the one-time lines for the totals.
  const all = buildDraftAmounts({ currency, taxBehavior, lines: input.lines.map(strip), allowancesCharges: [] }, refs);
  const oneTime = buildDraftAmounts(
    {
      currency,
      taxBehavior,
      lines: input.lines.filter((l) => l.recurring === null).map(strip),
      allowancesCharges: [],
    },
    refs,
  );
  const lines: StoredQuoteLine[] = all.lines.map((l, i) => ({
    id: l.id,
    description: l.description,
    product: l.product,
    quantity: l.quantity,
    unit: l.unit,
    unit_price: l.unit_price,
    price_base_quantity: l.price_base_quantity,
    discount_percent: l.discount_percent,
    tax_rate: l.tax_rate,
    amount: l.amount,
    recurring: input.lines[i]!.recurring,
  }));
  const groups = new Map<string, { interval: Recurring['interval']; interval_count: number; amounts: string[] }>();
  for (const line of lines) {
    if (!line.recurring) continue;
    const key = `${line.recurring.interval}:${line.recurring.interval_count}`;
    const group = groups.get(key) ?? { ...line.recurring, amounts: [] };
    group.amounts.push(line.amount);
    groups.set(key, group);
  }
  return {
    lines,
    oneTime,
    recurringTotals: [...groups.values()].map((g) => ({
      interval: g.interval,
      interval_count: g.interval_count,
      amount: formatAmount(sum(g.amounts), currency),
    })),
    recurringTotal: formatAmount(sum(lines.filter((l) => l.recurring).map((l) => l.amount)), currency),
  };
}

/**
 * The unit price a subscription bills for a recurring line: its discount applied exactly. Subscriptions bill
 * round(quantity × unit price), so the discounted price must itself be exact (at most 6 decimals).
 */
export function netUnitPrice(line: Pick<StoredQuoteLine, 'unit_price' | 'discount_percent'>, param: string): string {
  if (!line.discount_percent) return line.unit_price;
  const net = dec(line.unit_price).times(dec(100).minus(line.discount_percent)).div(100);
  if (net.decimalPlaces() > 6)
    throw invalid(
      'recurring_discount_inexact',
      `A discount on a recurring line must leave a unit price with at most 6 decimals (${line.unit_price} less ${line.discount_percent} % is ${net.toFixed()}).`,
      `${param}.discount_percent`,
    );
  return net.toFixed();
}
