/**
 * Plain calendar dates ('YYYY-MM-DD'), no time zones: a date is a day number (days since 1970-01-01),
 * converted with integer civil-calendar arithmetic so no Date object or clock is involved.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function parseDate(text: IsoDate): CivilDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isIsoDate(text: string): boolean {
  return parseDate(text) !== undefined;
}

/** Day number of a civil date (days from 1970-01-01), by Howard Hinnant's days_from_civil. */
export function civilToDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number, by Howard Hinnant's civil_from_days. */
export function dayToCivil(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of 'YYYY-MM-DD'; throws on anything else (callers validate input first). */
export function toDay(text: IsoDate): number {
  const civil = parseDate(text);
  if (!civil) throw new RangeError(`Not a calendar date: ${text}`);
  return civilToDay(civil);
}

export function fromDay(dayNumber: number): IsoDate {
  const { year, month, day } = dayToCivil(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDay(toDay(date) + days);
}

/** Number of days from `start` to `end`, both included (0 when end is before start). */
export function daysInclusive(start: IsoDate, end: IsoDate): number {
  return Math.max(0, toDay(end) - toDay(start) + 1);
}

/**
 * The given day of the month `monthIndex` months after January of `year` (monthIndex may be any
 * integer), clamped to the month's last day: day 31 in April is April 30.
 */
export function clampedDay(year: number, monthIndex: number, day: number): number {
  const y = year + Math.floor(monthIndex / 12);
  const m = monthIndex - Math.floor(monthIndex / 12) * 12 + 1;
  return civilToDay({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}
