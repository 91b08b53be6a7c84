import { describe, expect, test } from 'vitest';
import { monthly } from './fixtures';
import { periodsOf } from './periods';

describe('billing periods', () => {
  test('a start off the billing day makes a partial first period inside the full month', () => {
    expect(periodsOf(monthly({ startDate: '2026-01-15' }), '2026-01-01', '2026-02-28')).toEqual([
      { start: '2026-01-15', end: '2026-01-31', full: { start: '2026-01-01', end: '2026-01-31' } },
      { start: '2026-02-01', end: '2026-02-28', full: { start: '2026-02-01', end: '2026-02-28' } },
    ]);
  });

  test('billing day 31 uses the last day of shorter months, without drifting', () => {
    const periods = periodsOf(monthly({ startDate: '2026-01-31', billingDay: 31 }), '2026-01-31', '2026-05-30');
    expect(periods.map((p) => p.start)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(periods.map((p) => p.end)).toEqual(['2026-02-27', '2026-03-30', '2026-04-29', '2026-05-30']);
  });

  test('a leap February (2028) ends on the 29th', () => {
    const periods = periodsOf(monthly({ startDate: '2028-01-31', billingDay: 31 }), '2028-02-01', '2028-03-31');
    expect(periods.map((p) => p.start)).toEqual(['2028-01-31', '2028-02-29', '2028-03-31']);
    expect(periodsOf(monthly({ startDate: '2028-02-01' }), '2028-02-01', '2028-02-29')).toEqual([
      { start: '2028-02-01', end: '2028-02-29', full: { start: '2028-02-01', end: '2028-02-29' } },
    ]);
  });

  test('the end date cuts the last period', () => {
    const terms = monthly({ startDate: '2026-01-15', endDate: '2026-03-10' });
    expect(periodsOf(terms, '2026-01-01', '2026-12-31')).toEqual([
      { start: '2026-01-15', end: '2026-01-31', full: { start: '2026-01-01', end: '2026-01-31' } },
      { start: '2026-02-01', end: '2026-02-28', full: { start: '2026-02-01', end: '2026-02-28' } },
      { start: '2026-03-01', end: '2026-03-10', full: { start: '2026-03-01', end: '2026-03-31' } },
    ]);
  });

  test('a subscription inside one period has one period cut at both ends', () => {
    const terms = monthly({ startDate: '2026-03-05', endDate: '2026-03-20' });
    expect(periodsOf(terms, '2026-01-01', '2026-12-31')).toEqual([
      { start: '2026-03-05', end: '2026-03-20', full: { start: '2026-03-01', end: '2026-03-31' } },
    ]);
  });

  test('quarters and years count from the first billing date', () => {
    const quarterly = monthly({ startDate: '2026-01-15', interval: 'quarter' });
    expect(periodsOf(quarterly, '2026-01-01', '2026-06-01')).toEqual([
      { start: '2026-01-15', end: '2026-01-31', full: { start: '2025-11-01', end: '2026-01-31' } },
      { start: '2026-02-01', end: '2026-04-30', full: { start: '2026-02-01', end: '2026-04-30' } },
      { start: '2026-05-01', end: '2026-07-31', full: { start: '2026-05-01', end: '2026-07-31' } },
    ]);
    const biennial = monthly({ interval: 'year', intervalCount: 2 });
    expect(periodsOf(biennial, '2026-01-01', '2029-01-01').map((p) => [p.start, p.end])).toEqual([
      ['2026-01-01', '2027-12-31'],
      ['2028-01-01', '2029-12-31'],
    ]);
  });

  test('only the periods overlapping the range are listed', () => {
    const periods = periodsOf(monthly(), '2026-05-20', '2026-07-01');
    expect(periods.map((p) => p.start)).toEqual(['2026-05-01', '2026-06-01', '2026-07-01']);
    expect(periodsOf(monthly({ endDate: '2026-02-28' }), '2026-03-01', '2026-12-31')).toEqual([]);
    expect(periodsOf(monthly({ startDate: '2026-03-01' }), '2026-01-01', '2026-02-28')).toEqual([]);
  });

  test('refuses a billing day outside 1–31', () => {
    expect(() => periodsOf(monthly({ billingDay: 32 }), '2026-01-01', '2026-02-01')).toThrow(/billing day/);
    expect(() => periodsOf(monthly({ endDate: '2025-12-30' }), '2026-01-01', '2026-02-01')).toThrow(/end before/);
  });
});
