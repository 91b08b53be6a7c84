import { describe, expect, test } from 'vitest';
import type { TaxRateRef, VatCategory } from '../invoicing/totals';
import { dec } from '../money/money';
import { checkEn16931, EInvoiceError, supportsEn16931 } from './en16931-checks';
import type { InvoiceDocument } from './types';
import { buildUblModel, type UblModel } from './ubl-model';

const rate = (category: VatCategory, percentage: string, exemptionReason: string | null = null): TaxRateRef => ({
  id: `txr_${category}${percentage}`,
  category,
  percentage,
  exemptionReason,
});
const S19 = rate('S', '19');
const REASONS: Partial<Record<VatCategory, string>> = {
  E: 'Exempt under article 132',
  AE: 'Reverse charge',
  K: 'Intra-community supply',
  G: 'Export outside the EU',
  O: 'Not subject to VAT',
};

/** A valid document whose line, document allowance and document charge are of `category` (plus an S line). */
function documentWith(category: VatCategory): InvoiceDocument {
  const r = rate(category, category === 'S' ? '7' : '0', REASONS[category] ?? null);
  const lines = [
    { quantity: '2', unitPrice: '50', taxRate: r },
    ...(category === 'O' ? [] : [{ quantity: '1', unitPrice: '100', taxRate: S19 }]),
  ];
  return {
    kind: 'invoice',
    number: 'INV-2026-000001',
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    currency: 'EUR',
    tax_behavior: 'exclusive',
    seller: {
      name: 'Arbor Test GmbH',
      address: { line1: 'Hauptstr. 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
      tax_id: 'DE123456789',
      peppol_id: { scheme: '9930', id: 'DE123456789' },
      iban: 'DE89370400440532013000',
    },
    buyer: {
      name: 'Client BV',
      address: { line1: 'Kerkstraat 2', city: 'Amsterdam', postal_code: '1017 GA', country: 'NL' },
      tax_id: 'NL123456789B01',
      email: 'ap@client.example',
    },
    buyer_reference: 'PO-77',
    po_number: null,
    notes: null,
    payment_reference: 'INV-2026-000001',
    input: {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines,
      allowancesCharges: [
        { kind: 'allowance', amount: '10', reason: 'Loyalty', taxRate: r },
        { kind: 'charge', amount: '5', reason: 'Freight', taxRate: r },
      ],
    },
    line_descriptions: lines.map((_, i) => `Item ${i + 1}`),
    line_units: lines.map(() => 'C62'),
    service_period: { start: '2026-02-01', end: '2026-02-28' },
  };
}

const model = (category: VatCategory = 'S'): UblModel => buildUblModel(documentWith(category));
const rules = (m: UblModel) => checkEn16931(m).map((v) => v.rule);

describe('checkEn16931 passes what buildUblModel makes', () => {
  for (const category of ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as VatCategory[]) {
    test(`a valid invoice with category ${category}`, () => {
      expect(checkEn16931(model(category))).toEqual([]);
    });
  }
});

/** [rule, category of the base model, how to break it]. Each case proves its check fires. */
const BREAKS: [string, VatCategory, (m: UblModel) => void][] = [
  ['currency_not_supported_by_en16931', 'S', (m) => (m.currency = 'KWD')],
  ['BR-01', 'S', (m) => (m.customizationId = '')],
  ['BR-02', 'S', (m) => (m.number = ' ')],
  ['BR-03', 'S', (m) => (m.issueDate = '')],
  ['BR-04', 'S', (m) => (m.typeCode = '')],
  ['BR-05', 'S', (m) => (m.currency = '')],
  ['BR-06', 'S', (m) => (m.seller.name = '')],
  ['BR-07', 'S', (m) => (m.buyer.name = '')],
  ['BR-08', 'S', (m) => (m.seller.address = null)],
  ['BR-09', 'S', (m) => (m.seller.address!.country = null)],
  ['BR-10', 'S', (m) => (m.buyer.address = null)],
  ['BR-11', 'S', (m) => (m.buyer.address!.country = null)],
  ['BR-12', 'S', (m) => (m.totals.lineExtension = null)],
  ['BR-13', 'S', (m) => (m.totals.taxExclusive = null)],
  ['BR-14', 'S', (m) => (m.totals.taxInclusive = null)],
  ['BR-15', 'S', (m) => (m.totals.payable = null)],
  ['BR-16', 'S', (m) => (m.lines = [])],
  ['BR-21', 'S', (m) => (m.lines[0]!.id = '')],
  ['BR-22', 'S', (m) => (m.lines[0]!.quantity = '')],
  ['BR-23', 'S', (m) => (m.lines[0]!.unitCode = '')],
  ['BR-25', 'S', (m) => (m.lines[0]!.name = '')],
  ['BR-26', 'S', (m) => (m.lines[0]!.price = '')],
  ['BR-27', 'S', (m) => (m.lines[0]!.price = '-1')],
  ['BR-33', 'S', (m) => (m.allowancesCharges[0]!.reason = null)],
  ['BR-38', 'S', (m) => (m.allowancesCharges[1]!.reason = null)],
  [
    'BR-42',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: false,
        reason: null,
        percent: null,
        amount: dec(0),
        baseAmount: null,
      }),
  ],
  [
    'BR-44',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: true,
        reason: null,
        percent: null,
        amount: dec(0),
        baseAmount: null,
      }),
  ],
  ['BR-48', 'S', (m) => (m.taxSubtotals[0]!.percentage = null)],
  ['BR-CO-09', 'S', (m) => (m.buyer.vatId = '123456789')],
  ['BR-CO-10', 'S', (m) => (m.lines[0]!.netAmount = m.lines[0]!.netAmount.plus('0.01'))],
  ['BR-CO-11', 'S', (m) => (m.totals.allowanceTotal = dec('9.99'))],
  ['BR-CO-12', 'S', (m) => (m.totals.chargeTotal = null)],
  ['BR-CO-13', 'S', (m) => (m.totals.taxExclusive = m.totals.taxExclusive!.plus(1))],
  ['BR-CO-14', 'S', (m) => (m.taxTotal = m.taxTotal!.plus('0.01'))],
  ['BR-CO-15', 'S', (m) => (m.totals.taxInclusive = m.totals.taxInclusive!.minus('0.01'))],
  ['BR-CO-16', 'S', (m) => (m.totals.prepaid = dec('1.00'))],
  ['BR-CO-17', 'S', (m) => (m.taxSubtotals[0]!.taxAmount = m.taxSubtotals[0]!.taxAmount.plus('0.02'))],
  ['BR-CO-18', 'S', (m) => (m.taxSubtotals = [])],
  ['BR-DEC-01', 'S', (m) => (m.allowancesCharges[0]!.amount = dec('10.001'))],
  ['BR-DEC-02', 'S', (m) => (m.allowancesCharges[0]!.baseAmount = dec('1.001'))],
  ['BR-DEC-05', 'S', (m) => (m.allowancesCharges[1]!.amount = dec('5.001'))],
  ['BR-DEC-06', 'S', (m) => (m.allowancesCharges[1]!.baseAmount = dec('1.001'))],
  ['BR-DEC-09', 'S', (m) => (m.totals.lineExtension = dec('1.001'))],
  ['BR-DEC-10', 'S', (m) => (m.totals.allowanceTotal = dec('1.001'))],
  ['BR-DEC-11', 'S', (m) => (m.totals.chargeTotal = dec('1.001'))],
  ['BR-DEC-12', 'S', (m) => (m.totals.taxExclusive = dec('1.001'))],
  ['BR-DEC-13', 'S', (m) => (m.taxTotal = dec('1.001'))],
  ['BR-DEC-14', 'S', (m) => (m.totals.taxInclusive = dec('1.001'))],
  ['BR-DEC-16', 'S', (m) => (m.totals.prepaid = dec('1.001'))],
  ['BR-DEC-18', 'S', (m) => (m.totals.payable = dec('1.001'))],
  ['BR-DEC-19', 'S', (m) => (m.taxSubtotals[0]!.taxableAmount = dec('1.001'))],
  ['BR-DEC-20', 'S', (m) => (m.taxSubtotals[0]!.taxAmount = dec('1.001'))],
  ['BR-DEC-23', 'S', (m) => (m.lines[0]!.netAmount = dec('1.001'))],
  [
    'BR-DEC-24',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: false,
        reason: 'x',
        percent: null,
        amount: dec('0.001'),
        baseAmount: null,
      }),
  ],
  [
    'BR-DEC-25',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: false,
        reason: 'x',
        percent: '1',
        amount: dec('0'),
        baseAmount: dec('0.001'),
      }),
  ],
  [
    'BR-DEC-27',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: true,
        reason: 'x',
        percent: null,
        amount: dec('0.001'),
        baseAmount: null,
      }),
  ],
  [
    'BR-DEC-28',
    'S',
    (m) =>
      m.lines[0]!.allowancesCharges.push({
        charge: true,
        reason: 'x',
        percent: '1',
        amount: dec('0'),
        baseAmount: dec('0.001'),
      }),
  ],
  // Standard rated.
  ['BR-S-01', 'S', (m) => (m.taxSubtotals = m.taxSubtotals.filter((s) => s.category !== 'S'))],
  ['BR-S-02', 'S', (m) => (m.seller.vatId = null)],
  ['BR-S-03', 'S', (m) => (m.seller.vatId = null)],
  ['BR-S-04', 'S', (m) => (m.seller.vatId = null)],
  ['BR-S-05', 'S', (m) => (m.lines[0]!.tax.percentage = '0')],
  ['BR-S-06', 'S', (m) => (m.allowancesCharges[0]!.tax.percentage = '0')],
  ['BR-S-07', 'S', (m) => (m.allowancesCharges[1]!.tax.percentage = '0')],
  ['BR-S-08', 'S', (m) => (m.taxSubtotals[0]!.taxableAmount = m.taxSubtotals[0]!.taxableAmount.plus(1))],
  ['BR-S-09', 'S', (m) => (m.taxSubtotals[0]!.taxAmount = m.taxSubtotals[0]!.taxAmount.plus(1))],
  ['BR-S-10', 'S', (m) => (m.taxSubtotals[0]!.exemptionReason = 'Because')],
  ...categoryBreaks('Z', 'BR-Z'),
  ...categoryBreaks('E', 'BR-E'),
  ...categoryBreaks('AE', 'BR-AE'),
  ...categoryBreaks('K', 'BR-IC'),
  ...categoryBreaks('G', 'BR-G'),
  ...categoryBreaks('O', 'BR-O'),
  [
    'BR-AE-02',
    'AE',
    (m) => {
      m.buyer.vatId = null;
      m.buyer.legalRegistrationId = null;
    },
  ],
  ['BR-IC-02', 'K', (m) => (m.buyer.vatId = null)],
  ['BR-IC-11', 'K', (m) => (m.invoicePeriod = null)],
  ['BR-IC-12', 'K', (m) => (m.deliveryCountry = null)],
  [
    'BR-G-02',
    'G',
    (m) => {
      m.seller.vatId = null;
      m.seller.taxRegistrationId = 'HRB 1234';
    },
  ],
  ['BR-O-11', 'O', (m) => m.taxSubtotals.push({ ...m.taxSubtotals[0]!, category: 'S', percentage: '19' })],
  ['BR-O-12', 'O', (m) => (m.lines[0]!.tax = { category: 'S', percentage: '19' })],
  ['BR-O-13', 'O', (m) => (m.allowancesCharges[0]!.tax = { category: 'S', percentage: '19' })],
  ['BR-O-14', 'O', (m) => (m.allowancesCharges[1]!.tax = { category: 'S', percentage: '19' })],
];

/** The rules every non-S category shares: -01, -02..04 (identifiers), -05..07 (rate), -08, -09, -10. */
function categoryBreaks(category: VatCategory, prefix: string): [string, VatCategory, (m: UblModel) => void][] {
  const subtotal = (m: UblModel) => m.taxSubtotals.find((s) => s.category === category)!;
  const line = (m: UblModel) => m.lines.find((l) => l.tax.category === category)!;
  // O forbids VAT ids; the others need the seller's.
  const breakIds = (m: UblModel) => {
    if (category === 'O') m.seller.vatId = 'DE123456789';
    else {
      m.seller.vatId = null;
      m.seller.taxRegistrationId = null;
    }
  };
  const wrongRate = category === 'O' ? '0' : '5';
  return [
    [`${prefix}-01`, category, (m) => (m.taxSubtotals = m.taxSubtotals.filter((s) => s.category !== category))],
    [`${prefix}-01`, category, (m) => m.taxSubtotals.push({ ...subtotal(m) })],
    [`${prefix}-02`, category, breakIds],
    [`${prefix}-03`, category, breakIds],
    [`${prefix}-04`, category, breakIds],
    [`${prefix}-05`, category, (m) => (line(m).tax.percentage = wrongRate)],
    [`${prefix}-06`, category, (m) => (m.allowancesCharges[0]!.tax.percentage = wrongRate)],
    [`${prefix}-07`, category, (m) => (m.allowancesCharges[1]!.tax.percentage = wrongRate)],
    [`${prefix}-08`, category, (m) => (subtotal(m).taxableAmount = subtotal(m).taxableAmount.plus(1))],
    [`${prefix}-09`, category, (m) => (subtotal(m).taxAmount = dec('0.01'))],
    [`${prefix}-10`, category, (m) => (subtotal(m).exemptionReason = category === 'Z' ? 'Because' : null)],
  ];
}

describe('each EN 16931 check fires on a model built to break it', () => {
  test.each(BREAKS.map(([rule, category, breakIt], i) => ({ rule, category, breakIt, i })))(
    '$rule ($category, case $i)',
    ({ rule, category, breakIt }) => {
      const m = model(category);
      breakIt(m);
      expect(rules(m)).toContain(rule);
    },
  );
});

describe('currencies', () => {
  test('EN 16931 takes currencies of at most 2 minor digits', () => {
    expect(['EUR', 'JPY', 'SEK'].map(supportsEn16931)).toEqual([true, true, true]);
    expect(['KWD', 'BHD', 'TND', 'XYZ'].map(supportsEn16931)).toEqual([false, false, false, false]);
  });

  test('the error carries the API code for an unsupported currency', () => {
    const error = new EInvoiceError([{ rule: 'currency_not_supported_by_en16931', message: 'KWD' }]);
    expect(error.code).toBe('currency_not_supported_by_en16931');
    expect(new EInvoiceError([{ rule: 'BR-CO-10', message: 'x' }]).code).toBe('einvoice_invalid');
  });
});
