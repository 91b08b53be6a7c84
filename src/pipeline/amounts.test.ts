import { describe, expect, test } from 'vitest';
import { expectedRevenue, lineAmount, opportunityAmounts } from './amounts';

describe('opportunity amounts (API.md "Opportunities")', () => {
  test('one-time, monthly, quarterly, yearly and every-2-months lines; amount is annualized, mrr monthly', () => {
    const r = opportunityAmounts(
      [
        { quantity: '1', unit_price: '500.00' },
        { quantity: '2', unit_price: '50.00', recurring: { interval: 'month', interval_count: 1 } },
        { quantity: '1', unit_price: '300.00', recurring: { interval: 'quarter', interval_count: 1 } },
        { quantity: '1', unit_price: '1200.00', recurring: { interval: 'year', interval_count: 1 } },
        { quantity: '1', unit_price: '100.00', recurring: { interval: 'month', interval_count: 2 } },
      ],
      'EUR',
    );
    expect(r.lines).toEqual(['500.00', '1200.00', '1200.00', '1200.00', '600.00']);
    expect(r).toMatchObject({ amount: '4700.00', mrr: '350.00' });
  });

  test('discounts round per line; JPY has no minor unit and KWD three', () => {
    // 3 × 333.33 = 999.99, 12.5 % of it = 124.99875 → 125.00, base 874.99.
    expect(lineAmount({ quantity: '3', unit_price: '333.33', discount_percent: '12.5' }, 'EUR').toFixed(2)).toBe(
      '874.99',
    );
    // 1,000 ÷ 3 months = 333.33… → mrr 333 yen; amount 1,000 × 12 ÷ 3 = 4,000.
    expect(
      opportunityAmounts(
        [{ quantity: '1', unit_price: '1000', recurring: { interval: 'quarter', interval_count: 1 } }],
        'JPY',
      ),
    ).toEqual({
      lines: ['4000'],
      amount: '4000',
      mrr: '333',
    });
    // 10.001 a year → 0.833416… a month → 0.833 KWD.
    expect(
      opportunityAmounts(
        [{ quantity: '1', unit_price: '10.001', recurring: { interval: 'year', interval_count: 1 } }],
        'KWD',
      ),
    ).toEqual({
      lines: ['10.001'],
      amount: '10.001',
      mrr: '0.833',
    });
  });

  test('expected revenue = round(amount × probability ÷ 100)', () => {
    expect(expectedRevenue('333.33', 75, 'EUR')).toBe('250.00');
    expect(expectedRevenue('1001', 25, 'JPY')).toBe('250');
    expect(expectedRevenue('0.005', 50, 'KWD')).toBe('0.003');
  });
});
