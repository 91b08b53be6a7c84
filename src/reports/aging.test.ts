import { describe, expect, test } from 'vitest';
import { type AgingRow, buildAging } from './aging';

const row = (currency: string, customer: string | null, values: (string | null)[]): AgingRow => {
  const [current = null, d1_30 = null, d31_60 = null, d61_90 = null, d90_plus = null, total = null] = values;
  return {
    currency,
    customer_id: customer,
    name: customer && `Name of ${customer}`,
    current,
    d1_30,
    d31_60,
    d61_90,
    d90_plus,
    total,
  };
};

describe('buildAging', () => {
  test('currency totals rows head their customers; amounts come out with the currency\u2019s digits', () => {
    const aging = buildAging('2026-01-31', [
      row('EUR', null, ['10.5', null, '3', null, null, '13.5']),
      row('EUR', 'cus_a', ['10.5', null, '3', null, null, '13.5']),
      row('JPY', null, [null, '1200', null, null, null, '1200']),
      row('JPY', 'cus_b', [null, '1200', null, null, null, '1200']),
      row('KWD', null, ['1.25', null, null, null, null, '1.25']),
    ]);
    expect(aging.currencies.map((c) => [c.currency, c.total, c.buckets.current, c.customers.length])).toEqual([
      ['EUR', '13.50', '10.50', 1],
      ['JPY', '1200', '0', 1],
      ['KWD', '1.250', '1.250', 0],
    ]);
    expect(aging.currencies[0]!.customers[0]).toEqual({
      customer: 'cus_a',
      name: 'Name of cus_a',
      buckets: { current: '10.50', d1_30: '0.00', d31_60: '3.00', d61_90: '0.00', d90_plus: '0.00' },
      total: '13.50',
    });
  });

  test('an amount with more digits than the currency is rounded like formatAmount does', () => {
    const aging = buildAging('2026-01-31', [row('EUR', null, ['1.005', null, null, null, null, '1.005'])]);
    expect(aging.currencies[0]!.total).toBe('1.01');
  });
});
