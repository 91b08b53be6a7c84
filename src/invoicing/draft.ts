import { minorUnits } from '../money/currencies';
import { decimalPlaces, formatAmount } from '../money/money';
import { invalid, unprocessable } from '../platform/errors';
import { computeTotals, type TaxRateRef, type Totals, type TotalsInput } from './totals';

/** Amounts have at most 15 digits before the point (README "Security"): a larger result is refused, not rounded. */
const MAX_AMOUNT = '1e15';

function assertAmountsFit(totals: Totals): void {
  totals.lines.forEach((line, i) => {
    if (line.amount.abs().gte(MAX_AMOUNT))
      throw invalid('amount_too_large', 'This line\u2019s amount has more than 15 digits.', `lines[${i}].amount`);
  });
  for (const [name, value] of [
    ['subtotal', totals.subtotal],
    ['tax_total', totals.taxTotal],
    ['total', totals.total],
  ] as const)
    if (value.abs().gte(MAX_AMOUNT))
      throw invalid('amount_too_large', `The invoice\u2019s ${name} has more than 15 digits.`, name);
}

// Turns a draft as the API receives it into the stored draft: references resolved, amounts computed once.

export interface AllowanceChargeInput {
  kind: 'allowance' | 'charge';
  amount?: string | null | undefined;
  percent?: string | null | undefined;
  base?: string | null | undefined;
  reason?: string | null | undefined;
}

export interface LineInput {
  description?: string | null | undefined;
  product?: string | null | undefined;
  quantity: string;
  unit?: string | null | undefined;
  unit_price?: string | null | undefined;
  price_base_quantity?: string | null | undefined;
  discount_percent?: string | null | undefined;
  allowances_charges?: AllowanceChargeInput[] | undefined;
  tax_rate?: string | null | undefined;
  period?: { start: string; end: string } | null | undefined;
}

export interface DocumentAllowanceChargeInput extends AllowanceChargeInput {
  tax_rate: string;
}

export interface ProductRef {
  id: string;
  name: string;
  description: string | null;
  unitPrice: string;
  currency: string;
  unit: string;
  taxRateId: string | null;
}

export interface StoredTaxRate {
  id: string;
  category: TaxRateRef['category'];
  percentage: string;
  exemption_reason: string | null;
}

export interface StoredAllowanceCharge {
  kind: 'allowance' | 'charge';
  amount: string | null;
  percent: string | null;
  base: string | null;
  reason: string | null;
  /** The computed, rounded amount. */
  value: string;
}

export interface StoredLine {
  id: string;
  description: string;
  product: string | null;
  quantity: string;
  unit: string;
  unit_price: string;
  price_base_quantity: string;
  discount_percent: string | null;
  allowances_charges: StoredAllowanceCharge[];
  tax_rate: StoredTaxRate;
  amount: string;
  period: { start: string; end: string } | null;
}

export interface StoredDocumentAllowanceCharge extends StoredAllowanceCharge {
  tax_rate: StoredTaxRate;
}

export interface StoredTaxGroup {
  category: TaxRateRef['category'];
  percentage: string;
  tax_rate: string;
  exemption_reason: string | null;
  taxable_amount: string;
  tax_amount: string;
}

export interface DraftAmounts {
  lines: StoredLine[];
  allowancesCharges: StoredDocumentAllowanceCharge[];
  taxBreakdown: StoredTaxGroup[];
  subtotal: string;
  allowanceTotal: string;
  chargeTotal: string;
  taxTotal: string;
  total: string;
}

export interface DraftRefs {
  taxRates: Map<string, StoredTaxRate>;
  products: Map<string, ProductRef>;
  newLineId: () => string;
}

function checkAllowanceCharge(ac: AllowanceChargeInput, currency: string, param: string): void {
  const hasAmount = ac.amount != null;
  const hasPercent = ac.percent != null;
  if (hasAmount === hasPercent)
    throw invalid('allowance_charge_amount_or_percent', 'Give either amount or percent.', param);
  if (hasAmount && decimalPlaces(ac.amount!) > minorUnits(currency))
    throw invalid(
      'amount_precision',
      `${currency} amounts have at most ${minorUnits(currency)} decimals.`,
      `${param}.amount`,
    );
  if (hasAmount && ac.amount!.startsWith('-'))
    throw invalid(
      'amount_negative',
      'Use kind "charge" or "allowance" instead of a negative amount.',
      `${param}.amount`,
    );
  if (hasPercent && ac.percent!.startsWith('-'))
    throw invalid('percent_negative', 'The percent must not be negative.', `${param}.percent`);
  if (ac.base != null && hasAmount)
    throw invalid('base_without_percent', 'A base goes with a percent.', `${param}.base`);
}

function refTaxRate(refs: DraftRefs, id: string, param: string): StoredTaxRate {
  const rate = refs.taxRates.get(id);
  if (!rate) throw unprocessable('tax_rate_not_found', `No tax rate ${id} in this organization.`, param);
  return rate;
}

const toRef = (r: StoredTaxRate): TaxRateRef => ({
  id: r.id,
  category: r.category,
  percentage: r.percentage,
  exemptionReason: r.exemption_reason,
});

/** Resolves products and tax rates, validates, and computes every amount by the one rules of API.md. */
export function buildDraftAmounts(
  input: {
    currency: string;
    taxBehavior: 'exclusive' | 'inclusive';
    lines: LineInput[];
    allowancesCharges: DocumentAllowanceChargeInput[];
  },
  refs: DraftRefs,
): DraftAmounts {
  const { currency } = input;
  const lines = input.lines.map((line, i) => {
    const param = `lines[${i}]`;
    const product = line.product ? refs.products.get(line.product) : undefined;
    if (line.product && !product)
      throw unprocessable('product_not_found', `No product ${line.product} in this organization.`, `${param}.product`);
    if (product && product.currency !== currency)
      throw unprocessable(
        'currency_mismatch',
        `Product ${product.id} is priced in ${product.currency}, the invoice in ${currency}.`,
        `${param}.product`,
      );
    const unitPrice = line.unit_price ?? product?.unitPrice;
    if (unitPrice == null)
      throw invalid('unit_price_required', 'A line without a product needs a unit_price.', `${param}.unit_price`);
    const description = line.description ?? product?.description ?? product?.name;
    if (!description)
      throw invalid('description_required', 'A line without a product needs a description.', `${param}.description`);
    const taxRateId = line.tax_rate ?? product?.taxRateId;
    if (!taxRateId)
      throw invalid(
        'tax_rate_required',
        'Every line needs a tax rate (or a product that has one).',
        `${param}.tax_rate`,
      );
    const base = line.price_base_quantity;
    if (base != null && (base.startsWith('-') || /^0*(\.0*)?$/.test(base)))
      throw invalid(
        'price_base_quantity_invalid',
        'The price base quantity must be greater than zero.',
        `${param}.price_base_quantity`,
      );
    (line.allowances_charges ?? []).forEach((ac, j) => {
      checkAllowanceCharge(ac, currency, `${param}.allowances_charges[${j}]`);
    });
    if (line.period && line.period.end < line.period.start)
      throw invalid('period_invalid', 'The period ends before it starts.', `${param}.period`);
    return {
      line,
      description,
      product: product?.id ?? null,
      unit: line.unit ?? product?.unit ?? 'C62',
      unitPrice,
      taxRate: refTaxRate(refs, taxRateId, `${param}.tax_rate`),
    };
  });
  const documentAcs = input.allowancesCharges.map((ac, i) => {
    const param = `allowances_charges[${i}]`;
    checkAllowanceCharge(ac, currency, param);
    return { ac, taxRate: refTaxRate(refs, ac.tax_rate, `${param}.tax_rate`) };
  });

  const totalsInput: TotalsInput = {
    currency,
    taxBehavior: input.taxBehavior,
    lines: lines.map((l) => ({
      quantity: l.line.quantity,
      unitPrice: l.unitPrice,
      priceBaseQuantity: l.line.price_base_quantity ?? null,
      discountPercent: l.line.discount_percent ?? null,
      allowancesCharges: (l.line.allowances_charges ?? []).map((ac) => ({ ...ac })),
      taxRate: toRef(l.taxRate),
    })),
    allowancesCharges: documentAcs.map(({ ac, taxRate }) => ({ ...ac, taxRate: toRef(taxRate) })),
  };
  const totals = computeTotals(totalsInput);
  assertAmountsFit(totals);
  const money = (d: Parameters<typeof formatAmount>[0]) => formatAmount(d, currency);
  const storedAc = (ac: AllowanceChargeInput, value: Parameters<typeof formatAmount>[0]): StoredAllowanceCharge => ({
    kind: ac.kind,
    amount: ac.amount ?? null,
    percent: ac.percent ?? null,
    base: ac.base ?? null,
    reason: ac.reason ?? null,
    value: money(value),
  });

  return {
    lines: lines.map((l, i) => {
      const t = totals.lines[i]!;
      const offset = l.line.discount_percent != null ? 1 : 0;
      return {
        id: refs.newLineId(),
        description: l.description,
        product: l.product,
        quantity: l.line.quantity,
        unit: l.unit,
        unit_price: l.unitPrice,
        price_base_quantity: l.line.price_base_quantity ?? '1',
        discount_percent: l.line.discount_percent ?? null,
        allowances_charges: (l.line.allowances_charges ?? []).map((ac, j) =>
          storedAc(ac, t.allowancesCharges[j + offset]!),
        ),
        tax_rate: l.taxRate,
        amount: money(t.amount),
        period: l.line.period ?? null,
      };
    }),
    allowancesCharges: documentAcs.map(({ ac, taxRate }, i) => ({
      ...storedAc(ac, totals.documentAllowancesCharges[i]!),
      tax_rate: taxRate,
    })),
    taxBreakdown: totals.taxBreakdown.map((g) => ({
      category: g.category,
      percentage: g.percentage,
      tax_rate: g.taxRateId,
      exemption_reason: g.exemptionReason,
      taxable_amount: money(g.taxableAmount),
      tax_amount: money(g.taxAmount),
    })),
    subtotal: money(totals.subtotal),
    allowanceTotal: money(totals.allowanceTotal),
    chargeTotal: money(totals.chargeTotal),
    taxTotal: money(totals.taxTotal),
    total: money(totals.total),
  };
}

/** The stored draft back as the input of the one totals module (for credit notes and e-invoices). */
export function totalsInputOf(inv: {
  currency: string;
  taxBehavior: string;
  lines: StoredLine[];
  allowancesCharges: StoredDocumentAllowanceCharge[];
}): TotalsInput {
  return {
    currency: inv.currency,
    taxBehavior: inv.taxBehavior as TotalsInput['taxBehavior'],
    lines: inv.lines.map((l) => ({
      quantity: l.quantity,
      unitPrice: l.unit_price,
      priceBaseQuantity: l.price_base_quantity,
      discountPercent: l.discount_percent,
      allowancesCharges: l.allowances_charges,
      taxRate: toRef(l.tax_rate),
    })),
    allowancesCharges: inv.allowancesCharges.map((ac) => ({ ...ac, taxRate: toRef(ac.tax_rate) })),
  };
}
