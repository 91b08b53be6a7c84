import { dec, formatAmount } from '../money/money';

// Stripe's minor units, which are not always ISO 4217's: the one table (https://docs.stripe.com/currencies).

/** Currencies Stripe takes in whole units (its "zero-decimal" list). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Three-decimal currencies: Stripe takes them in thousandths, but only amounts that end in 0. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
/** Two-decimal at Stripe although ISO gives none: whole units only (ISK 5 is 500). */
const TWO_DECIMAL_WHOLE_ONLY = new Set(['ISK']);

/** Decimal places of an amount in Stripe's API for a currency. */
export function stripeDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * The amount as Stripe's `unit_amount` (an integer of its minor units), or null when Stripe cannot take it exactly:
 * fractions it has no units for, three-decimal amounts not a multiple of 0.010, ISK with øre.
 */
export function toStripeAmount(amount: string, currency: string): number | null {
  const code = currency.toUpperCase();
  const value = dec(amount);
  if (!value.isFinite() || value.lte(0)) return null;
  const units = value.times(10 ** stripeDigits(code));
  if (!units.isInteger()) return null;
  if (THREE_DECIMAL.has(code) && !units.mod(10).isZero()) return null;
  if (TWO_DECIMAL_WHOLE_ONLY.has(code) && !value.isInteger()) return null;
  if (units.gt(Number.MAX_SAFE_INTEGER)) return null;
  return units.toNumber();
}

/** Stripe's integer minor units back as our decimal string in the currency's ISO digits. */
export function fromStripeAmount(units: number, currency: string): string {
  const code = currency.toUpperCase();
  return formatAmount(dec(units).div(10 ** stripeDigits(code)), code);
}
