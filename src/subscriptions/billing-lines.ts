import { fromDay, toDay } from '../billing/dates';
import { lastBilledDay } from '../billing/due-periods';
import { fullPeriodOf, indexOfDay, periodAt, scheduleOf } from '../billing/periods';
import type {
  BillingLine,
  Interval,
  LineKind,
  Period,
  Proration,
  SubscriptionItem,
  SubscriptionTerms,
  Timing,
} from '../billing/terms';
import type { LineInput } from '../invoicing/draft';
import { dec, roundMoney } from '../money/money';

// Between the billing engine (BillingLine, exact Decimal amounts) and the invoice (LineInput): pure.

/** The stored fields of a subscription the engine needs. */
export interface SubscriptionFields {
  startDate: string;
  endDate: string | null;
  interval: string;
  intervalCount: number;
  billingDay: number;
  timing: string;
  proration: string;
  currency: string;
  items: unknown;
}

export function termsOf(sub: SubscriptionFields): SubscriptionTerms {
  return {
    startDate: sub.startDate,
    endDate: sub.endDate,
    interval: sub.interval as Interval,
    intervalCount: sub.intervalCount,
    billingDay: sub.billingDay,
    timing: sub.timing as Timing,
    proration: sub.proration as Proration,
    currency: sub.currency,
    items: sub.items as SubscriptionItem[],
  };
}

/** A billed (or pending) line as stored: the engine's line, its amount as text, and what the invoice needs of its item. */
export interface StoredBillingLine {
  itemId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  period: Period;
  kind: LineKind;
  taxRateId: string | null;
  productId: string | null;
  /** The invoice line that bills it, once invoiced (what a cancellation's credit note credits). */
  invoiceLine?: { id: string; quantity: string } | null;
}

/** Lines to store; `items` are every item the lines may refer to (before and after a change). */
export function storeLines(lines: BillingLine[], items: SubscriptionItem[]): StoredBillingLine[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return lines.map((l) => {
    const item = l.itemId ? byId.get(l.itemId) : undefined;
    return {
      itemId: l.itemId,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.amount.toFixed(),
      period: l.period,
      kind: l.kind,
      taxRateId: item?.taxRateId ?? null,
      productId: item?.productId ?? null,
    };
  });
}

export function engineLines(lines: StoredBillingLine[]): BillingLine[] {
  return lines.map((l) => ({
    itemId: l.itemId,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    amount: dec(l.amount),
    period: l.period,
    kind: l.kind,
  }));
}

/** The latest day the lines cover (null: no line). */
export function linesEnd(lines: StoredBillingLine[]): string | null {
  let end: string | null = null;
  for (const l of lines) if (end === null || l.period.end > end) end = l.period.end;
  return end;
}

/** An invoice line and the index of the stored line it bills. */
export type DraftLine = LineInput & { kind: LineKind; source: number };

/**
 * Invoice lines of billed lines, with exactly the engine's amounts. A whole period or usage reads
 * quantity × unit price; a prorated line is 1 × its amount (−1 for a credit), its days in the description.
 * Usage lines with nothing used are left out.
 */
export function draftLinesOf(lines: StoredBillingLine[], currency: string): DraftLine[] {
  const result: DraftLine[] = [];
  lines.forEach((l, source) => {
    const amount = dec(l.amount);
    const base = { product: l.productId, tax_rate: l.taxRateId, period: l.period, kind: l.kind, source };
    if (l.kind === 'usage' && dec(l.quantity).isZero()) return;
    const whole =
      (l.kind === 'recurring' || l.kind === 'usage') &&
      roundMoney(dec(l.quantity).times(l.unitPrice), currency).equals(amount);
    if (whole) {
      result.push({ ...base, description: l.description, quantity: l.quantity, unit_price: l.unitPrice });
      return;
    }
    const days = `${l.period.start} – ${l.period.end}`;
    const description =
      l.kind === 'proration_credit'
        ? `Unused time on ${l.description} (${days})`
        : l.kind === 'proration_debit'
          ? `Remaining time on ${l.description} (${days})`
          : `${l.description} (${days})`;
    result.push({
      ...base,
      description,
      quantity: amount.isNegative() ? '-1' : '1',
      unit_price: amount.abs().toFixed(),
    });
  });
  return result;
}

/** Σ of the lines' amounts (the net the invoice will have). */
export function netOf(lines: StoredBillingLine[]) {
  return lines.reduce((acc, l) => acc.plus(l.amount), dec(0));
}

/**
 * Whether usage on `date` is already billed: its period's usage is billed on the day after the period ends,
 * so it is billed once that billing date is done.
 */
export function usagePeriodBilled(terms: SubscriptionTerms, billedThrough: string | null, date: string): boolean {
  const schedule = scheduleOf(terms);
  const day = toDay(date);
  const period = periodAt(schedule, indexOfDay(schedule, day));
  if (period === null) return false;
  return lastBilledDay(schedule, terms.timing, billedThrough) >= period.end + 1;
}

/** Whether the subscription serves `date` (between its start and end, both included). */
export function servesOn(terms: SubscriptionTerms, date: string): boolean {
  return date >= terms.startDate && (terms.endDate === null || date <= terms.endDate);
}

/** The first day whose usage can still be billed: the start of the period that holds billed_through. */
export function usageFrom(terms: SubscriptionTerms, billedThrough: string | null): string {
  if (billedThrough === null || billedThrough <= terms.startDate) return terms.startDate;
  const schedule = scheduleOf(terms);
  return fromDay(fullPeriodOf(schedule, toDay(billedThrough)).start);
}

/** The days the lines cover, from the earliest start to the latest end (null: no line). */
export function spanOf(lines: StoredBillingLine[]): Period | null {
  const first = lines[0];
  if (!first) return null;
  const span = { ...first.period };
  for (const l of lines) {
    if (l.period.start < span.start) span.start = l.period.start;
    if (l.period.end > span.end) span.end = l.period.end;
  }
  return span;
}

export interface BilledInvoice {
  invoiceId: string | null;
  lines: StoredBillingLine[];
}

/**
 * Which invoice lines a cancellation's credits credit: each credit goes to the invoiced line of the same item,
 * price and quantity that covers most of its days, as the share of that line's quantity its amount is (at
 * most 6 decimals, so within rounding of the amount). Credits with no such line come back as `unmatched`.
 */
export function creditRequests(
  credits: StoredBillingLine[],
  billed: BilledInvoice[],
): {
  byInvoice: { invoiceId: string; lines: { invoice_line: string; quantity: string }[]; credits: StoredBillingLine[] }[];
  unmatched: StoredBillingLine[];
} {
  const requested = new Map<string, { invoiceId: string; quantity: ReturnType<typeof dec> }>();
  const creditsOf = new Map<string, StoredBillingLine[]>();
  const unmatched: StoredBillingLine[] = [];
  for (const credit of credits) {
    let best: { invoiceId: string; line: StoredBillingLine; overlap: number } | null = null;
    for (const row of billed) {
      if (!row.invoiceId) continue;
      for (const line of row.lines) {
        if (!line.invoiceLine || (line.kind !== 'recurring' && line.kind !== 'proration_debit')) continue;
        if (line.itemId !== credit.itemId || line.unitPrice !== credit.unitPrice || line.quantity !== credit.quantity)
          continue;
        const overlap =
          Math.min(toDay(line.period.end), toDay(credit.period.end)) -
          Math.max(toDay(line.period.start), toDay(credit.period.start)) +
          1;
        if (overlap > 0 && (best === null || overlap >= best.overlap))
          best = { invoiceId: row.invoiceId, line, overlap };
      }
    }
    if (!best || !dec(best.line.amount).greaterThan(0)) {
      unmatched.push(credit);
      continue;
    }
    const invoiceLine = best.line.invoiceLine!;
    const share = dec(credit.amount).abs().div(best.line.amount).times(invoiceLine.quantity);
    const total = (requested.get(invoiceLine.id)?.quantity ?? dec(0)).plus(share);
    requested.set(invoiceLine.id, {
      invoiceId: best.invoiceId,
      quantity: total.greaterThan(invoiceLine.quantity) ? dec(invoiceLine.quantity) : total,
    });
    creditsOf.set(best.invoiceId, [...(creditsOf.get(best.invoiceId) ?? []), credit]);
  }
  const byInvoice = new Map<string, { invoice_line: string; quantity: string }[]>();
  for (const [lineId, r] of requested) {
    const quantity = r.quantity.toDecimalPlaces(6).toFixed();
    if (dec(quantity).isZero()) continue;
    byInvoice.set(r.invoiceId, [...(byInvoice.get(r.invoiceId) ?? []), { invoice_line: lineId, quantity }]);
  }
  return {
    byInvoice: [...byInvoice].map(([invoiceId, lines]) => ({
      invoiceId,
      lines,
      credits: creditsOf.get(invoiceId) ?? [],
    })),
    unmatched,
  };
}
