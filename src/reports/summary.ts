import { daysBetween } from '../invoicing/dates';
import { dec, formatAmount, ZERO } from '../money/money';
import type { Aging } from './aging';

// The receivables summary of a period (API.md "Reports"), per currency.

/** Per-currency sums over the period, exact numeric text from SQL. */
export interface PeriodFigures {
  currency: string;
  invoiced: string;
  collected: string;
  credited: string;
  written_off: string;
  /** Σ total × days from issue to payment, over invoices fully paid in the period. */
  paid_weighted_days: string;
  /** Σ total of those invoices. */
  paid_weight: string;
}

export interface SummaryCurrency {
  currency: string;
  invoiced: string;
  collected: string;
  credited: string;
  written_off: string;
  outstanding: string;
  overdue: string;
  average_days_to_pay: string | null;
  dso: string | null;
}

export interface Summary {
  from: string;
  to: string;
  currencies: SummaryCurrency[];
}

const oneDecimal = (value: ReturnType<typeof dec>) => {
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
};

/**
 * Combines the period's sums with the aging as of `to`: outstanding is its total, overdue all but `current`.
 * average_days_to_pay is weighted by invoice total; dso = outstanding ÷ invoiced × days in the period (inclusive).
 */
export function buildSummary(from: string, to: string, figures: PeriodFigures[], agingAtEnd: Aging): Summary {
  const days = daysBetween(from, to) + 1;
  const currencies = new Set([...figures.map((f) => f.currency), ...agingAtEnd.currencies.map((a) => a.currency)]);
  return {
    from,
    to,
    currencies: [...currencies].sort().map((currency) => {
      const f = figures.find((x) => x.currency === currency);
      const aging = agingAtEnd.currencies.find((a) => a.currency === currency);
      const money = (v: string | undefined) => formatAmount(v ?? ZERO, currency);
      const invoiced = dec(f?.invoiced ?? 0);
      const outstanding = dec(aging?.total ?? 0);
      const weight = dec(f?.paid_weight ?? 0);
      return {
        currency,
        invoiced: money(f?.invoiced),
        collected: money(f?.collected),
        credited: money(f?.credited),
        written_off: money(f?.written_off),
        outstanding: money(aging?.total),
        overdue: formatAmount(outstanding.minus(aging?.buckets.current ?? 0), currency),
        average_days_to_pay: weight.isZero() ? null : oneDecimal(dec(f!.paid_weighted_days).div(weight)),
        dso: invoiced.isZero() ? null : oneDecimal(outstanding.div(invoiced).times(days)),
      };
    }),
  };
}
