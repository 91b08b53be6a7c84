import {
  computeTotals,
  netAmounts,
  normalizePercentage,
  type Totals,
  taxGroupKey,
  type VatCategory,
} from '../invoicing/totals';
import { type Decimal, dec, roundMoney, sum } from '../money/money';
import type { InvoiceDocument, Party } from './types';

// The computed content of a UBL 2.1 Peppol BIS Billing 3.0 document, before serialization: what the
// EN 16931 checks inspect and what ubl.ts writes. Business terms (BT-/BG-) in comments.

export const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

export interface UblAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  postalCode: string | null;
  region: string | null;
  /** BT-40 / BT-55. */
  country: string | null;
}

export interface UblParty {
  /** BT-34 / BT-49: electronic address with its EAS scheme. */
  endpoint: { scheme: string; id: string } | null;
  /** BT-27 / BT-44. */
  name: string;
  /** BG-5 / BG-8. */
  address: UblAddress | null;
  /** BT-31 / BT-48. */
  vatId: string | null;
  /** BT-32 (seller only): a tax registration that is not a VAT id. */
  taxRegistrationId: string | null;
  /** BT-30 / BT-47. */
  legalRegistrationId: string | null;
  email: string | null;
}

export interface UblTaxCategory {
  category: VatCategory;
  /** Normalized rate; null for category O, which carries none (BR-O-05..07, BR-48). */
  percentage: string | null;
}

export interface UblAllowanceCharge {
  charge: boolean;
  reason: string | null;
  /** BT-94/BT-101 (document) or BT-138/BT-143 (line). */
  percent: string | null;
  amount: Decimal;
  baseAmount: Decimal | null;
}

export interface UblDocumentAllowanceCharge extends UblAllowanceCharge {
  tax: UblTaxCategory;
}

export interface UblLine {
  id: string;
  quantity: string;
  unitCode: string;
  /** BT-131. */
  netAmount: Decimal;
  name: string;
  /** BT-146 item net price and BT-149 its base quantity. */
  price: string;
  baseQuantity: string | null;
  allowancesCharges: UblAllowanceCharge[];
  tax: UblTaxCategory;
}

export interface UblTaxSubtotal {
  taxableAmount: Decimal;
  taxAmount: Decimal;
  category: VatCategory;
  percentage: string | null;
  exemptionReason: string | null;
}

export interface UblTotals {
  lineExtension: Decimal | null; // BT-106
  taxExclusive: Decimal | null; // BT-109
  taxInclusive: Decimal | null; // BT-112
  allowanceTotal: Decimal | null; // BT-107
  chargeTotal: Decimal | null; // BT-108
  prepaid: Decimal | null; // BT-113
  payable: Decimal | null; // BT-115
}

export interface UblModel {
  customizationId: string;
  profileId: string;
  kind: 'invoice' | 'credit_note';
  /** BT-3: 380 commercial invoice, 381 credit note. */
  typeCode: string;
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  note: string | null;
  buyerReference: string | null;
  orderReference: string | null;
  invoicePeriod: { start: string; end: string } | null;
  billingReference: { number: string; issueDate: string } | null;
  seller: UblParty;
  buyer: UblParty;
  /** BT-80, only where a rule needs it (intra-community supply). */
  deliveryCountry: string | null;
  payment: { meansCode: string; paymentId: string | null; iban: string | null; bic: string | null } | null;
  allowancesCharges: UblDocumentAllowanceCharge[];
  taxTotal: Decimal | null;
  taxSubtotals: UblTaxSubtotal[];
  totals: UblTotals;
  lines: UblLine[];
}

const blank = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null);

/** ISO 3166-1 alpha-2 prefix (Greece uses EL): the shape of a VAT id (BR-CO-09). */
export const VAT_ID = /^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/;

/**
 * The Peppol EAS scheme of a VAT id by its country prefix (EAS code list): a party without a Peppol
 * participant id is addressed by its VAT id. Peppol refuses the e-mail scheme "EM" (PEPPOL-EN16931-CL008).
 */
const VAT_EAS: Record<string, string> = {
  HU: '9910',
  AT: '9914',
  ES: '9920',
  AD: '9922',
  AL: '9923',
  BA: '9924',
  BE: '9925',
  BG: '9926',
  CH: '9927',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  GB: '9932',
  EL: '9933',
  HR: '9934',
  IE: '9935',
  LI: '9936',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MC: '9940',
  ME: '9941',
  MK: '9942',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  RS: '9948',
  SI: '9949',
  SK: '9950',
  SM: '9951',
  TR: '9952',
  VA: '9953',
  FR: '9957',
};

export function endpointOf(peppolId: { scheme: string; id: string } | null | undefined, vatId: string | null) {
  if (peppolId) return { ...peppolId };
  const scheme = vatId ? VAT_EAS[vatId.slice(0, 2)] : undefined;
  return scheme && vatId ? { scheme, id: vatId } : null;
}

function partyOf(party: Party, role: 'seller' | 'buyer', withVatId: boolean): UblParty {
  const taxId = blank(party.tax_id)?.replace(/\s+/g, '') ?? null;
  const isVatId = taxId !== null && VAT_ID.test(taxId);
  const email = blank(party.email);
  const a = party.address;
  const address: UblAddress = {
    line1: blank(a.line1),
    line2: blank(a.line2),
    city: blank(a.city),
    postalCode: blank(a.postal_code),
    region: blank(a.region),
    country: blank(a.country)?.toUpperCase() ?? null,
  };
  return {
    // Peppol needs an electronic address: the participant id, else the VAT id in its country's EAS scheme.
    endpoint: endpointOf(party.peppol_id, isVatId ? taxId : null),
    name: party.name.trim(),
    address,
    vatId: isVatId && withVatId ? taxId : null,
    taxRegistrationId: role === 'seller' && taxId && !isVatId ? taxId : null,
    legalRegistrationId: role === 'buyer' && taxId && !isVatId ? taxId : null,
    email,
  };
}

function taxCategoryOf(category: VatCategory, percentage: string): UblTaxCategory {
  return { category, percentage: category === 'O' ? null : normalizePercentage(percentage) };
}

/** Stored tax per group replaces the computed one; inclusive groups then keep their gross. */
function withStoredTax(doc: InvoiceDocument, totals: Totals): Totals {
  if (!doc.tax_amounts?.length) return totals;
  const stored = new Map(doc.tax_amounts.map((t) => [taxGroupKey(t.category, t.percentage), dec(t.tax_amount)]));
  const taxBreakdown = totals.taxBreakdown.map((g) => {
    const taxAmount = stored.get(taxGroupKey(g.category, g.percentage));
    if (!taxAmount) return g;
    const taxableAmount =
      doc.tax_behavior === 'inclusive' ? g.taxableAmount.plus(g.taxAmount).minus(taxAmount) : g.taxableAmount;
    return { ...g, taxableAmount, taxAmount };
  });
  const taxTotal = sum(taxBreakdown.map((g) => g.taxAmount));
  const total = doc.tax_behavior === 'inclusive' ? totals.total : totals.total.minus(totals.taxTotal).plus(taxTotal);
  return { ...totals, taxBreakdown, taxTotal, total };
}

/**
 * Net unit price of an inclusive line from its net amount, exactly: per original base quantity when that
 * terminates within 6 decimals, else the net amount per the whole quantity (so BT-131 = qty × price ÷ base).
 */
function inclusiveNetPrice(net: Decimal, quantity: string, baseQuantity: string): { price: string; base: string } {
  const q = dec(quantity);
  if (q.isZero()) return { price: '0', base: baseQuantity };
  const perBase = net.times(baseQuantity).div(q);
  if (perBase.decimalPlaces() <= 6) return { price: perBase.toFixed(), base: baseQuantity };
  return { price: (q.isNegative() ? net.neg() : net).toFixed(), base: q.abs().toFixed() };
}

export function buildUblModel(doc: InvoiceDocument): UblModel {
  const { input, currency } = doc;
  const totals = withStoredTax(doc, computeTotals(input));
  const net = netAmounts(input, totals);
  const inclusive = doc.tax_behavior === 'inclusive';
  const categories = new Set([
    ...input.lines.map((l) => l.taxRate.category),
    ...(input.allowancesCharges ?? []).map((ac) => ac.taxRate.category),
  ]);
  // Outside the scope of VAT, no VAT ids may appear (BR-O-02..04).
  const withVatIds = !categories.has('O');

  const lines: UblLine[] = input.lines.map((line, i) => {
    const computed = totals.lines[i]!;
    const netAmount = net.lines[i]!;
    const base = line.priceBaseQuantity ?? '1';
    const tax = taxCategoryOf(line.taxRate.category, line.taxRate.percentage);
    const common = {
      id: String(i + 1),
      quantity: dec(line.quantity).toFixed(),
      unitCode: doc.line_units[i] ?? 'C62',
      netAmount,
      name: doc.line_descriptions[i] ?? '',
      tax,
    };
    if (inclusive) {
      // Line allowances and charges of an inclusive line are already inside its net amount.
      const { price, base: baseQuantity } = inclusiveNetPrice(netAmount, line.quantity, base);
      return { ...common, price, baseQuantity, allowancesCharges: [] };
    }
    const adjustments = [
      ...(line.discountPercent != null
        ? [{ kind: 'allowance' as const, amount: null, percent: line.discountPercent, base: null, reason: 'Discount' }]
        : []),
      ...(line.allowancesCharges ?? []),
    ];
    return {
      ...common,
      price: dec(line.unitPrice).toFixed(),
      baseQuantity: line.priceBaseQuantity != null ? dec(line.priceBaseQuantity).toFixed() : null,
      allowancesCharges: adjustments.map((ac, j) => ({
        charge: ac.kind === 'charge',
        reason: blank(ac.reason) ?? (ac.kind === 'charge' ? 'Charge' : 'Discount'),
        percent: ac.amount == null && ac.percent != null ? normalizePercentage(ac.percent) : null,
        amount: computed.allowancesCharges[j]!,
        baseAmount: ac.amount == null && ac.percent != null ? roundMoney(ac.base ?? computed.gross, currency) : null,
      })),
    };
  });

  const allowancesCharges: UblDocumentAllowanceCharge[] = (input.allowancesCharges ?? []).map((ac, i) => {
    // A percent describes the tax-inclusive amount; the net amount of an inclusive invoice is not base × percent.
    const withPercent = !inclusive && ac.amount == null && ac.percent != null;
    return {
      charge: ac.kind === 'charge',
      reason: blank(ac.reason) ?? (ac.kind === 'charge' ? 'Charge' : 'Discount'),
      percent: withPercent ? normalizePercentage(ac.percent!) : null,
      amount: net.documentAllowancesCharges[i]!,
      baseAmount: withPercent ? roundMoney(ac.base ?? totals.subtotal, currency) : null,
      tax: taxCategoryOf(ac.taxRate.category, ac.taxRate.percentage),
    };
  });
  const allowanceTotal = sum(allowancesCharges.filter((ac) => !ac.charge).map((ac) => ac.amount));
  const chargeTotal = sum(allowancesCharges.filter((ac) => ac.charge).map((ac) => ac.amount));
  const lineExtension = sum(lines.map((l) => l.netAmount));
  const taxExclusive = lineExtension.minus(allowanceTotal).plus(chargeTotal);

  const seller = partyOf(doc.seller, 'seller', withVatIds);
  const buyer = partyOf(doc.buyer, 'buyer', withVatIds);
  const iban = blank(doc.seller.iban)?.replace(/\s+/g, '') ?? null;
  return {
    customizationId: CUSTOMIZATION_ID,
    profileId: PROFILE_ID,
    kind: doc.kind,
    typeCode: doc.kind === 'invoice' ? '380' : '381',
    number: doc.number,
    issueDate: doc.issue_date,
    dueDate: doc.due_date,
    currency,
    note: blank(doc.notes),
    buyerReference: blank(doc.buyer_reference),
    orderReference: blank(doc.po_number),
    invoicePeriod: doc.service_period ?? null,
    billingReference: doc.invoice_reference
      ? { number: doc.invoice_reference.number, issueDate: doc.invoice_reference.issue_date }
      : null,
    seller,
    buyer,
    // Intra-community supplies are delivered to the buyer's country unless told otherwise.
    deliveryCountry: categories.has('K') ? (buyer.address?.country ?? null) : null,
    // 30 = credit transfer; only invoices ask for payment.
    payment:
      doc.kind === 'invoice' && iban
        ? { meansCode: '30', paymentId: blank(doc.payment_reference), iban, bic: blank(doc.seller.bic) }
        : null,
    allowancesCharges,
    taxTotal: totals.taxTotal,
    taxSubtotals: totals.taxBreakdown.map((g) => ({
      taxableAmount: g.taxableAmount,
      taxAmount: g.taxAmount,
      category: g.category,
      percentage: g.category === 'O' ? null : g.percentage,
      // S and Z must not carry an exemption reason (BR-S-10, BR-Z-10).
      exemptionReason: g.category === 'S' || g.category === 'Z' ? null : blank(g.exemptionReason),
    })),
    totals: {
      lineExtension,
      taxExclusive,
      taxInclusive: taxExclusive.plus(totals.taxTotal),
      allowanceTotal: allowancesCharges.some((ac) => !ac.charge) ? allowanceTotal : null,
      chargeTotal: allowancesCharges.some((ac) => ac.charge) ? chargeTotal : null,
      prepaid: null,
      payable: taxExclusive.plus(totals.taxTotal),
    },
    lines,
  };
}
