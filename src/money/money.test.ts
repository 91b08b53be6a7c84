import { describe, expect, test } from 'vitest';
import { isCurrency, minorUnits } from './currencies';
import { decimalText, formatAmount, parseAmount, roundMoney } from './money';

describe('money', () => {
  test('rounds half away from zero to the currency minor unit', () => {
    expect(roundMoney('2.345', 'EUR').toFixed()).toBe('2.35');
    expect(roundMoney('-2.345', 'EUR').toFixed()).toBe('-2.35');
    expect(roundMoney('2.5', 'JPY').toFixed()).toBe('3');
    expect(roundMoney('1.2345', 'KWD').toFixed()).toBe('1.235');
  });

  test('formats with exactly the minor digits and never as -0.00', () => {
    expect(formatAmount('10', 'EUR')).toBe('10.00');
    expect(formatAmount('1000', 'JPY')).toBe('1000');
    expect(formatAmount('1.25', 'KWD')).toBe('1.250');
    expect(formatAmount('-0.001', 'EUR')).toBe('0.00');
  });

  test('reads JSON numbers by their shortest decimal text', () => {
    expect(decimalText(0.1)).toBe('0.1');
    expect(decimalText('12.50')).toBe('12.50');
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(1234567890.1234567)).toBeUndefined();
    expect(decimalText('1e5')).toBeUndefined();
    expect(decimalText(true)).toBeUndefined();
  });

  test('refuses amounts with more digits than the currency has', () => {
    expect(parseAmount('1.005', 'EUR')).toBeUndefined();
    expect(parseAmount('1.5', 'JPY')).toBeUndefined();
    expect(parseAmount('1.005', 'KWD')?.toFixed()).toBe('1.005');
  });

  test('knows ISO 4217 codes and their minor units', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XAU')).toBe(false);
    expect(isCurrency('ABC')).toBe(false);
    expect(minorUnits('JPY')).toBe(0);
  });
});
