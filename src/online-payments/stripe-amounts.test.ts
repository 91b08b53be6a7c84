import { describe, expect, test } from 'vitest';
import { fromStripeAmount, stripeDigits, toStripeAmount } from './stripe-amounts';

describe('Stripe minor units', () => {
  test('two-decimal currencies are cents', () => {
    expect(toStripeAmount('1190.00', 'EUR')).toBe(119000);
    expect(toStripeAmount('0.01', 'usd')).toBe(1);
    expect(fromStripeAmount(119000, 'eur')).toBe('1190.00');
  });

  test('zero-decimal currencies are whole units', () => {
    expect(stripeDigits('JPY')).toBe(0);
    expect(toStripeAmount('5000', 'JPY')).toBe(5000);
    expect(fromStripeAmount(5000, 'jpy')).toBe('5000');
  });

  test('three-decimal currencies only when the amount is a multiple of 0.010', () => {
    expect(toStripeAmount('12.340', 'KWD')).toBe(12340);
    expect(toStripeAmount('12.345', 'KWD')).toBeNull();
    expect(fromStripeAmount(12340, 'kwd')).toBe('12.340');
  });

  test('ISK is two-decimal at Stripe but whole krónur only', () => {
    expect(toStripeAmount('500', 'ISK')).toBe(50000);
    expect(fromStripeAmount(50000, 'isk')).toBe('500');
  });

  test('what Stripe cannot take exactly is refused, not rounded', () => {
    expect(toStripeAmount('0', 'EUR')).toBeNull();
    expect(toStripeAmount('-5.00', 'EUR')).toBeNull();
    expect(toStripeAmount('1.005', 'EUR')).toBeNull();
  });
});
