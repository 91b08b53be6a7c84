import DecimalBase from 'decimal.js';
import { minorUnits } from './currencies';

/** Decimal with enough precision for any invoice and half-away-from-zero rounding. */
export const Decimal = DecimalBase.clone({ precision: 50, rounding: DecimalBase.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | string | number;

export const ZERO = new Decimal(0);

export function dec(value: DecimalInput): Decimal {
  return value instanceof Decimal ? value : new Decimal(value);
}

/** The only rounding of money: half away from zero to the currency's minor unit. */
export function roundMoney(value: DecimalInput, currency: string): Decimal {
  return dec(value).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** The only way an amount becomes a string: exactly the minor-unit digits, never "-0.00". */
export function formatAmount(value: DecimalInput, currency: string): string {
  const rounded = roundMoney(value, currency);
  return (rounded.isZero() ? ZERO : rounded).toFixed(minorUnits(currency));
}

export function sum(values: Iterable<DecimalInput>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(dec(v));
  return total;
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Decimal text of a JSON input value: strings as given, numbers of at most 15 significant digits by their shortest text. */
export function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return DECIMAL_TEXT.test(value.trim()) ? value.trim() : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (/e/i.test(text)) {
      const d = new Decimal(text);
      return d.precision(true) <= 15 ? d.toFixed() : undefined;
    }
    return new Decimal(text).precision(true) <= 15 ? text : undefined;
  }
  return undefined;
}

export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The only way an amount comes in: exact, and with no more digits than the currency has (else undefined). */
export function parseAmount(text: string, currency: string): Decimal | undefined {
  if (!DECIMAL_TEXT.test(text) || decimalPlaces(text) > minorUnits(currency)) return undefined;
  return new Decimal(text);
}
