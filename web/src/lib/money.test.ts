import { describe, expect, test } from 'vitest';
import { currencyDigits, formatMoney, formatPrice, setLocale, sumAmounts } from './money';

describe('money formatting', () => {
  setLocale('en-US');

  test('formats the decimal string itself: no float rounding on large amounts', () => {
    // As a float this would print 12,345,678,901,234,568.00
    expect(formatMoney('12345678901234567.89', 'EUR')).toBe('€12,345,678,901,234,567.89');
  });

  test('follows the currency and locale', () => {
    expect(formatMoney('1000', 'JPY')).toBe('¥1,000');
    setLocale('de-DE');
    expect(formatMoney('1234.5', 'EUR')).toBe('1.234,50\u00a0€');
    setLocale('en-US');
  });

  test('unit prices keep up to six decimals', () => {
    expect(formatPrice('0.123456', 'EUR')).toBe('€0.123456');
    expect(formatPrice('12', 'EUR')).toBe('€12.00');
  });

  test('sums are exact decimals', () => {
    expect(sumAmounts(['0.10', '0.20'], 'EUR')).toBe('0.30');
    expect(sumAmounts(['1.005', '2.250'], 'KWD')).toBe('3.255');
    expect(currencyDigits('KWD')).toBe(3);
  });
});
