import { type Decimal, dec, roundMoney, sum } from '../money/money';
import { allocateByLargestRemainder } from './allocation';

// The one implementation of API.md "Amounts" (rules 1–7). Every rounding is roundMoney, once per part.

export type VatCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface TaxRateRef {
  id: string;
  category: VatCategory;
  percentage: string;
  exemptionReason: string | null;
}

export interface AllowanceChargeIn {
  kind: 'allowance' | 'charge';
  amount?: string | null;
  percent?: string | null;
  base?: string | null;
  reason?: string | null;
}

export interface DocumentAllowanceChargeIn extends AllowanceChargeIn {
  taxRate: TaxRateRef;
}

export interface LineIn {
  quantity: string;
  unitPrice: string;
  priceBaseQuantity?: string | null;
  discountPercent?: string | null;
  allowancesCharges?: AllowanceChargeIn[];
  taxRate: TaxRateRef;
}

export interface TotalsInput {
  currency: string;
  taxBehavior: 'exclusive' | 'inclusive';
  lines: LineIn[];
  allowancesCharges?: DocumentAllowanceChargeIn[];
}

export interface LineTotals {
  gross: Decimal;
  allowanceTotal: Decimal;
  chargeTotal: Decimal;
  amount: Decimal;
  /** Each rounded amount (positive for a positive base), discount_percent first if given. */
  allowancesCharges: Decimal[];
}

export interface TaxGroup {
  category: VatCategory;
  /** Normalized, e.g. "19" or "7.5". */
  percentage: string;
  /** The first tax rate seen in the group. */
  taxRateId: string;
  exemptionReason: string | null;
  taxableAmount: Decimal;
  taxAmount: Decimal;
}

export interface Totals {
  lines: LineTotals[];
  documentAllowancesCharges: Decimal[];
  /** BT-106. */
  subtotal: Decimal;
  /** BT-107: document-level allowances only. */
  allowanceTotal: Decimal;
  /** BT-108: document-level charges only. */
  chargeTotal: Decimal;
  taxTotal: Decimal;
  total: Decimal;
  /** In order of first appearance (lines, then document allowances/charges). */
  taxBreakdown: TaxGroup[];
}

/** "19.00" and "19" are the same rate: the group key and the output use the shortest decimal text. */
export function normalizePercentage(percentage: string): string {
  return dec(percentage).toFixed();
}

/** Two tax rates with the same category and percentage form one group (API.md). */
export function taxGroupKey(category: VatCategory, percentage: string): string {
  return `${category}|${normalizePercentage(percentage)}`;
}

/** Rule 2: round(amount), or round(base × percent ÷ 100) with base defaulting to `defaultBase`. */
function allowanceChargeAmount(ac: AllowanceChargeIn, defaultBase: Decimal, currency: string): Decimal {
  if (ac.amount != null) return roundMoney(ac.amount, currency);
  if (ac.percent != null)
    return roundMoney(
      dec(ac.base ?? defaultBase)
        .times(ac.percent)
        .div(100),
      currency,
    );
  throw new RangeError('An allowance or charge needs an amount or a percent.');
}

function signed(ac: AllowanceChargeIn, amount: Decimal): Decimal {
  return ac.kind === 'allowance' ? amount.neg() : amount;
}

function computeLine(line: LineIn, currency: string): LineTotals {
  const gross = roundMoney(
    dec(line.quantity)
      .times(line.unitPrice)
      .div(line.priceBaseQuantity ?? 1),
    currency,
  );
  const adjustments: AllowanceChargeIn[] = [
    ...(line.discountPercent != null ? [{ kind: 'allowance' as const, percent: line.discountPercent }] : []),
    ...(line.allowancesCharges ?? []),
  ];
  const amounts = adjustments.map((ac) => allowanceChargeAmount(ac, gross, currency));
  const allowanceTotal = sum(amounts.filter((_, i) => adjustments[i]!.kind === 'allowance'));
  const chargeTotal = sum(amounts.filter((_, i) => adjustments[i]!.kind === 'charge'));
  return {
    gross,
    allowanceTotal,
    chargeTotal,
    amount: gross.minus(allowanceTotal).plus(chargeTotal),
    allowancesCharges: amounts,
  };
}

interface GroupAccumulator {
  category: VatCategory;
  percentage: string;
  taxRateId: string;
  exemptionReason: string | null;
  /** Line amounts − document allowances + document charges (net if exclusive, gross if inclusive). */
  base: Decimal;
}

function accumulateGroups(
  input: TotalsInput,
  lines: LineTotals[],
  documentAcs: Decimal[],
): Map<string, GroupAccumulator> {
  const groups = new Map<string, GroupAccumulator>();
  const add = (rate: TaxRateRef, amount: Decimal) => {
    const key = taxGroupKey(rate.category, rate.percentage);
    const group = groups.get(key);
    if (group) group.base = group.base.plus(amount);
    else
      groups.set(key, {
        category: rate.category,
        percentage: normalizePercentage(rate.percentage),
        taxRateId: rate.id,
        exemptionReason: rate.exemptionReason,
        base: amount,
      });
  };
  input.lines.forEach((line, i) => {
    add(line.taxRate, lines[i]!.amount);
  });
  (input.allowancesCharges ?? []).forEach((ac, i) => {
    add(ac.taxRate, signed(ac, documentAcs[i]!));
  });
  return groups;
}

export function computeTotals(input: TotalsInput): Totals {
  const { currency } = input;
  const lines = input.lines.map((line) => computeLine(line, currency));
  const subtotal = sum(lines.map((l) => l.amount));
  const documentAcInputs = input.allowancesCharges ?? [];
  const documentAllowancesCharges = documentAcInputs.map((ac) => allowanceChargeAmount(ac, subtotal, currency));
  const allowanceTotal = sum(documentAllowancesCharges.filter((_, i) => documentAcInputs[i]!.kind === 'allowance'));
  const chargeTotal = sum(documentAllowancesCharges.filter((_, i) => documentAcInputs[i]!.kind === 'charge'));

  const taxBreakdown: TaxGroup[] = [...accumulateGroups(input, lines, documentAllowancesCharges).values()].map((g) => {
    const { base, ...rest } = g;
    if (input.taxBehavior === 'exclusive') {
      return { ...rest, taxableAmount: base, taxAmount: roundMoney(base.times(g.percentage).div(100), currency) };
    }
    // Rule 6: the group's gross includes the tax; extract it once per group.
    const taxAmount = roundMoney(base.times(g.percentage).div(dec(g.percentage).plus(100)), currency);
    return { ...rest, taxableAmount: base.minus(taxAmount), taxAmount };
  });
  const taxTotal = sum(taxBreakdown.map((g) => g.taxAmount));
  const netTotal = subtotal.minus(allowanceTotal).plus(chargeTotal);
  const total = input.taxBehavior === 'exclusive' ? netTotal.plus(taxTotal) : netTotal;
  return { lines, documentAllowancesCharges, subtotal, allowanceTotal, chargeTotal, taxTotal, total, taxBreakdown };
}

/**
 * Inclusive invoices: each line's and each document allowance/charge's NET amount for UBL (API.md rule 6,
 * largest remainder, ties to the earlier item). For exclusive invoices returns the amounts unchanged.
 */
export function netAmounts(
  input: TotalsInput,
  totals: Totals,
): { lines: Decimal[]; documentAllowancesCharges: Decimal[] } {
  const lines = totals.lines.map((l) => l.amount);
  const documentAllowancesCharges = [...totals.documentAllowancesCharges];
  if (input.taxBehavior === 'exclusive') return { lines, documentAllowancesCharges };
  const documentAcInputs = input.allowancesCharges ?? [];

  // Items of each group in document order (lines first), with their signed gross contribution.
  type Item = { kind: 'line' | 'allowance' | 'charge'; index: number; contribution: Decimal };
  const itemsByGroup = new Map<string, Item[]>();
  const push = (rate: TaxRateRef, item: Item) => {
    const key = taxGroupKey(rate.category, rate.percentage);
    itemsByGroup.set(key, [...(itemsByGroup.get(key) ?? []), item]);
  };
  input.lines.forEach((line, index) => {
    push(line.taxRate, { kind: 'line', index, contribution: lines[index]! });
  });
  documentAcInputs.forEach((ac, index) => {
    push(ac.taxRate, { kind: ac.kind, index, contribution: signed(ac, documentAllowancesCharges[index]!) });
  });

  for (const group of totals.taxBreakdown) {
    const items = itemsByGroup.get(taxGroupKey(group.category, group.percentage)) ?? [];
    const shares = allocateByLargestRemainder(
      group.taxAmount,
      items.map((item) => item.contribution),
      input.currency,
      'earlier',
    );
    items.forEach((item, i) => {
      const net = item.contribution.minus(shares[i]!);
      if (item.kind === 'line') lines[item.index] = net;
      else documentAllowancesCharges[item.index] = item.kind === 'allowance' ? net.neg() : net;
    });
  }
  return { lines, documentAllowancesCharges };
}
