import { dec, ZERO } from '../money/money';
import { invalid } from '../platform/errors';
import { fullAmount, proratedAmount } from './amounts';
import { fromDay, type IsoDate, isIsoDate, toDay } from './dates';
import { indexOfDay, periodAt, type Schedule, type ServicePeriod, scheduleOf, toPeriod } from './periods';
import {
  type BillingLine,
  itemQuantity,
  type Occurrence,
  type Proration,
  type SubscriptionTerms,
  type Timing,
  type UsageRecord,
  validateUsage,
} from './terms';

/**
 * How `billed_through` reads. It is the last day of the latest period whose fixed items are billed:
 * in advance that period was billed on its first day, in arrears on the day after its end. Usage is
 * always billed the day after its period ends, so in advance it rides on the next period's invoice,
 * and the last period's usage of an in-advance subscription that ends is billed on end + 1 by a
 * closing occurrence, after which `billed_through` is end + 1 (the only time it passes the end).
 * Billing is done per billing date, all of it at once (one invoice per subscription and date):
 * this returns the last billing date that `billedThrough` says is done (−∞: none).
 */
export function lastBilledDay(schedule: Schedule, timing: Timing, billedThrough: IsoDate | null): number {
  if (billedThrough === null) return Number.NEGATIVE_INFINITY;
  const through = toDay(billedThrough);
  if (timing === 'in_arrears') return through + 1;
  if (through < schedule.start) return Number.NEGATIVE_INFINITY;
  if (schedule.end !== null && through > schedule.end) return through;
  return Math.max(schedule.start, periodAt(schedule, indexOfDay(schedule, through))?.start ?? schedule.start);
}

export interface BillingOptions {
  /** Overrides the terms' proration for a last period cut short by the end date (a cancellation's `prorate`). */
  finalPeriodProration?: Proration;
}

/**
 * Every occurrence due on or before `targetDate` and not billed yet, oldest first: one per billing
 * date. Pass every usage record of the subscription (records outside a billed period are ignored).
 * Billing them all and storing the last one's `billedThrough` leaves nothing due: calling again
 * returns [].
 */
export function duePeriods(
  terms: SubscriptionTerms,
  billedThrough: IsoDate | null,
  targetDate: IsoDate,
  usage: UsageRecord[],
  options: BillingOptions = {},
): Occurrence[] {
  checkDate(targetDate, 'target_date');
  const target = toDay(targetDate);
  const result: Occurrence[] = [];
  for (const occurrence of occurrencesAfter(terms, billedThrough, usage, options)) {
    if (toDay(occurrence.billingDate) > target) break;
    result.push(occurrence);
  }
  return result;
}

/** The first occurrence not billed yet, whatever its date: what a preview shows (null: nothing left to bill). */
export function nextOccurrence(
  terms: SubscriptionTerms,
  billedThrough: IsoDate | null,
  usage: UsageRecord[],
): Occurrence | null {
  for (const occurrence of occurrencesAfter(terms, billedThrough, usage, {})) return occurrence;
  return null;
}

/** The subscription's `next_billing_date` (null once everything is billed). */
export function nextBillingDate(terms: SubscriptionTerms, billedThrough: IsoDate | null): IsoDate | null {
  return nextOccurrence(terms, billedThrough, [])?.billingDate ?? null;
}

function checkDate(date: IsoDate, param: string): void {
  if (!isIsoDate(date)) throw invalid('invalid_date', `${param} is not a valid date.`, param);
}

/** Occurrences after what `billedThrough` says is billed, lazily and in billing-date order. */
function* occurrencesAfter(
  terms: SubscriptionTerms,
  billedThrough: IsoDate | null,
  usage: UsageRecord[],
  options: BillingOptions,
): Generator<Occurrence> {
  if (billedThrough !== null) checkDate(billedThrough, 'billed_through');
  validateUsage(usage);
  const schedule = scheduleOf(terms);
  const billed = lastBilledDay(schedule, terms.timing, billedThrough);
  const usageByItem = bucketUsage(terms, usage);
  const hasUsage = usageByItem.size > 0;
  if (schedule.end !== null && schedule.end < schedule.start) return;

  let k = schedule.firstIndex;
  if (billed > schedule.start) k = Math.max(k, indexOfDay(schedule, billed) - 1);
  for (; ; k++) {
    const period = periodAt(schedule, k);
    if (period === null) break;
    const inAdvance = terms.timing === 'in_advance';
    const billingDay = inAdvance ? period.start : period.end + 1;
    if (billingDay <= billed) continue;
    const proration =
      k === schedule.lastIndex && period.end < period.fullEnd
        ? (options.finalPeriodProration ?? terms.proration)
        : terms.proration;
    const previous = inAdvance && hasUsage ? periodAt(schedule, k - 1) : null;
    const lines = [
      ...(previous ? usageLines(terms, previous, usageByItem) : []),
      ...recurringLines(terms, period, proration),
      ...(inAdvance ? [] : usageLines(terms, period, usageByItem)),
    ];
    yield {
      billingDate: fromDay(billingDay),
      period: toPeriod(period.start, period.end),
      lines,
      billedThrough: fromDay(period.end),
    };
  }

  // In advance, the last period's usage is billed the day after the subscription ends.
  if (terms.timing === 'in_advance' && hasUsage && schedule.end !== null && schedule.lastIndex !== null) {
    const last = periodAt(schedule, schedule.lastIndex);
    if (last !== null && last.end + 1 > billed) {
      yield {
        billingDate: fromDay(last.end + 1),
        period: toPeriod(last.start, last.end),
        lines: usageLines(terms, last, usageByItem),
        billedThrough: fromDay(last.end + 1),
      };
    }
  }
}

function recurringLines(terms: SubscriptionTerms, period: ServicePeriod, proration: Proration): BillingLine[] {
  const days = period.end - period.start + 1;
  const fullDays = period.fullEnd - period.fullStart + 1;
  return terms.items
    .filter((item) => !item.usage)
    .map((item) => {
      const quantity = itemQuantity(item);
      const amount =
        proration === 'day' && days < fullDays
          ? proratedAmount(item.unitPrice, quantity, days, fullDays, terms.currency)
          : fullAmount(item.unitPrice, quantity, terms.currency);
      return {
        itemId: item.id,
        description: item.description,
        quantity,
        unitPrice: item.unitPrice,
        amount,
        period: toPeriod(period.start, period.end),
        kind: 'recurring' as const,
      };
    });
}

type UsageBuckets = Map<string, { day: number; quantity: string }[]>;

/** Usage records per usage item of the terms (records of other items are not billed here). */
function bucketUsage(terms: SubscriptionTerms, usage: UsageRecord[]): UsageBuckets {
  const buckets: UsageBuckets = new Map();
  for (const item of terms.items) if (item.usage) buckets.set(item.id, []);
  for (const record of usage) buckets.get(record.itemId)?.push({ day: toDay(record.date), quantity: record.quantity });
  return buckets;
}

function usageLines(terms: SubscriptionTerms, period: ServicePeriod, usage: UsageBuckets): BillingLine[] {
  return terms.items
    .filter((item) => item.usage)
    .map((item) => {
      let quantity = ZERO;
      for (const record of usage.get(item.id) ?? []) {
        if (record.day >= period.start && record.day <= period.end) quantity = quantity.plus(dec(record.quantity));
      }
      const text = quantity.toFixed();
      return {
        itemId: item.id,
        description: item.description,
        quantity: text,
        unitPrice: item.unitPrice,
        amount: fullAmount(item.unitPrice, text, terms.currency),
        period: toPeriod(period.start, period.end),
        kind: 'usage' as const,
      };
    });
}
