import { clampedDay, dayToCivil, fromDay, type IsoDate, parseDate, toDay } from './dates';
import { monthsPerInterval, type Period, type SubscriptionTerms, validateTerms } from './terms';

/**
 * The billing calendar of a subscription. Billing dates are B(k) = the billing day (clamped to the
 * month's end) `k × months` months after B(0), B(0) being the first billing date on or after the
 * start date. Each is computed from B(0), never from the previous one, so day 31 gives Jan 31,
 * Feb 28, Mar 31, Apr 30. Period k runs from B(k) to B(k + 1) − 1; it is cut by the start date
 * (period −1, when the start is off the billing day) and by the end date. All values are day numbers.
 */
export interface Schedule {
  months: number;
  billingDay: number;
  anchorYear: number;
  /** Month of B(0), counted from January of anchorYear (0-based). */
  anchorMonth: number;
  start: number;
  /** Last day of service, or null. */
  end: number | null;
  firstIndex: number;
  /** Index of the last period, or null when there is no end (or no period at all: see isEmpty). */
  lastIndex: number | null;
}

export interface ServicePeriod {
  index: number;
  /** The days of service in this period. */
  start: number;
  end: number;
  /** The full period (billing date to the day before the next) that contains them. */
  fullStart: number;
  fullEnd: number;
}

export function scheduleOf(terms: SubscriptionTerms): Schedule {
  validateTerms(terms);
  const civil = parseDate(terms.startDate)!;
  const start = toDay(terms.startDate);
  const months = monthsPerInterval(terms);
  let anchorMonth = civil.month - 1;
  if (clampedDay(civil.year, anchorMonth, terms.billingDay) < start) anchorMonth += 1;
  const schedule: Schedule = {
    months,
    billingDay: terms.billingDay,
    anchorYear: civil.year,
    anchorMonth,
    start,
    end: terms.endDate === null ? null : toDay(terms.endDate),
    firstIndex: 0,
    lastIndex: null,
  };
  schedule.firstIndex = billingDate(schedule, 0) === start ? 0 : -1;
  if (schedule.end !== null) schedule.lastIndex = indexOfDay(schedule, schedule.end);
  return schedule;
}

/** B(k). */
export function billingDate(schedule: Schedule, k: number): number {
  return clampedDay(schedule.anchorYear, schedule.anchorMonth + k * schedule.months, schedule.billingDay);
}

/** The k with B(k) ≤ day < B(k + 1). */
export function indexOfDay(schedule: Schedule, day: number): number {
  const { year, month } = dayToCivil(day);
  const monthsFromAnchor = (year - schedule.anchorYear) * 12 + (month - 1) - schedule.anchorMonth;
  let k = Math.floor(monthsFromAnchor / schedule.months);
  while (billingDate(schedule, k) > day) k -= 1;
  while (billingDate(schedule, k + 1) <= day) k += 1;
  return k;
}

export function isEmpty(schedule: Schedule): boolean {
  return schedule.end !== null && schedule.end < schedule.start;
}

/** Period k cut to the days of service, or null when the subscription has no day in it. */
export function periodAt(schedule: Schedule, k: number): ServicePeriod | null {
  if (isEmpty(schedule) || k < schedule.firstIndex) return null;
  if (schedule.lastIndex !== null && k > schedule.lastIndex) return null;
  const fullStart = billingDate(schedule, k);
  const fullEnd = billingDate(schedule, k + 1) - 1;
  const start = Math.max(fullStart, schedule.start);
  const end = schedule.end === null ? fullEnd : Math.min(fullEnd, schedule.end);
  return { index: k, start, end, fullStart, fullEnd };
}

/** Index of the first period whose days of service reach `day` or later (null: none). */
export function firstIndexFrom(schedule: Schedule, day: number): number | null {
  if (isEmpty(schedule)) return null;
  if (schedule.end !== null && day > schedule.end) return null;
  return day <= schedule.start ? schedule.firstIndex : indexOfDay(schedule, day);
}

/** The full period containing `day` (whether or not the subscription serves that day). */
export function fullPeriodOf(schedule: Schedule, day: number): { start: number; end: number } {
  const k = indexOfDay(schedule, day);
  return { start: billingDate(schedule, k), end: billingDate(schedule, k + 1) - 1 };
}

/**
 * Splits the days from `from` to `to` (inclusive) at billing dates: one segment per full period,
 * with that full period's length.
 */
export function segmentsOf(
  schedule: Schedule,
  from: number,
  to: number,
): { start: number; end: number; fullDays: number }[] {
  const segments: { start: number; end: number; fullDays: number }[] = [];
  let day = from;
  while (day <= to) {
    const full = fullPeriodOf(schedule, day);
    const end = Math.min(full.end, to);
    segments.push({ start: day, end, fullDays: full.end - full.start + 1 });
    day = end + 1;
  }
  return segments;
}

export function toPeriod(start: number, end: number): Period {
  return { start: fromDay(start), end: fromDay(end) };
}

/**
 * The periods of service that overlap `from`..`to` (inclusive), in order, each with the full period
 * that contains it. Consecutive periods touch: one ends the day before the next starts.
 */
export function periodsOf(
  terms: SubscriptionTerms,
  from: IsoDate,
  to: IsoDate,
): { start: IsoDate; end: IsoDate; full: Period }[] {
  const schedule = scheduleOf(terms);
  const fromDayNumber = toDay(from);
  const toDayNumber = toDay(to);
  const result: { start: IsoDate; end: IsoDate; full: Period }[] = [];
  const first = firstIndexFrom(schedule, fromDayNumber);
  if (first === null) return result;
  for (let k = first; ; k++) {
    const period = periodAt(schedule, k);
    if (period === null || period.start > toDayNumber) break;
    result.push({
      start: fromDay(period.start),
      end: fromDay(period.end),
      full: toPeriod(period.fullStart, period.fullEnd),
    });
  }
  return result;
}
