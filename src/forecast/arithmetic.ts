// The forecast's arithmetic (API.md "Forecast"): quota spreads, payment behaviour, month buckets. Pure.

import { allocateByLargestRemainder } from '../invoicing/allocation';
import { addDays, daysBetween } from '../invoicing/dates';
import { Decimal, dec, roundMoney, ZERO } from '../money/money';
import { monthsOfPeriod } from '../territories/periods';

/** An amount spread evenly over `parts` by the largest-remainder method, ties to the earlier part. */
export function spreadEvenly(amount: Decimal, parts: number, currency: string): Decimal[] {
  return allocateByLargestRemainder(
    roundMoney(amount, currency),
    Array.from({ length: parts }, () => new Decimal(1)),
    currency,
    'earlier',
  );
}

export interface QuotaLike {
  period: string;
  amount: string;
  currency: string;
}

/**
 * Per currency and month, the month's quota: its monthly quotas + its quarterly ones spread over the quarter's
 * months + its yearly ones spread over the year's months. Only the months asked for are kept.
 */
export function monthlyQuotas(quotas: QuotaLike[], months: string[]): Map<string, Map<string, Decimal>> {
  const wanted = new Set(months);
  const result = new Map<string, Map<string, Decimal>>();
  for (const q of quotas) {
    const covered = monthsOfPeriod(q.period);
    const parts = spreadEvenly(dec(q.amount), covered.length, q.currency);
    covered.forEach((month, i) => {
      if (!wanted.has(month)) return;
      const perMonth = result.get(q.currency) ?? new Map<string, Decimal>();
      perMonth.set(month, (perMonth.get(month) ?? ZERO).plus(parts[i]!));
      result.set(q.currency, perMonth);
    });
  }
  return result;
}

export interface PaidInvoice {
  total: string;
  dueDate: string;
  /** The date of the allocation that brought its amount due to 0. */
  paidOn: string;
}

/** Fewer paid invoices than this: the customer's own behaviour is not used. */
export const MIN_PAID_INVOICES = 3;

/**
 * Average days late weighted by total, rounded to whole days half away from zero (negative: early payers); null
 * with fewer than MIN_PAID_INVOICES invoices or no positive total.
 */
export function averageDaysLate(paid: PaidInvoice[]): number | null {
  const counted = paid.filter((p) => dec(p.total).greaterThan(0));
  if (counted.length < MIN_PAID_INVOICES) return null;
  let weighted = ZERO;
  let totals = ZERO;
  for (const p of counted) {
    weighted = weighted.plus(dec(p.total).times(daysBetween(p.dueDate, p.paidOn)));
    totals = totals.plus(p.total);
  }
  return weighted.div(totals).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** The customer's own average, else the organization's, else 0. */
export function daysLateFor(own: number | null, organization: number | null): number {
  return own ?? organization ?? 0;
}

/** When an open invoice is expected to be paid: due date + days late, never before the day after `asOf`. */
export function predictedPaymentDate(dueDate: string, daysLate: number, asOf: string): string {
  const predicted = addDays(dueDate, daysLate);
  const earliest = addDays(asOf, 1);
  return predicted < earliest ? earliest : predicted;
}

/**
 * The month a scheduled billing counts in: its billing date's, or, for a period due on or before `asOf` and not
 * billed, the month of `asOf` + 1.
 */
export function scheduledMonth(billingDate: string, asOf: string): string {
  return (billingDate > asOf ? billingDate : addDays(asOf, 1)).slice(0, 7);
}

/** Payment window of the average: (asOf − 12 months, asOf]; returns the exclusive start. */
export function paymentWindowStart(asOf: string): string {
  const year = Number(asOf.slice(0, 4)) - 1;
  const month = asOf.slice(5, 7);
  const day = Number(asOf.slice(8, 10));
  // 29 February a year back is 28 February.
  const last = new Date(Date.UTC(year, Number(month), 0)).getUTCDate();
  return `${year}-${month}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Attainment: won ÷ quota with 4 decimals. */
export function attainment(won: Decimal, quota: Decimal): string {
  return quota.isZero() ? '0.0000' : won.div(quota).toFixed(4);
}
