import type { VatCategory } from '../invoicing/totals';
import { minorUnits } from '../money/currencies';
import { type Decimal, dec, roundMoney, sum } from '../money/money';
import { type UblModel, type UblTaxCategory, VAT_ID } from './ubl-model';

// The EN 16931 business rules Arbor's own data could break, checked before a document is served.

export interface RuleViolation {
  /** e.g. 'BR-CO-10'. */
  rule: string;
  message: string;
}

export const CURRENCY_NOT_SUPPORTED = 'currency_not_supported_by_en16931';

export class EInvoiceError extends Error {
  /** Stable error code: the currency refusal of API.md, or a generic rule violation. */
  readonly code: string;
  constructor(public violations: RuleViolation[]) {
    super(`The e-invoice breaks EN 16931: ${violations.map((v) => `[${v.rule}] ${v.message}`).join(' ')}`);
    this.name = 'EInvoiceError';
    this.code = violations.some((v) => v.rule === CURRENCY_NOT_SUPPORTED) ? CURRENCY_NOT_SUPPORTED : 'einvoice_invalid';
  }
}

/** EN 16931 amounts have at most 2 decimals (BR-DEC-*): KWD, BHD, TND... cannot be expressed. */
export function supportsEn16931(currency: string): boolean {
  try {
    return minorUnits(currency) <= 2;
  } catch {
    return false;
  }
}

/** Rule prefix and requirements per VAT category (UNCL5305). */
const CATEGORY_RULES: Record<
  VatCategory,
  {
    prefix: string;
    name: string;
    rate: 'positive' | 'zero' | 'none';
    reason: 'required' | 'forbidden';
    breakdowns: 'one' | 'some';
  }
> = {
  S: { prefix: 'BR-S', name: 'Standard rated', rate: 'positive', reason: 'forbidden', breakdowns: 'some' },
  Z: { prefix: 'BR-Z', name: 'Zero rated', rate: 'zero', reason: 'forbidden', breakdowns: 'one' },
  E: { prefix: 'BR-E', name: 'Exempt from VAT', rate: 'zero', reason: 'required', breakdowns: 'one' },
  AE: { prefix: 'BR-AE', name: 'Reverse charge', rate: 'zero', reason: 'required', breakdowns: 'one' },
  K: { prefix: 'BR-IC', name: 'Intra-community supply', rate: 'zero', reason: 'required', breakdowns: 'one' },
  G: { prefix: 'BR-G', name: 'Export outside the EU', rate: 'zero', reason: 'required', breakdowns: 'one' },
  O: { prefix: 'BR-O', name: 'Not subject to VAT', rate: 'none', reason: 'required', breakdowns: 'one' },
};

type Item = { kind: 'line' | 'allowance' | 'charge'; label: string; tax: UblTaxCategory; signedAmount: Decimal };

export function checkEn16931(model: UblModel): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const fail = (rule: string, message: string) => violations.push({ rule, message });
  const { currency, seller, buyer, totals } = model;

  if (!supportsEn16931(currency))
    fail(CURRENCY_NOT_SUPPORTED, `EN 16931 amounts have at most 2 decimals; ${currency} has more.`);

  // Mandatory fields (BR-01..BR-16).
  if (!model.customizationId) fail('BR-01', 'An invoice needs a specification identifier (BT-24).');
  if (!model.number.trim()) fail('BR-02', 'An invoice needs a number (BT-1).');
  if (!model.issueDate) fail('BR-03', 'An invoice needs an issue date (BT-2).');
  if (!model.typeCode) fail('BR-04', 'An invoice needs a type code (BT-3).');
  if (!currency) fail('BR-05', 'An invoice needs a currency code (BT-5).');
  if (!seller.name) fail('BR-06', 'An invoice needs the seller name (BT-27).');
  if (!buyer.name) fail('BR-07', 'An invoice needs the buyer name (BT-44).');
  if (!seller.address) fail('BR-08', 'An invoice needs the seller postal address (BG-5).');
  else if (!seller.address.country) fail('BR-09', 'The seller postal address needs a country code (BT-40).');
  if (!buyer.address) fail('BR-10', 'An invoice needs the buyer postal address (BG-8).');
  else if (!buyer.address.country) fail('BR-11', 'The buyer postal address needs a country code (BT-55).');
  if (!totals.lineExtension) fail('BR-12', 'An invoice needs the sum of line net amounts (BT-106).');
  if (!totals.taxExclusive) fail('BR-13', 'An invoice needs the total without VAT (BT-109).');
  if (!totals.taxInclusive) fail('BR-14', 'An invoice needs the total with VAT (BT-112).');
  if (!totals.payable) fail('BR-15', 'An invoice needs the amount due for payment (BT-115).');
  if (model.lines.length === 0) fail('BR-16', 'An invoice needs at least one line (BG-25).');

  // Lines (BR-21..BR-27) and allowance/charge reasons (BR-33, BR-38, BR-42, BR-44).
  for (const line of model.lines) {
    const at = `Line ${line.id || '?'}`;
    if (!line.id) fail('BR-21', 'Each line needs an identifier (BT-126).');
    if (!line.quantity) fail('BR-22', `${at} needs an invoiced quantity (BT-129).`);
    if (!line.unitCode) fail('BR-23', `${at} needs a unit of measure (BT-130).`);
    if (!line.name.trim()) fail('BR-25', `${at} needs an item name (BT-153).`);
    if (!line.price) fail('BR-26', `${at} needs an item net price (BT-146).`);
    else if (dec(line.price).isNegative()) fail('BR-27', `${at} has a negative item net price (BT-146).`);
    for (const ac of line.allowancesCharges) {
      if (!ac.reason)
        fail(ac.charge ? 'BR-44' : 'BR-42', `${at}: each line ${ac.charge ? 'charge' : 'allowance'} needs a reason.`);
    }
  }
  for (const ac of model.allowancesCharges) {
    if (!ac.reason)
      fail(ac.charge ? 'BR-38' : 'BR-33', `Each document level ${ac.charge ? 'charge' : 'allowance'} needs a reason.`);
  }

  // VAT identifiers carry a country prefix (BR-CO-09).
  for (const [who, id] of [
    ['seller', seller.vatId],
    ['buyer', buyer.vatId],
  ] as const) {
    if (id && !VAT_ID.test(id)) fail('BR-CO-09', `The ${who} VAT identifier ${id} needs an ISO 3166 country prefix.`);
  }

  checkTotals(model, fail);
  checkDecimals(model, fail);
  checkCategories(model, fail);
  return violations;
}

/** Rounds the way the document was computed; null when the currency is unknown (BR-05 or the currency check say so). */
function rounder(currency: string): ((value: Decimal) => Decimal) | null {
  return knownCurrency(currency) ? (value) => roundMoney(value, currency) : null;
}

function knownCurrency(currency: string): boolean {
  try {
    minorUnits(currency);
    return true;
  } catch {
    return false;
  }
}

type Fail = (rule: string, message: string) => void;

const text = (d: Decimal) => d.toFixed();

function checkTotals(model: UblModel, fail: Fail): void {
  const t = model.totals;
  const lineSum = sum(model.lines.map((l) => l.netAmount));
  const allowances = sum(model.allowancesCharges.filter((ac) => !ac.charge).map((ac) => ac.amount));
  const charges = sum(model.allowancesCharges.filter((ac) => ac.charge).map((ac) => ac.amount));
  if (t.lineExtension && !t.lineExtension.eq(lineSum))
    fail('BR-CO-10', `Sum of line net amounts ${text(t.lineExtension)} is not the lines' ${text(lineSum)} (BT-106).`);
  if (!(t.allowanceTotal ?? dec(0)).eq(allowances))
    fail(
      'BR-CO-11',
      `Document allowance total ${text(t.allowanceTotal ?? dec(0))} is not their sum ${text(allowances)} (BT-107).`,
    );
  if (!(t.chargeTotal ?? dec(0)).eq(charges))
    fail(
      'BR-CO-12',
      `Document charge total ${text(t.chargeTotal ?? dec(0))} is not their sum ${text(charges)} (BT-108).`,
    );
  if (t.taxExclusive && t.lineExtension) {
    const expected = t.lineExtension.minus(t.allowanceTotal ?? 0).plus(t.chargeTotal ?? 0);
    if (!t.taxExclusive.eq(expected))
      fail(
        'BR-CO-13',
        `Total without VAT ${text(t.taxExclusive)} is not ${text(expected)} (BT-109 = BT-106 − BT-107 + BT-108).`,
      );
  }
  const subtotalTax = sum(model.taxSubtotals.map((s) => s.taxAmount));
  if (!model.taxTotal?.eq(subtotalTax))
    fail(
      'BR-CO-14',
      `Total VAT ${model.taxTotal ? text(model.taxTotal) : 'missing'} is not the breakdown's ${text(subtotalTax)} (BT-110).`,
    );
  if (t.taxInclusive && t.taxExclusive && model.taxTotal && !t.taxInclusive.eq(t.taxExclusive.plus(model.taxTotal)))
    fail('BR-CO-15', `Total with VAT ${text(t.taxInclusive)} is not BT-109 + BT-110 (BT-112).`);
  if (t.payable && t.taxInclusive && !t.payable.eq(t.taxInclusive.minus(t.prepaid ?? 0)))
    fail('BR-CO-16', `Amount due ${text(t.payable)} is not BT-112 − BT-113 (BT-115).`);
  if (model.taxSubtotals.length === 0) fail('BR-CO-18', 'An invoice needs at least one VAT breakdown (BG-23).');

  const unit = dec(10).pow(-Math.min(minorUnitsOrTwo(model.currency), 2));
  const round = rounder(model.currency);
  for (const s of model.taxSubtotals) {
    if (s.percentage === null) {
      if (s.category !== 'O') fail('BR-48', `The VAT breakdown of category ${s.category} needs a rate (BT-119).`);
      if (!s.taxAmount.isZero())
        fail('BR-CO-17', `VAT of a breakdown without rate must be 0, not ${text(s.taxAmount)}.`);
      continue;
    }
    if (!round) continue;
    // The tax of tax-inclusive prices and of cumulative credits is at most one minor unit from taxable × rate.
    const expected = round(s.taxableAmount.times(s.percentage).div(100));
    if (s.taxAmount.minus(expected).abs().gt(unit))
      fail(
        'BR-CO-17',
        `VAT ${text(s.taxAmount)} of category ${s.category} ${s.percentage}% is not ${text(expected)} (BT-116 × BT-119).`,
      );
  }
}

function minorUnitsOrTwo(currency: string): number {
  try {
    return minorUnits(currency);
  } catch {
    return 2;
  }
}

function checkDecimals(model: UblModel, fail: Fail): void {
  const check = (rule: string, term: string, amount: Decimal | null) => {
    if (amount && amount.decimalPlaces() > 2) fail(rule, `${term} ${text(amount)} has more than 2 decimals.`);
  };
  for (const ac of model.allowancesCharges) {
    check(
      ac.charge ? 'BR-DEC-05' : 'BR-DEC-01',
      ac.charge ? 'Document charge (BT-99)' : 'Document allowance (BT-92)',
      ac.amount,
    );
    check(ac.charge ? 'BR-DEC-06' : 'BR-DEC-02', 'Document allowance/charge base (BT-93/BT-100)', ac.baseAmount);
  }
  const t = model.totals;
  check('BR-DEC-09', 'Sum of line net amounts (BT-106)', t.lineExtension);
  check('BR-DEC-10', 'Sum of allowances (BT-107)', t.allowanceTotal);
  check('BR-DEC-11', 'Sum of charges (BT-108)', t.chargeTotal);
  check('BR-DEC-12', 'Total without VAT (BT-109)', t.taxExclusive);
  check('BR-DEC-13', 'Total VAT (BT-110)', model.taxTotal);
  check('BR-DEC-14', 'Total with VAT (BT-112)', t.taxInclusive);
  check('BR-DEC-16', 'Paid amount (BT-113)', t.prepaid);
  check('BR-DEC-18', 'Amount due (BT-115)', t.payable);
  for (const s of model.taxSubtotals) {
    check('BR-DEC-19', 'VAT category taxable amount (BT-116)', s.taxableAmount);
    check('BR-DEC-20', 'VAT category tax amount (BT-117)', s.taxAmount);
  }
  for (const line of model.lines) {
    check('BR-DEC-23', `Line ${line.id} net amount (BT-131)`, line.netAmount);
    for (const ac of line.allowancesCharges) {
      check(ac.charge ? 'BR-DEC-27' : 'BR-DEC-24', `Line ${line.id} allowance/charge (BT-136/BT-141)`, ac.amount);
      check(
        ac.charge ? 'BR-DEC-28' : 'BR-DEC-25',
        `Line ${line.id} allowance/charge base (BT-137/BT-142)`,
        ac.baseAmount,
      );
    }
  }
}

/** BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-* (K), BR-G-*, BR-O-*. */
function checkCategories(model: UblModel, fail: Fail): void {
  const items: Item[] = [
    ...model.lines.map((l): Item => ({ kind: 'line', label: `line ${l.id}`, tax: l.tax, signedAmount: l.netAmount })),
    ...model.allowancesCharges.map(
      (ac, i): Item => ({
        kind: ac.charge ? 'charge' : 'allowance',
        label: `document ${ac.charge ? 'charge' : 'allowance'} ${i + 1}`,
        tax: ac.tax,
        signedAmount: ac.charge ? ac.amount : ac.amount.neg(),
      }),
    ),
  ];
  const { seller, buyer } = model;
  const sellerTaxId = Boolean(seller.vatId || seller.taxRegistrationId);
  const unit = dec(10).pow(-Math.min(minorUnitsOrTwo(model.currency), 2));
  const round = rounder(model.currency);
  const numbered = { line: '02', allowance: '03', charge: '04' } as const;
  const rateNumbered = { line: '05', allowance: '06', charge: '07' } as const;

  for (const [category, rules] of Object.entries(CATEGORY_RULES) as [
    VatCategory,
    (typeof CATEGORY_RULES)[VatCategory],
  ][]) {
    const { prefix, name } = rules;
    const mine = items.filter((item) => item.tax.category === category);
    const breakdowns = model.taxSubtotals.filter((s) => s.category === category);

    if (mine.length > 0) {
      if (rules.breakdowns === 'some' ? breakdowns.length === 0 : breakdowns.length !== 1)
        fail(
          `${prefix}-01`,
          `An invoice with "${name}" items needs ${rules.breakdowns === 'one' ? 'exactly one' : 'a'} "${name}" VAT breakdown.`,
        );
    }

    for (const item of mine) {
      // Who must (or must not) be identified for VAT.
      const ids =
        category === 'AE'
          ? sellerTaxId && Boolean(buyer.vatId || buyer.legalRegistrationId)
          : category === 'K'
            ? Boolean(seller.vatId) && Boolean(buyer.vatId)
            : category === 'G'
              ? Boolean(seller.vatId)
              : category === 'O'
                ? !seller.vatId && !buyer.vatId
                : sellerTaxId;
      if (!ids) fail(`${prefix}-${numbered[item.kind]}`, idMessage(category, item.label));

      const p = item.tax.percentage;
      const rateOk =
        rules.rate === 'none'
          ? p === null
          : rules.rate === 'zero'
            ? p !== null && dec(p).isZero()
            : p !== null && dec(p).gt(0);
      if (!rateOk) {
        const wanted =
          rules.rate === 'none' ? 'no VAT rate' : rules.rate === 'zero' ? 'a VAT rate of 0' : 'a VAT rate above 0';
        fail(
          `${prefix}-${rateNumbered[item.kind]}`,
          `The "${name}" ${item.label} must have ${wanted}, not ${p ?? 'none'}.`,
        );
      }
    }

    for (const s of breakdowns) {
      // Taxable amount = its lines − its allowances + its charges (per rate for S).
      const members = mine.filter((item) => category !== 'S' || item.tax.percentage === s.percentage);
      const expected = sum(members.map((item) => item.signedAmount));
      if (!s.taxableAmount.eq(expected))
        fail(
          `${prefix}-08`,
          `The "${name}" ${s.percentage ?? ''} taxable amount ${text(s.taxableAmount)} is not its items' ${text(expected)}.`,
        );
      if (category === 'S') {
        const tax = s.percentage && round ? round(s.taxableAmount.times(s.percentage).div(100)) : null;
        if (round && (!tax || s.taxAmount.minus(tax).abs().gt(unit)))
          fail('BR-S-09', `The "Standard rated" ${s.percentage}% VAT ${text(s.taxAmount)} is not taxable × rate.`);
      } else if (!s.taxAmount.isZero())
        fail(`${prefix}-09`, `The "${name}" VAT amount must be 0, not ${text(s.taxAmount)}.`);
      if (rules.reason === 'forbidden' && s.exemptionReason)
        fail(`${prefix}-10`, `A "${name}" VAT breakdown must not have an exemption reason.`);
      if (rules.reason === 'required' && !s.exemptionReason)
        fail(`${prefix}-10`, `A "${name}" VAT breakdown needs an exemption reason (BT-120).`);
    }
  }

  if (model.taxSubtotals.some((s) => s.category === 'K')) {
    if (!model.invoicePeriod)
      fail('BR-IC-11', 'An intra-community supply needs the actual delivery date or the invoicing period (BG-14).');
    if (!model.deliveryCountry) fail('BR-IC-12', 'An intra-community supply needs the deliver-to country (BT-80).');
  }
  if (model.taxSubtotals.some((s) => s.category === 'O')) {
    if (model.taxSubtotals.some((s) => s.category !== 'O'))
      fail('BR-O-11', 'A "Not subject to VAT" invoice may not have other VAT breakdowns.');
    const others = { line: 'BR-O-12', allowance: 'BR-O-13', charge: 'BR-O-14' } as const;
    for (const item of items)
      if (item.tax.category !== 'O')
        fail(others[item.kind], `A "Not subject to VAT" invoice may not have the ${item.tax.category} ${item.label}.`);
  }
}

function idMessage(category: VatCategory, label: string): string {
  switch (category) {
    case 'AE':
      return `Reverse charge (${label}) needs the seller's VAT or tax registration id and the buyer's VAT or legal registration id.`;
    case 'K':
      return `An intra-community supply (${label}) needs the seller's and the buyer's VAT ids.`;
    case 'G':
      return `An export (${label}) needs the seller's VAT id.`;
    case 'O':
      return `Outside the scope of VAT (${label}), neither the seller's nor the buyer's VAT id may appear.`;
    default:
      return `A ${category} ${label} needs the seller's VAT id or tax registration id.`;
  }
}
