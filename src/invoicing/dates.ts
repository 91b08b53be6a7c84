import { addDays, toDay } from '../billing/dates';

// Calendar dates as 'YYYY-MM-DD': the one calendar (billing/dates.ts), with no time zone to shift a day.

export { addDays };

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDay(to) - toDay(from);
}
