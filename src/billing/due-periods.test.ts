import { describe, expect, test } from 'vitest';
import { duePeriods, nextBillingDate, nextOccurrence } from './due-periods';
import { item, monthly, usageItem } from './fixtures';
import type { Occurrence } from './terms';

/** Billing date, period and line amounts of each occurrence, as text. */
function summary(occurrences: Occurrence[]) {
  return occurrences.map((o) => ({
    billingDate: o.billingDate,
    period: `${o.period.start}..${o.period.end}`,
    amounts: o.lines.map((l) => l.amount.toFixed(2)),
  }));
}

describe('due periods', () => {
  test('monthly 30.00 in advance from 2026-01-15, billing day 1: 16.45 for Jan 15–31, then 30.00 for February', () => {
    const terms = monthly({ startDate: '2026-01-15' });
    expect(summary(duePeriods(terms, null, '2026-02-01', []))).toEqual([
      { billingDate: '2026-01-15', period: '2026-01-15..2026-01-31', amounts: ['16.45'] },
      { billingDate: '2026-02-01', period: '2026-02-01..2026-02-28', amounts: ['30.00'] },
    ]);
  });

  test('billing day 31 bills on 01-31, 02-28, 03-31, 04-30', () => {
    const terms = monthly({ startDate: '2026-01-31', billingDay: 31 });
    const due = duePeriods(terms, null, '2026-05-30', []);
    expect(due.map((o) => o.billingDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(due.every((o) => o.lines[0]?.amount.toFixed(2) === '30.00')).toBe(true);
  });

  test('a leap February (2028): billing day 31 bills on 02-29, and 20 of its 29 days are 20.69', () => {
    const terms = monthly({ startDate: '2028-01-31', billingDay: 31 });
    expect(duePeriods(terms, null, '2028-03-31', []).map((o) => o.billingDate)).toEqual([
      '2028-01-31',
      '2028-02-29',
      '2028-03-31',
    ]);
    expect(summary(duePeriods(monthly({ startDate: '2028-02-10' }), null, '2028-02-10', []))).toEqual([
      { billingDate: '2028-02-10', period: '2028-02-10..2028-02-29', amounts: ['20.69'] },
    ]);
  });

  test('in arrears from 2026-02-10: the first invoice, on 03-01, is 19 of February’s 28 days of 30.00 = 20.36', () => {
    const terms = monthly({ startDate: '2026-02-10', timing: 'in_arrears' });
    expect(duePeriods(terms, null, '2026-02-28', [])).toEqual([]);
    expect(summary(duePeriods(terms, null, '2026-04-01', []))).toEqual([
      { billingDate: '2026-03-01', period: '2026-02-10..2026-02-28', amounts: ['20.36'] },
      { billingDate: '2026-04-01', period: '2026-03-01..2026-03-31', amounts: ['30.00'] },
    ]);
  });

  test('the issue’s 33.93 is the same proration of a 50.00 price (50 × 19 ÷ 28 = 33.9286), not of 30.00', () => {
    const terms = monthly({ startDate: '2026-02-10', timing: 'in_arrears', items: [item('plan', '50.00')] });
    expect(summary(duePeriods(terms, null, '2026-03-01', []))).toEqual([
      { billingDate: '2026-03-01', period: '2026-02-10..2026-02-28', amounts: ['33.93'] },
    ]);
  });

  test('proration none bills a partial period at full price', () => {
    const terms = monthly({ startDate: '2026-01-15', proration: 'none' });
    expect(summary(duePeriods(terms, null, '2026-01-15', []))[0]?.amounts).toEqual(['30.00']);
  });

  test('the end date makes a partial last period, billed on its first day in advance', () => {
    const terms = monthly({ endDate: '2026-03-10' });
    expect(summary(duePeriods(terms, '2026-02-28', '2026-12-31', []))).toEqual([
      { billingDate: '2026-03-01', period: '2026-03-01..2026-03-10', amounts: ['9.68'] },
    ]);
    expect(duePeriods(terms, '2026-03-10', '2026-12-31', [])).toEqual([]);
  });

  test('in arrears the partial last period is billed the day after the end', () => {
    const terms = monthly({ endDate: '2026-03-10', timing: 'in_arrears' });
    expect(summary(duePeriods(terms, '2026-02-28', '2026-12-31', []))).toEqual([
      { billingDate: '2026-03-11', period: '2026-03-01..2026-03-10', amounts: ['9.68'] },
    ]);
    expect(duePeriods(terms, '2026-03-10', '2026-12-31', [])).toEqual([]);
  });

  test('quantities multiply and each line is rounded on its own (29.97 × 17 ÷ 31 = 16.4352)', () => {
    const terms = monthly({ startDate: '2026-01-15', items: [item('seat', '9.99', '3'), item('fee', '0.10')] });
    expect(summary(duePeriods(terms, null, '2026-01-15', []))[0]?.amounts).toEqual(['16.44', '0.05']);
  });

  test('billed_through moves forward with no gap and a second run bills nothing', () => {
    const terms = monthly({ startDate: '2026-01-15' });
    const first = duePeriods(terms, null, '2026-03-15', []);
    expect(first.map((o) => o.billedThrough)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(duePeriods(terms, first.at(-1)!.billedThrough, '2026-03-15', [])).toEqual([]);
    expect(duePeriods(terms, '2026-02-28', '2026-03-15', []).map((o) => o.billingDate)).toEqual(['2026-03-01']);
  });

  test('a target date in the future bills ahead', () => {
    const terms = monthly({ interval: 'quarter' });
    expect(duePeriods(terms, '2026-03-31', '2026-12-31', []).map((o) => o.billingDate)).toEqual([
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
    ]);
  });

  test('usage is billed in arrears at its unit price, on the in-advance invoice of the next period', () => {
    const terms = monthly({ items: [item('plan', '30.00'), usageItem('api', '0.015')] });
    const usage = [
      { itemId: 'api', quantity: '1000', date: '2026-01-03' },
      { itemId: 'api', quantity: '333', date: '2026-01-31' },
      { itemId: 'api', quantity: '7', date: '2026-02-01' },
      { itemId: 'other', quantity: '5', date: '2026-01-10' },
    ];
    const due = duePeriods(terms, null, '2026-02-01', usage);
    expect(summary(due)).toEqual([
      { billingDate: '2026-01-01', period: '2026-01-01..2026-01-31', amounts: ['30.00'] },
      { billingDate: '2026-02-01', period: '2026-02-01..2026-02-28', amounts: ['20.00', '30.00'] },
    ]);
    const usageLine = due[1]?.lines[0];
    expect(usageLine).toMatchObject({
      kind: 'usage',
      quantity: '1333',
      period: { start: '2026-01-01', end: '2026-01-31' },
    });
  });

  test('in arrears, usage rides with the period it belongs to', () => {
    const terms = monthly({ timing: 'in_arrears', items: [item('plan', '30.00'), usageItem('api', '0.50')] });
    const usage = [{ itemId: 'api', quantity: '2.5', date: '2026-01-20' }];
    expect(summary(duePeriods(terms, null, '2026-02-01', usage))).toEqual([
      { billingDate: '2026-02-01', period: '2026-01-01..2026-01-31', amounts: ['30.00', '1.25'] },
    ]);
  });

  test('an in-advance subscription that ends bills its last usage the day after, once', () => {
    const terms = monthly({ endDate: '2026-02-14', items: [item('plan', '30.00'), usageItem('api', '1.00')] });
    const usage = [{ itemId: 'api', quantity: '4', date: '2026-02-10' }];
    const due = duePeriods(terms, '2026-02-14', '2026-12-31', usage);
    expect(summary(due)).toEqual([{ billingDate: '2026-02-15', period: '2026-02-01..2026-02-14', amounts: ['4.00'] }]);
    expect(due[0]?.billedThrough).toBe('2026-02-15');
    expect(duePeriods(terms, '2026-02-15', '2026-12-31', usage)).toEqual([]);
  });

  test('next billing date and the preview come from the same occurrences', () => {
    const terms = monthly({ startDate: '2026-01-15' });
    expect(nextBillingDate(terms, null)).toBe('2026-01-15');
    expect(nextBillingDate(terms, '2026-01-31')).toBe('2026-02-01');
    expect(nextBillingDate(monthly({ timing: 'in_arrears' }), '2026-01-31')).toBe('2026-03-01');
    expect(nextBillingDate(monthly({ endDate: '2026-01-31' }), '2026-01-31')).toBeNull();
    expect(nextOccurrence(terms, '2026-01-31', [])).toEqual(duePeriods(terms, '2026-01-31', '2026-02-01', [])[0]);
  });

  test('JPY amounts have no minor unit', () => {
    const terms = monthly({ startDate: '2026-01-15', currency: 'JPY', items: [item('plan', '3000')] });
    expect(duePeriods(terms, null, '2026-01-15', [])[0]?.lines[0]?.amount.toFixed()).toBe('1645');
  });
});
