import { minorUnits } from '@arbor/money/currencies';
import Decimal from 'decimal.js';

/** Money stays a decimal string from the API to the screen; Intl formats the string itself, never a float. */
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch {
      f = new Intl.NumberFormat('en', options);
    }
    formatters.set(key, f);
  }
  return f;
}

let currentLocale = typeof navigator === 'undefined' ? 'en' : navigator.language;

/** The locale amounts and dates are shown in (the organization's, once known). */
export function setLocale(locale: string | null | undefined): void {
  if (locale) currentLocale = locale;
}

export function getLocale(): string {
  return currentLocale;
}

type DecimalText = `${number}` | string;

/** "1234.50" EUR -> "€1,234.50" (en) or "1.234,50 €" (de). */
export function formatMoney(amount: DecimalText | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return formatter(currentLocale, { style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
}

/** Unit prices and quantities keep up to 6 decimals exactly as given. */
export function formatDecimal(value: DecimalText | null | undefined, maxDigits = 6): string {
  if (value === null || value === undefined || value === '') return '—';
  return formatter(currentLocale, { maximumFractionDigits: maxDigits }).format(value as Intl.StringNumericLiteral);
}

export function formatPercent(value: DecimalText): string {
  return `${formatDecimal(value, 4)} %`;
}

/** Minor-unit digits of a currency from the server's one ISO 4217 table (not the browser's CLDR): HUF 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  try {
    return minorUnits(currency);
  } catch {
    return 2;
  }
}

/** Exact decimal helpers for the few sums the UI shows (list totals, allocation suggestions). */
export function sumAmounts(amounts: readonly string[], currency: string): string {
  const total = amounts.reduce((acc, a) => acc.plus(a || '0'), new Decimal(0));
  return total.toFixed(currencyDigits(currency));
}

export function subtractAmount(a: string, b: string, currency: string): string {
  return new Decimal(a || '0').minus(b || '0').toFixed(currencyDigits(currency));
}

export function minAmount(a: string, b: string): string {
  return new Decimal(a || '0').lte(b || '0') ? a : b;
}

export function compareAmount(a: string, b: string): number {
  return new Decimal(a || '0').comparedTo(b || '0');
}

export function isZero(a: string | null | undefined): boolean {
  return !a || new Decimal(a).isZero();
}

/** True when the text is a plain decimal the API accepts ("12", "12.5", "-3.25"). */
export function isDecimalText(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text.trim());
}

/** "1234.5" -> "1234.50" for EUR: what the amount field shows after a suggestion. */
export function normalizeAmount(text: string, currency: string): string {
  if (!isDecimalText(text)) return text;
  return new Decimal(text.trim()).toFixed(currencyDigits(currency));
}

/** A unit price: the currency's digits at least, up to the 6 decimals a price may have. */
export function formatPrice(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const digits = currencyDigits(currency);
  return formatter(currentLocale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, 6),
  }).format(amount as Intl.StringNumericLiteral);
}
