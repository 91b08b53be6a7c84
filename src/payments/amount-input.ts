import { minorUnits } from '../money/currencies';
import { type Decimal, parseAmount, sum } from '../money/money';
import { conflict, invalid } from '../platform/errors';
import type { AllocationIn } from './schemas';

/** An amount in the currency's digits; more digits: 400 naming the field. */
export function parseMoney(text: string, currency: string, param: string): Decimal {
  const amount = parseAmount(text, currency);
  if (!amount)
    throw invalid('amount_precision', `${currency} amounts have at most ${minorUnits(currency)} decimals.`, param);
  return amount;
}

export interface Allocation {
  invoice: string;
  amount: Decimal;
  /** Where the allocation came in, for errors: allocations[i].amount */
  param: string;
}

/** Allocations checked before anything is locked: digits (400), each invoice once (400), their sum within `available` (409). */
export function parseAllocations(
  input: AllocationIn[],
  currency: string,
  available: { amount: Decimal; code: string; what: string },
): Allocation[] {
  const seen = new Set<string>();
  const allocations = input.map((a, i) => {
    if (seen.has(a.invoice))
      throw invalid(
        'duplicate_allocation',
        `Invoice ${a.invoice} is allocated twice; give it once.`,
        `allocations[${i}].invoice`,
      );
    seen.add(a.invoice);
    return {
      invoice: a.invoice,
      amount: parseMoney(a.amount, currency, `allocations[${i}].amount`),
      param: `allocations[${i}].amount`,
    };
  });
  const total = sum(allocations.map((a) => a.amount));
  if (total.greaterThan(available.amount))
    throw conflict(
      available.code,
      `The allocations add up to ${total.toFixed()}, more than the ${available.amount.toFixed()} ${available.what}.`,
      'allocations',
    );
  return allocations;
}
