import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { creditByLines, creditedLineAmount } from '../invoicing/credit-note-amounts';
import {
  computeTotals,
  type LineIn,
  netAmounts,
  type TaxRateRef,
  type TotalsInput,
  type VatCategory,
} from '../invoicing/totals';
import { dec, formatAmount } from '../money/money';
import { EInvoiceError } from './en16931-checks';
import type { InvoiceDocument } from './types';
import { renderUbl } from './ubl';
import { CUSTOMIZATION_ID, PROFILE_ID } from './ubl-model';

const rate = (category: VatCategory, percentage: string, exemptionReason: string | null = null): TaxRateRef => ({
  id: `txr_${category}${percentage}`,
  category,
  percentage,
  exemptionReason,
});
const S19 = rate('S', '19');
const S7 = rate('S', '7');
const Z0 = rate('Z', '0');
const E0 = rate('E', '0', 'Exempt under article 132 of Directive 2006/112/EC');

function documentOf(input: TotalsInput, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    number: 'INV-2026-000042',
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    currency: input.currency,
    tax_behavior: input.taxBehavior,
    seller: {
      name: 'Müller & Söhne <GmbH>',
      email: 'billing@mueller.example',
      address: { line1: 'Hauptstr. 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
      tax_id: 'DE123456789',
      peppol_id: { scheme: '9930', id: 'DE123456789' },
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
    },
    buyer: {
      name: 'Client BV',
      email: 'ap@client.example',
      address: { line1: 'Kerkstraat 2', city: 'Amsterdam', postal_code: '1017 GA', country: 'NL' },
      tax_id: 'NL123456789B01',
    },
    buyer_reference: 'PO-77',
    po_number: 'PO-77',
    notes: 'Thank you for your business.',
    payment_reference: 'INV-2026-000042',
    input,
    line_descriptions: input.lines.map((_, i) => `Item ${i + 1}`),
    line_units: input.lines.map(() => 'C62'),
    service_period: null,
    ...overrides,
  };
}

type Node = Record<string, any>;
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) =>
    ['InvoiceLine', 'CreditNoteLine', 'AllowanceCharge', 'TaxSubtotal', 'PartyTaxScheme'].includes(name),
});
const text = (node: unknown): string | undefined =>
  node == null ? undefined : typeof node === 'object' ? text((node as Node)['#text']) : String(node);

function read(xml: string): Node {
  const parsed = parser.parse(xml) as Node;
  return parsed.Invoice ?? parsed.CreditNote;
}

/** Recomputes the document from its own UBL (net amounts, exclusive): what a receiver's validator does. */
function inputFromUbl(root: Node): TotalsInput {
  const taxRate = (c: Node): TaxRateRef => rate(text(c.ID) as VatCategory, text(c.Percent) ?? '0');
  const ac = (n: Node) => ({
    kind: text(n.ChargeIndicator) === 'true' ? ('charge' as const) : ('allowance' as const),
    ...(n.MultiplierFactorNumeric != null
      ? { percent: text(n.MultiplierFactorNumeric)!, base: text(n.BaseAmount)! }
      : { amount: text(n.Amount)! }),
  });
  const lines: LineIn[] = ((root.InvoiceLine ?? root.CreditNoteLine) as Node[]).map((l) => ({
    quantity: text(l.InvoicedQuantity ?? l.CreditedQuantity)!,
    unitPrice: text(l.Price.PriceAmount)!,
    priceBaseQuantity: text(l.Price.BaseQuantity) ?? null,
    allowancesCharges: ((l.AllowanceCharge ?? []) as Node[]).map(ac),
    taxRate: taxRate(l.Item.ClassifiedTaxCategory),
  }));
  return {
    currency: text(root.DocumentCurrencyCode)!,
    taxBehavior: 'exclusive',
    lines,
    allowancesCharges: ((root.AllowanceCharge ?? []) as Node[]).map((n) => ({
      ...ac(n),
      taxRate: taxRate(n.TaxCategory),
    })),
  };
}

function monetary(root: Node) {
  const m = root.LegalMonetaryTotal as Node;
  return {
    lineExtension: text(m.LineExtensionAmount),
    taxExclusive: text(m.TaxExclusiveAmount),
    taxInclusive: text(m.TaxInclusiveAmount),
    allowanceTotal: text(m.AllowanceTotalAmount),
    chargeTotal: text(m.ChargeTotalAmount),
    payable: text(m.PayableAmount),
    taxTotal: text(root.TaxTotal.TaxAmount),
  };
}

function subtotals(root: Node) {
  return (root.TaxTotal.TaxSubtotal as Node[]).map(
    (s) =>
      `${text(s.TaxCategory.ID)} ${text(s.TaxCategory.Percent) ?? '-'}: ${text(s.TaxableAmount)} ${text(s.TaxAmount)}${s.TaxCategory.TaxExemptionReason ? ' (reason)' : ''}`,
  );
}

const MIXED: TotalsInput = {
  currency: 'EUR',
  taxBehavior: 'exclusive',
  lines: [
    { quantity: '3', unitPrice: '19.99', discountPercent: '10', taxRate: S19 }, // 59.97 − 6.00 = 53.97
    {
      quantity: '1500',
      unitPrice: '8.80',
      priceBaseQuantity: '100',
      allowancesCharges: [{ kind: 'charge', amount: '2.50', reason: 'Handling' }],
      taxRate: S7,
    }, // 132.00 + 2.50 = 134.50
    { quantity: '2', unitPrice: '12.50', taxRate: Z0 }, // 25.00
    { quantity: '1', unitPrice: '40', taxRate: E0 }, // 40.00
  ],
  allowancesCharges: [
    { kind: 'allowance', percent: '2', reason: 'Early order', taxRate: S19 }, // 2 % of 253.47 = 5.07
    { kind: 'charge', amount: '4.95', reason: 'Freight', taxRate: S7 },
  ],
};

describe('renderUbl', () => {
  test('an exclusive invoice with several VAT categories and allowances/charges parses back with its totals', () => {
    const root = read(renderUbl(documentOf(MIXED)));
    expect(text(root.CustomizationID)).toBe(CUSTOMIZATION_ID);
    expect(text(root.ProfileID)).toBe(PROFILE_ID);
    expect(text(root.InvoiceTypeCode)).toBe('380');
    expect(text(root.AccountingSupplierParty.Party.PartyLegalEntity.RegistrationName)).toBe('Müller & Söhne <GmbH>');
    expect(root.AccountingSupplierParty.Party.EndpointID).toEqual({ '#text': 'DE123456789', '@_schemeID': '9930' });
    // No Peppol id: the buyer is addressed by its VAT id in its country's EAS scheme, never by e-mail ("EM").
    expect(root.AccountingCustomerParty.Party.EndpointID).toEqual({ '#text': 'NL123456789B01', '@_schemeID': '9944' });
    expect(text(root.PaymentMeans.PayeeFinancialAccount.ID)).toBe('DE89370400440532013000');
    expect(monetary(root)).toEqual({
      lineExtension: '253.47',
      taxExclusive: '253.35',
      taxInclusive: '272.40',
      allowanceTotal: '5.07',
      chargeTotal: '4.95',
      payable: '272.40',
      taxTotal: '19.05',
    });
    // S 19: 53.97 − 5.07 = 48.90 → 9.29; S 7: 134.50 + 4.95 = 139.45 → 9.76
    expect(subtotals(root)).toEqual([
      'S 19: 48.90 9.29',
      'S 7: 139.45 9.76',
      'Z 0: 25.00 0.00',
      'E 0: 40.00 0.00 (reason)',
    ]);
    const lines = root.InvoiceLine as Node[];
    expect(lines.map((l) => text(l.LineExtensionAmount))).toEqual(['53.97', '134.50', '25.00', '40.00']);
    expect(lines[0]!.AllowanceCharge[0]).toMatchObject({ ChargeIndicator: 'false', MultiplierFactorNumeric: '10' });
    expect(text(lines[1]!.Price.BaseQuantity)).toBe('100');
  });

  test("a receiver recomputing the UBL's own lines gets the same totals", () => {
    const root = read(renderUbl(documentOf(MIXED)));
    const again = computeTotals(inputFromUbl(root));
    expect(formatAmount(again.subtotal, 'EUR')).toBe(monetary(root).lineExtension);
    expect(formatAmount(again.total, 'EUR')).toBe(monetary(root).taxInclusive);
    expect(
      again.taxBreakdown.map((g) => `${formatAmount(g.taxableAmount, 'EUR')} ${formatAmount(g.taxAmount, 'EUR')}`),
    ).toEqual((root.TaxTotal.TaxSubtotal as Node[]).map((s) => `${text(s.TaxableAmount)} ${text(s.TaxAmount)}`));
  });

  test('an inclusive invoice is written with net amounts that add up to each group', () => {
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'inclusive',
      lines: [
        { quantity: '1', unitPrice: '11.90', taxRate: S19 },
        { quantity: '3', unitPrice: '3.33', taxRate: S19 },
        { quantity: '1', unitPrice: '10.70', discountPercent: '10', taxRate: S7 }, // 10.70 − 1.07 = 9.63
      ],
      allowancesCharges: [{ kind: 'allowance', amount: '1.00', reason: 'Voucher', taxRate: S19 }],
    };
    const totals = computeTotals(input);
    const net = netAmounts(input, totals);
    const root = read(renderUbl(documentOf(input)));
    expect(monetary(root)).toMatchObject({
      lineExtension: formatAmount(
        net.lines.reduce((a, b) => a.plus(b)),
        'EUR',
      ),
      taxInclusive: formatAmount(totals.total, 'EUR'),
      payable: '30.52',
      taxTotal: formatAmount(totals.taxTotal, 'EUR'),
    });
    // S 19 gross 20.89 → tax 3.34; S 7 gross 9.63 → tax 0.63
    expect(subtotals(root)).toEqual(['S 19: 17.55 3.34', 'S 7: 9.00 0.63']);
    const lines = root.InvoiceLine as Node[];
    expect(lines.map((l) => text(l.LineExtensionAmount))).toEqual(['10.00', '8.39', '9.00']);
    expect(lines.map((l) => [text(l.Price.PriceAmount), text(l.Price.BaseQuantity) ?? '1'])).toEqual([
      ['10', '1'],
      ['8.39', '3'], // 8.39 ÷ 3 does not terminate: the net amount per the whole quantity
      ['9', '1'],
    ]);
    expect(text(root.AllowanceCharge[0].Amount)).toBe('0.84');
    // A receiver recomputing the lines finds the same net amounts and taxable amounts.
    const again = computeTotals(inputFromUbl(root));
    expect(again.lines.map((l) => formatAmount(l.amount, 'EUR'))).toEqual(['10.00', '8.39', '9.00']);
    expect(again.taxBreakdown.map((g) => formatAmount(g.taxableAmount, 'EUR'))).toEqual(['17.55', '9.00']);
  });

  test('a credit note is a UBL CreditNote referring to its invoice, with the stored cumulative tax', () => {
    // Invoice line: 3 × 10.00 at 19 %. The first credit note took one unit (3.33 + 0.63); this one the second.
    const first = creditByLines(
      [{ category: 'S', percentage: '19', taxRateId: S19.id, exemptionReason: null, amount: dec('3.33') }],
      [],
      'exclusive',
      'EUR',
    );
    const amount = creditedLineAmount(dec('10.00'), '3', '1', 'EUR');
    const second = creditByLines(
      [{ category: 'S', percentage: '19', taxRateId: S19.id, exemptionReason: null, amount }],
      first.groups,
      'exclusive',
      'EUR',
    );
    expect(second.taxTotal.toFixed(2)).toBe('0.64');
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: amount.toFixed(2), priceBaseQuantity: '1', taxRate: S19 }],
    };
    const doc = documentOf(input, {
      kind: 'credit_note',
      number: 'CN-2026-000002',
      due_date: null,
      invoice_reference: { number: 'INV-2026-000042', issue_date: '2026-03-01' },
      tax_amounts: [{ category: 'S', percentage: '19', tax_amount: second.taxTotal.toFixed(2) }],
    });
    const xml = renderUbl(doc);
    const parsed = parser.parse(xml) as Node;
    expect(parsed.Invoice).toBeUndefined();
    const root = parsed.CreditNote as Node;
    expect(text(root.CreditNoteTypeCode)).toBe('381');
    expect(text(root.BillingReference.InvoiceDocumentReference.ID)).toBe('INV-2026-000042');
    expect(text(root.BillingReference.InvoiceDocumentReference.IssueDate)).toBe('2026-03-01');
    expect(root.PaymentMeans).toBeUndefined();
    expect(text((root.CreditNoteLine as Node[])[0]!.CreditedQuantity)).toBe('1');
    expect(monetary(root)).toMatchObject({
      lineExtension: '3.33',
      taxTotal: '0.64',
      taxInclusive: '3.97',
      payable: '3.97',
    });
  });

  test('JPY amounts have no decimals', () => {
    const input: TotalsInput = {
      currency: 'JPY',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '3', unitPrice: '333.5', taxRate: rate('S', '10') }],
    };
    expect(monetary(read(renderUbl(documentOf(input))))).toMatchObject({
      lineExtension: '1001',
      taxTotal: '100',
      payable: '1101',
    });
  });

  test('a currency with 3 minor digits is refused', () => {
    const input: TotalsInput = {
      currency: 'KWD',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '1', taxRate: S19 }],
    };
    const error = (() => {
      try {
        renderUbl(documentOf(input));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EInvoiceError);
    expect((error as EInvoiceError).code).toBe('currency_not_supported_by_en16931');
    expect((error as EInvoiceError).violations.map((v) => v.rule)).toEqual(['currency_not_supported_by_en16931']);
  });

  test('outside the scope of VAT: no VAT ids, no rates, an exemption reason', () => {
    const O = rate('O', '0', 'Not subject to VAT');
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '25', taxRate: O }],
    };
    const root = read(renderUbl(documentOf(input)));
    expect(root.AccountingSupplierParty.Party.PartyTaxScheme).toBeUndefined();
    expect(root.AccountingCustomerParty.Party.PartyTaxScheme).toBeUndefined();
    expect(root.InvoiceLine[0].Item.ClassifiedTaxCategory.Percent).toBeUndefined();
    expect(subtotals(root)).toEqual(['O -: 25.00 0.00 (reason)']);
  });

  test('an intra-community supply names the deliver-to country and the period', () => {
    const K = rate('K', '0', 'Intra-community supply');
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '25', taxRate: K }],
    };
    const root = read(renderUbl(documentOf(input, { service_period: { start: '2026-02-01', end: '2026-02-28' } })));
    expect(text(root.Delivery.DeliveryLocation.Address.Country.IdentificationCode)).toBe('NL');
    expect(text(root.InvoicePeriod.StartDate)).toBe('2026-02-01');
  });

  test('a document that breaks a rule is refused with the rule', () => {
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '25', taxRate: rate('E', '0') }],
    };
    expect(() => renderUbl(documentOf(input))).toThrow(/BR-E-10/);
    const noVatId = documentOf(MIXED);
    noVatId.seller.tax_id = null;
    expect(() => renderUbl(noVatId)).toThrow(EInvoiceError);
  });
});

describe('renderUbl: properties', () => {
  const rates = [S19, S7, Z0, E0, rate('S', '5.5')];
  const invoiceArb = fc
    .record({
      currency: fc.constantFrom('EUR', 'JPY', 'SEK'),
      taxBehavior: fc.constantFrom('exclusive' as const, 'inclusive' as const),
      lines: fc.array(
        fc.record({
          quantity: fc
            .tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom(1, 2, 4))
            .map(([n, d]) => dec(n).div(d).toFixed()),
          unitPrice: fc.integer({ min: 0, max: 1_000_000 }).map((n) => dec(n).div(100).toFixed()),
          discountPercent: fc.option(fc.integer({ min: 0, max: 50 }).map(String), { nil: null }),
          taxRate: fc.constantFrom(...rates),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      allowancesCharges: fc.array(
        fc.record({
          kind: fc.constantFrom('allowance' as const, 'charge' as const),
          percent: fc.integer({ min: 0, max: 10 }).map(String),
          reason: fc.constant('Adjustment'),
          taxRate: fc.constantFrom(...rates),
        }),
        { maxLength: 2 },
      ),
    })
    .map((input): TotalsInput => input);

  test('every random invoice passes the checks and its UBL states exactly the computed totals', () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const totals = computeTotals(input);
        const root = read(renderUbl(documentOf(input)));
        const c = input.currency;
        expect(monetary(root)).toMatchObject({
          taxInclusive: formatAmount(totals.total, c),
          payable: formatAmount(totals.total, c),
          taxTotal: formatAmount(totals.taxTotal, c),
        });
        const again = computeTotals(inputFromUbl(root));
        // What a receiver recomputes: the same line nets and taxable amounts (exclusive: the same tax too).
        expect(formatAmount(again.subtotal, c)).toBe(monetary(root).lineExtension);
        expect(again.taxBreakdown.map((g) => formatAmount(g.taxableAmount, c))).toEqual(
          totals.taxBreakdown.map((g) => formatAmount(g.taxableAmount, c)),
        );
        if (input.taxBehavior === 'exclusive') expect(formatAmount(again.total, c)).toBe(formatAmount(totals.total, c));
      }),
      { numRuns: 200 },
    );
  });
});
