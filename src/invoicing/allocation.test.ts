import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { minorUnits } from '../money/currencies';
import { Decimal, dec, roundMoney, sum } from '../money/money';
import { allocateByLargestRemainder } from './allocation';

const allocate = (total: string, weights: string[], currency = 'EUR', tie: 'earlier' | 'larger' = 'earlier') =>
  allocateByLargestRemainder(dec(total), weights.map(dec), currency, tie).map((p) => p.toFixed(minorUnits(currency)));

describe('allocateByLargestRemainder: examples', () => {
  test('a cent that does not divide goes to the largest remainder, ties to the earlier part', () => {
    expect(allocate('100.00', ['1', '1', '1'])).toEqual(['33.34', '33.33', '33.33']);
    expect(allocate('10.00', ['3', '3', '1'])).toEqual(['4.29', '4.28', '1.43']);
  });

  test("'larger' breaks ties of equal remainders towards the larger weight", () => {
    // quotas 0.005 and 0.015: both remainders are half a cent
    expect(allocate('0.02', ['1', '3'], 'EUR', 'earlier')).toEqual(['0.01', '0.01']);
    expect(allocate('0.02', ['1', '3'], 'EUR', 'larger')).toEqual(['0.00', '0.02']);
  });

  test('negative totals split exactly like their positive', () => {
    expect(allocate('-100.00', ['1', '1', '1'])).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  test('zero weights get nothing; all-zero weights share equally', () => {
    expect(allocate('10.00', ['0', '1', '0'])).toEqual(['0.00', '10.00', '0.00']);
    expect(allocate('10.00', ['0', '0', '0'])).toEqual(['3.34', '3.33', '3.33']);
    expect(allocate('0.00', [])).toEqual([]);
  });

  test('uses the currency minor unit (JPY 0, KWD 3)', () => {
    expect(allocate('1000', ['1', '1', '1'], 'JPY')).toEqual(['334', '333', '333']);
    expect(allocate('1.000', ['1', '1', '1'], 'KWD')).toEqual(['0.334', '0.333', '0.333']);
  });

  test('refuses what cannot be allocated', () => {
    expect(() => allocate('1.005', ['1'])).toThrow(RangeError);
    expect(() => allocate('1.00', [])).toThrow(RangeError);
    expect(() => allocate('1.00', ['1', '-1'])).toThrow(RangeError);
  });
});

describe('allocateByLargestRemainder: properties', () => {
  const currencyArb = fc.constantFrom('EUR', 'JPY', 'KWD');
  const units = (currency: string) => new Decimal(10).pow(-minorUnits(currency));

  test('never loses or invents a cent, and each part is within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        currencyArb,
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('earlier' as const, 'larger' as const),
        (currency, minor, rawWeights, tie) => {
          const total = dec(minor.toString()).times(units(currency));
          const weights = rawWeights.map((w) => dec(w).div(100));
          const parts = allocateByLargestRemainder(total, weights, currency, tie);
          expect(parts).toHaveLength(weights.length);
          expect(sum(parts).eq(total)).toBe(true);
          const weightSum = sum(weights);
          parts.forEach((part, i) => {
            expect(roundMoney(part, currency).eq(part)).toBe(true);
            const exact = weightSum.isZero() ? total.div(weights.length) : total.times(weights[i]!).div(weightSum);
            expect(part.minus(exact).abs().lt(units(currency))).toBe(true);
            if (!weightSum.isZero() && weights[i]!.isZero()) expect(part.isZero()).toBe(true);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  test('signed weights (allowances among lines) still sum exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.array(fc.integer({ min: -50_000, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        (cents, rawWeights) => {
          fc.pre(rawWeights.reduce((a, b) => a + b, 0) !== 0);
          const total = dec(cents).div(100);
          const parts = allocateByLargestRemainder(total, rawWeights.map(dec), 'EUR', 'earlier');
          expect(sum(parts).eq(total)).toBe(true);
          for (const part of parts) expect(roundMoney(part, 'EUR').eq(part)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
