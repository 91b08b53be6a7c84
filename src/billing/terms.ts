import { isCurrency } from '../money/currencies';
import type { Decimal } from '../money/money';
import { invalid } from '../platform/errors';
import { addDays, type IsoDate, isIsoDate, toDay } from './dates';

export type Interval = 'month' | 'quarter' | 'year';
export type Timing = 'in_advance' | 'in_arrears';
export type Proration = 'day' | 'none';

/** What a subscription bills and when; dates are plain 'YYYY-MM-DD', amounts exact decimal text. */
export interface SubscriptionTerms {
  startDate: IsoDate;
  /** Last day of service, included (null: runs until cancelled). A cancellation effective on D ends on D − 1. */
  endDate: IsoDate | null;
  interval: Interval;
  intervalCount: number;
  /** 1–31; a month without that day uses its last day. */
  billingDay: number;
  timing: Timing;
  proration: Proration;
  currency: string;
  items: SubscriptionItem[];
}

export interface SubscriptionItem {
  id: string;
  description: string;
  /** Null for a usage item (its quantity comes from usage records); null on a fixed item means 1. */
  quantity: string | null;
  unitPrice: string;
  usage: boolean;
  taxRateId: string | null;
  productId: string | null;
}

/** Inclusive range of days. */
export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export type LineKind = 'recurring' | 'usage' | 'proration_credit' | 'proration_debit';

/**
 * One line to bill. `quantity` and `unitPrice` are the item's (for a usage line, the summed usage);
 * `amount` is already rounded to the currency and is negative for a proration credit. For a
 * prorated line `amount` is not quantity × unit price: it covers only the days of `period`.
 */
export interface BillingLine {
  itemId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: Decimal;
  period: Period;
  kind: LineKind;
}

/**
 * What one billing date of a subscription bills: one invoice. `period` is the service period whose
 * billing moves `billed_through` (lines carry their own period: an in-advance invoice also bills the
 * previous period's usage). `billedThrough` is the subscription's `billed_through` once this
 * occurrence, and every one before it, is billed.
 */
export interface Occurrence {
  billingDate: IsoDate;
  period: Period;
  lines: BillingLine[];
  billedThrough: IsoDate;
}

export interface UsageRecord {
  itemId: string;
  quantity: string;
  date: IsoDate;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function monthsPerInterval(terms: Pick<SubscriptionTerms, 'interval' | 'intervalCount'>): number {
  const unit = terms.interval === 'month' ? 1 : terms.interval === 'quarter' ? 3 : 12;
  return unit * terms.intervalCount;
}

export function itemQuantity(item: SubscriptionItem): string {
  return item.quantity ?? '1';
}

/** Throws a 400 DomainError naming the field when the terms cannot be billed. */
export function validateTerms(terms: SubscriptionTerms): void {
  if (!isIsoDate(terms.startDate)) throw invalid('invalid_date', 'The start date is not a valid date.', 'start_date');
  if (terms.endDate !== null) {
    if (!isIsoDate(terms.endDate)) throw invalid('invalid_date', 'The end date is not a valid date.', 'end_date');
    if (toDay(terms.endDate) < toDay(addDays(terms.startDate, -1))) {
      throw invalid('end_before_start', 'A subscription cannot end before it starts.', 'end_date');
    }
  }
  if (!['month', 'quarter', 'year'].includes(terms.interval)) {
    throw invalid('invalid_interval', 'The interval must be month, quarter or year.', 'interval');
  }
  if (!Number.isInteger(terms.intervalCount) || terms.intervalCount < 1 || terms.intervalCount > 120) {
    throw invalid(
      'invalid_interval_count',
      'The interval count must be a whole number from 1 to 120.',
      'interval_count',
    );
  }
  if (!Number.isInteger(terms.billingDay) || terms.billingDay < 1 || terms.billingDay > 31) {
    throw invalid('invalid_billing_day', 'The billing day must be a day of the month from 1 to 31.', 'billing_day');
  }
  if (terms.timing !== 'in_advance' && terms.timing !== 'in_arrears') {
    throw invalid('invalid_timing', 'Timing must be in_advance or in_arrears.', 'timing');
  }
  if (terms.proration !== 'day' && terms.proration !== 'none') {
    throw invalid('invalid_proration', 'Proration must be day or none.', 'proration');
  }
  if (!isCurrency(terms.currency)) throw invalid('invalid_currency', 'Unknown currency.', 'currency');
  validateItems(terms.items);
}

export function validateItems(items: SubscriptionItem[], param = 'items'): void {
  items.forEach((item, i) => {
    if (!DECIMAL.test(item.unitPrice)) {
      throw invalid('invalid_decimal', 'The unit price is not a decimal number.', `${param}[${i}].unit_price`);
    }
    if (item.usage && item.quantity !== null) {
      throw invalid(
        'usage_item_quantity',
        'A usage item has no quantity: it comes from usage records.',
        `${param}[${i}].quantity`,
      );
    }
    if (item.quantity !== null && !DECIMAL.test(item.quantity)) {
      throw invalid('invalid_decimal', 'The quantity is not a decimal number.', `${param}[${i}].quantity`);
    }
  });
}

export function validateUsage(usage: UsageRecord[]): void {
  usage.forEach((record, i) => {
    if (!isIsoDate(record.date))
      throw invalid('invalid_date', 'The usage date is not a valid date.', `usage[${i}].date`);
    if (!DECIMAL.test(record.quantity)) {
      throw invalid('invalid_decimal', 'The usage quantity is not a decimal number.', `usage[${i}].quantity`);
    }
  });
}
