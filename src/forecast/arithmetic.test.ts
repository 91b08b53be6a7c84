import { describe, expect, test } from 'vitest';
import { dec } from '../money/money';
import {
  attainment,
  averageDaysLate,
  daysLateFor,
  monthlyQuotas,
  paymentWindowStart,
  predictedPaymentDate,
  scheduledMonth,
  spreadEvenly,
} from './arithmetic';

describe('quota spread', () => {
  test('1,000.00 a quarter is 333.34, 333.33, 333.33', () => {
    expect(spreadEvenly(dec('1000.00'), 3, 'EUR').map((d) => d.toFixed(2))).toEqual(['333.34', '333.33', '333.33']);
  });
  test('a year over twelve months never loses a cent; JPY in whole yen', () => {
    const parts = spreadEvenly(dec('100.00'), 12, 'EUR');
    expect(parts.reduce((a, b) => a.plus(b), dec(0)).toFixed(2)).toBe('100.00');
    expect(parts.slice(0, 5).map((d) => d.toFixed(2))).toEqual(['8.34', '8.34', '8.34', '8.34', '8.33']);
    expect(spreadEvenly(dec('1000'), 3, 'JPY').map((d) => d.toFixed(0))).toEqual(['334', '333', '333']);
  });
  test('monthly, quarterly and yearly quotas add up per month and currency', () => {
    const q = monthlyQuotas(
      [
        { period: '2026-11', amount: '100.00', currency: 'EUR' },
        { period: '2026-Q4', amount: '1000.00', currency: 'EUR' },
        { period: '2026', amount: '1200.00', currency: 'EUR' },
        { period: '2026-Q4', amount: '30.00', currency: 'USD' },
        { period: '2027-Q1', amount: '999.00', currency: 'EUR' },
      ],
      ['2026-10', '2026-11', '2026-12'],
    );
    expect([...q.get('EUR')!.entries()].map(([m, a]) => [m, a.toFixed(2)]).sort()).toEqual([
      ['2026-10', '433.34'],
      ['2026-11', '533.33'],
      ['2026-12', '433.33'],
    ]);
    expect(q.get('USD')!.get('2026-12')!.toFixed(2)).toBe('10.00');
  });
});

describe('payment behaviour', () => {
  test('1,000.00 paid 10 days late, 3,000.00 30 days late and 1,000.00 on time: 20 days late', () => {
    expect(
      averageDaysLate([
        { total: '1000.00', dueDate: '2026-01-10', paidOn: '2026-01-20' },
        { total: '3000.00', dueDate: '2026-02-01', paidOn: '2026-03-03' },
        { total: '1000.00', dueDate: '2026-03-15', paidOn: '2026-03-15' },
      ]),
    ).toBe(20);
  });
  test('fewer than three paid invoices: the organization\u2019s average, else 0', () => {
    const two = [
      { total: '100.00', dueDate: '2026-01-10', paidOn: '2026-01-20' },
      { total: '100.00', dueDate: '2026-01-10', paidOn: '2026-01-20' },
    ];
    expect(averageDaysLate(two)).toBeNull();
    expect(daysLateFor(averageDaysLate(two), 7)).toBe(7);
    expect(daysLateFor(null, null)).toBe(0);
  });
  test('early payers are negative; rounding is half away from zero', () => {
    const early = (days: number) => ({
      total: '100.00',
      dueDate: '2026-01-10',
      paidOn: `2026-01-${String(10 + days).padStart(2, '0')}`,
    });
    expect(averageDaysLate([early(-2), early(-3), early(-2), early(-3)])).toBe(-3);
    expect(averageDaysLate([early(2), early(3), early(2), early(3)])).toBe(3);
  });
  test('a predicted payment date is never before as_of + 1', () => {
    expect(predictedPaymentDate('2026-10-01', 20, '2026-11-16')).toBe('2026-11-17');
    expect(predictedPaymentDate('2026-11-10', 20, '2026-11-16')).toBe('2026-11-30');
    expect(predictedPaymentDate('2026-12-10', -5, '2026-11-16')).toBe('2026-12-05');
  });
  test('the payment window reaches twelve months back; 29 February falls back to the 28th', () => {
    expect(paymentWindowStart('2026-11-16')).toBe('2025-11-16');
    expect(paymentWindowStart('2028-02-29')).toBe('2027-02-28');
  });
});

describe('months and attainment', () => {
  test('periods billed late count in the month of as_of + 1', () => {
    expect(scheduledMonth('2026-11-01', '2026-11-16')).toBe('2026-11');
    expect(scheduledMonth('2026-11-01', '2026-11-30')).toBe('2026-12');
    expect(scheduledMonth('2026-12-01', '2026-11-16')).toBe('2026-12');
  });
  test('attainment has 4 decimals', () => {
    expect(attainment(dec('1000.00'), dec('3000.00'))).toBe('0.3333');
    expect(attainment(dec('0'), dec('10.00'))).toBe('0.0000');
  });
});
