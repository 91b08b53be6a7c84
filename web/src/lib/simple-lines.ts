import type { Interval } from '../api/types';
import { randomId } from './ids';

/** A line of a quote, order or subscription as the form holds it: the user's text, exactly as typed. */
export interface SimpleLine {
  key: string;
  product: string | null;
  description: string;
  quantity: string;
  unit_price: string;
  tax_rate: string | null;
  discount_percent: string;
  recurring: Interval | 'none';
  usage: boolean;
}

export function blankLine(taxRate: string | null): SimpleLine {
  return {
    key: randomId(),
    product: null,
    description: '',
    quantity: '1',
    unit_price: '',
    tax_rate: taxRate,
    discount_percent: '',
    recurring: 'none',
    usage: false,
  };
}

export function isBlank(l: SimpleLine): boolean {
  return !l.product && !l.description.trim() && !l.unit_price.trim();
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** Non-blank lines in API form, with the form key of each (to put "lines[2].quantity" errors on the right row). */
export function linesToApi(lines: readonly SimpleLine[]) {
  const kept = lines.filter((l) => !isBlank(l));
  return {
    keys: kept.map((l) => l.key),
    lines: kept.map((l) => ({
      product: l.product,
      description: orNull(l.description),
      quantity: l.quantity.trim(),
      unit_price: orNull(l.unit_price),
      tax_rate: l.tax_rate,
      discount_percent: orNull(l.discount_percent),
      recurring: l.recurring === 'none' ? null : { interval: l.recurring, interval_count: 1 },
      usage: l.usage,
    })),
  };
}

/** "lines[1].quantity" (API index) -> "line:<key>.quantity" (form row). */
export function rowParam(param: string | null, keys: readonly string[], prefix = 'lines'): string | null {
  if (!param) return param;
  const re = new RegExp(`^${prefix}\\[(\\d+)\\]`);
  return param.replace(re, (whole, n: string) => (keys[Number(n)] ? `line:${keys[Number(n)]}` : whole));
}
