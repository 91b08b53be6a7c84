import { conflict, invalid } from '../platform/errors';
import { proratedAmount } from './amounts';
import { fromDay, type IsoDate, isIsoDate, toDay } from './dates';
import { duePeriods, nextBillingDate } from './due-periods';
import { type Schedule, scheduleOf, segmentsOf, toPeriod } from './periods';
import {
  type BillingLine,
  itemQuantity,
  type Occurrence,
  type SubscriptionItem,
  type SubscriptionTerms,
  type UsageRecord,
  validateItems,
} from './terms';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface SubscriptionChange {
  effectiveDate: IsoDate;
  items: SubscriptionItem[];
  prorationBehavior: ProrationBehavior;
}

export interface ChangeProration {
  /** The terms from the effective date on. */
  terms: SubscriptionTerms;
  /** next_invoice: add `lines` to the invoice of `billingDate`; new_invoice: invoice them at once; none: nothing. */
  placement: 'next_invoice' | 'new_invoice' | 'none';
  billingDate: IsoDate | null;
  lines: BillingLine[];
}

/**
 * A change of items effective on `effectiveDate`. For the days already billed from that date on,
 * a credit of what was billed for them (from `billed`, the subscription's billed lines; usage lines
 * are ignored) and a debit of the new items for the same days, per billing period, each rounded on
 * its own. Days before the change that are not billed yet (the open period in arrears) will be
 * billed at the new items, so they get the mirror: a debit of the old items and a credit of the new.
 */
export function prorateChange(
  terms: SubscriptionTerms,
  billedThrough: IsoDate | null,
  billed: BillingLine[],
  change: SubscriptionChange,
): ChangeProration {
  checkDate(change.effectiveDate, 'effective_date');
  validateItems(change.items);
  const schedule = scheduleOf(terms);
  const newTerms: SubscriptionTerms = { ...terms, items: change.items };
  const effective = toDay(change.effectiveDate);
  if (schedule.end !== null && effective > schedule.end + 1) {
    throw conflict(
      'subscription_ended',
      'The subscription has ended before this change would take effect.',
      'effective_date',
    );
  }
  if (change.prorationBehavior === 'none') return { terms: newTerms, placement: 'none', billingDate: null, lines: [] };

  const covered = coveredThrough(schedule, billedThrough);
  const from = Math.max(effective, schedule.start);
  const lines = [
    ...creditBilled(schedule, billed, from, covered, terms.currency),
    ...chargeItems(schedule, change.items, from, covered, terms.currency, 'proration_debit'),
    ...chargeItems(
      schedule,
      terms.items,
      Math.max(covered + 1, schedule.start),
      effective - 1,
      terms.currency,
      'proration_debit',
    ),
    ...chargeItems(
      schedule,
      change.items,
      Math.max(covered + 1, schedule.start),
      effective - 1,
      terms.currency,
      'proration_credit',
    ),
  ];
  if (change.prorationBehavior === 'always_invoice') {
    return { terms: newTerms, placement: 'new_invoice', billingDate: change.effectiveDate, lines };
  }
  return {
    terms: newTerms,
    placement: 'next_invoice',
    billingDate: nextBillingDate(newTerms, billedThrough) ?? change.effectiveDate,
    lines,
  };
}

export interface SubscriptionCancellation {
  /** First day without service. */
  effectiveDate: IsoDate;
  prorate: boolean;
}

export interface CancellationProration {
  /** The terms with `endDate` = effective date − 1 (or the earlier end it already had). */
  terms: SubscriptionTerms;
  /** With `prorate`: credits of the billed days from the effective date on, for a credit note on their invoice. */
  credits: BillingLine[];
  /**
   * What the cancellation bills (due on or before the effective date and not billed yet): in arrears the
   * last period, cut at the cancellation (by days with `prorate`, in full without); in advance the last
   * period's usage. Bill them with the cancellation; `billed_through` becomes the later of its current value
   * and the last occurrence's `billedThrough` (it never moves back).
   */
  occurrences: Occurrence[];
}

export function prorateCancellation(
  terms: SubscriptionTerms,
  billedThrough: IsoDate | null,
  billed: BillingLine[],
  cancellation: SubscriptionCancellation,
  usage: UsageRecord[],
): CancellationProration {
  checkDate(cancellation.effectiveDate, 'effective_date');
  const schedule = scheduleOf(terms);
  const effective = toDay(cancellation.effectiveDate);
  const oldEnd = schedule.end ?? Number.POSITIVE_INFINITY;
  const end = Math.max(Math.min(oldEnd, effective - 1), schedule.start - 1);
  const newTerms: SubscriptionTerms = { ...terms, endDate: fromDay(end) };

  const covered = coveredThrough(schedule, billedThrough);
  const credits = cancellation.prorate
    ? creditBilled(schedule, billed, Math.max(effective, schedule.start), covered, terms.currency)
    : [];
  // The credited (or, without prorate, forgone) days after the end no longer count as billed here.
  const through = billedThrough === null ? null : fromDay(Math.min(toDay(billedThrough), end));
  const occurrences = duePeriods(newTerms, through, fromDay(Math.max(effective, end + 1)), usage, {
    finalPeriodProration: cancellation.prorate ? 'day' : 'none',
  });
  return { terms: newTerms, credits, occurrences };
}

function checkDate(date: IsoDate, param: string): void {
  if (!isIsoDate(date)) throw invalid('invalid_date', `${param} is not a valid date.`, param);
}

/** Last day of service whose fixed items are billed (start − 1 when nothing is). */
function coveredThrough(schedule: Schedule, billedThrough: IsoDate | null): number {
  if (billedThrough === null) return schedule.start - 1;
  return Math.min(toDay(billedThrough), schedule.end ?? Number.POSITIVE_INFINITY);
}

/** Lines charging (debit) or refunding (credit) `items` for the days `from`..`to`, per billing period. */
function chargeItems(
  schedule: Schedule,
  items: SubscriptionItem[],
  from: number,
  to: number,
  currency: string,
  kind: 'proration_debit' | 'proration_credit',
): BillingLine[] {
  if (from > to) return [];
  const lines: BillingLine[] = [];
  for (const segment of segmentsOf(schedule, from, to)) {
    const days = segment.end - segment.start + 1;
    for (const item of items) {
      if (item.usage) continue;
      const quantity = itemQuantity(item);
      const amount = proratedAmount(item.unitPrice, quantity, days, segment.fullDays, currency);
      lines.push({
        itemId: item.id,
        description: item.description,
        quantity,
        unitPrice: item.unitPrice,
        amount: kind === 'proration_credit' ? amount.negated() : amount,
        period: toPeriod(segment.start, segment.end),
        kind,
      });
    }
  }
  return lines;
}

/**
 * Credits of what was billed for the days `from`..`to`. Per billing period, the billed lines are
 * grouped by item, price and quantity; a group's days are those its charges cover minus those
 * earlier credits already returned (so a second change in a period credits only what is still billed).
 */
function creditBilled(
  schedule: Schedule,
  billed: BillingLine[],
  from: number,
  to: number,
  currency: string,
): BillingLine[] {
  if (from > to) return [];
  const credits: BillingLine[] = [];
  for (const segment of segmentsOf(schedule, from, to)) {
    const groups = new Map<string, { line: BillingLine; days: number; start: number; end: number }>();
    for (const line of billed) {
      if (line.kind === 'usage') continue;
      const start = Math.max(toDay(line.period.start), segment.start);
      const end = Math.min(toDay(line.period.end), segment.end);
      if (end < start) continue;
      const key = JSON.stringify([line.itemId, line.description, line.unitPrice, line.quantity]);
      const group = groups.get(key) ?? { line, days: 0, start, end };
      const sign = line.kind === 'proration_credit' ? -1 : 1;
      group.days += sign * (end - start + 1);
      if (sign > 0) {
        group.start = Math.min(group.start, start);
        group.end = Math.max(group.end, end);
      }
      groups.set(key, group);
    }
    for (const { line, days, start, end } of groups.values()) {
      if (days <= 0) continue;
      credits.push({
        itemId: line.itemId,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: proratedAmount(line.unitPrice, line.quantity, days, segment.fullDays, currency).negated(),
        period: toPeriod(start, end),
        kind: 'proration_credit',
      });
    }
  }
  return credits;
}
