import { type Decimal, dec, roundMoney } from '../money/money';

/**
 * API.md's proration: round(unit_price × quantity × days used ÷ days in the full period that
 * contains them). Multiplying before dividing keeps the quotient exact until the one rounding.
 */
export function proratedAmount(
  unitPrice: string,
  quantity: string,
  days: number,
  fullDays: number,
  currency: string,
): Decimal {
  return roundMoney(dec(unitPrice).times(quantity).times(days).div(fullDays), currency);
}

/** A whole period, or usage: round(unit_price × quantity). */
export function fullAmount(unitPrice: string, quantity: string, currency: string): Decimal {
  return roundMoney(dec(unitPrice).times(quantity), currency);
}
