import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { minorUnits } from '../money/currencies';
import { dec, formatAmount, roundMoney, sum } from '../money/money';
import {
  computeTotals,
  type DocumentAllowanceChargeIn,
  type LineIn,
  netAmounts,
  normalizePercentage,
  type TaxRateRef,
  type Totals,
  type TotalsInput,
} from './totals';

const S19: TaxRateRef = { id: 'txr_s19', category: 'S', percentage: '19', exemptionReason: null };
const S19b: TaxRateRef = { id: 'txr_s19_other', category: 'S', percentage: '19.00', exemptionReason: null };
const S7: TaxRateRef = { id: 'txr_s7', category: 'S', percentage: '7', exemptionReason: null };
const S75: TaxRateRef = { id: 'txr_s75', category: 'S', percentage: '7.5', exemptionReason: null };
const E0: TaxRateRef = { id: 'txr_e', category: 'E', percentage: '0', exemptionReason: 'Exempt under article 132' };
const Z0: TaxRateRef = { id: 'txr_z', category: 'Z', percentage: '0', exemptionReason: null };

const fmt = (totals: Totals, currency: string) => ({
  lines: totals.lines.map((l) => formatAmount(l.amount, currency)),
  subtotal: formatAmount(totals.subtotal, currency),
  allowanceTotal: formatAmount(totals.allowanceTotal, currency),
  chargeTotal: formatAmount(totals.chargeTotal, currency),
  taxTotal: formatAmount(totals.taxTotal, currency),
  total: formatAmount(totals.total, currency),
  taxBreakdown: totals.taxBreakdown.map((g) => ({
    group: `${g.category} ${g.percentage} ${g.taxRateId}`,
    taxable: formatAmount(g.taxableAmount, currency),
    tax: formatAmount(g.taxAmount, currency),
  })),
});

describe('computeTotals: worked examples', () => {
  test('an exclusive invoice with two rates, a discount, line and document allowances and charges', () => {
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [
        // 3 × 19.99 = 59.97; 10 % discount 6.00 (5.997); line 53.97
        { quantity: '3', unitPrice: '19.99', discountPercent: '10', taxRate: S19 },
        // 2.5 × 4.10 ÷ 1 = 10.25; allowance 1.00; charge 5 % of 10.25 = 0.51 (0.5125); line 9.76
        {
          quantity: '2.5',
          unitPrice: '4.10',
          allowancesCharges: [
            { kind: 'allowance', amount: '1' },
            { kind: 'charge', percent: '5' },
          ],
          taxRate: S7,
        },
        // 1500 kWh priced per 100 kWh: 1500 × 8.80 ÷ 100 = 132.00
        { quantity: '1500', unitPrice: '8.80', priceBaseQuantity: '100', taxRate: S19b },
      ],
      allowancesCharges: [
        { kind: 'allowance', percent: '2', taxRate: S19 }, // 2 % of subtotal 195.73 = 3.91 (3.9146)
        { kind: 'charge', amount: '4.95', reason: 'Freight', taxRate: S7 },
      ],
    };
    const totals = computeTotals(input);
    expect(fmt(totals, 'EUR')).toEqual({
      lines: ['53.97', '9.76', '132.00'],
      subtotal: '195.73',
      allowanceTotal: '3.91',
      chargeTotal: '4.95',
      // S 19: 53.97 + 132.00 − 3.91 = 182.06 → 34.5914 → 34.59; S 7: 9.76 + 4.95 = 14.71 → 1.0297 → 1.03
      taxTotal: '35.62',
      total: '232.39',
      taxBreakdown: [
        { group: 'S 19 txr_s19', taxable: '182.06', tax: '34.59' },
        { group: 'S 7 txr_s7', taxable: '14.71', tax: '1.03' },
      ],
    });
    expect(totals.lines[0]!.gross.toFixed(2)).toBe('59.97');
    expect(totals.lines[1]!.allowancesCharges.map((a) => a.toFixed(2))).toEqual(['1.00', '0.51']);
    expect(totals.lines[0]!.allowancesCharges.map((a) => a.toFixed(2))).toEqual(['6.00']);
  });

  test('an inclusive invoice extracts the tax from each group gross once', () => {
    const input: TotalsInput = {
      currency: 'EUR',
      taxBehavior: 'inclusive',
      lines: [
        { quantity: '1', unitPrice: '11.90', taxRate: S19 },
        { quantity: '3', unitPrice: '3.33', taxRate: S19 },
        { quantity: '1', unitPrice: '10.70', taxRate: S7 },
      ],
      allowancesCharges: [{ kind: 'allowance', amount: '1.00', taxRate: S19 }],
    };
    const totals = computeTotals(input);
    // S 19 gross 11.90 + 9.99 − 1.00 = 20.89; tax 20.89 × 19 ÷ 119 = 3.3354 → 3.34; S 7 gross 10.70 → 0.70
    expect(fmt(totals, 'EUR')).toEqual({
      lines: ['11.90', '9.99', '10.70'],
      subtotal: '32.59',
      allowanceTotal: '1.00',
      chargeTotal: '0.00',
      taxTotal: '4.04',
      total: '31.59',
      taxBreakdown: [
        { group: 'S 19 txr_s19', taxable: '17.55', tax: '3.34' },
        { group: 'S 7 txr_s7', taxable: '10.00', tax: '0.70' },
      ],
    });
    // Tax 3.34 shared over 11.90, 9.99, −1.00 in proportion (quotas 1.9026, 1.5973, −0.1599):
    // floors 1.90, 1.59, −0.16 leave 0.01 for the largest remainder, the 9.99 line.
    const net = netAmounts(input, totals);
    expect(net.lines.map((a) => a.toFixed(2))).toEqual(['10.00', '8.39', '10.00']);
    expect(net.documentAllowancesCharges.map((a) => a.toFixed(2))).toEqual(['0.84']);
  });

  test('rate objects with the same category and percentage are one group; the first rate names it', () => {
    const totals = computeTotals({
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [
        { quantity: '1', unitPrice: '0.05', taxRate: E0 },
        { quantity: '1', unitPrice: '10', taxRate: S19b },
        { quantity: '1', unitPrice: '10', taxRate: S19 },
        { quantity: '1', unitPrice: '10', taxRate: Z0 },
        { quantity: '1', unitPrice: '10', taxRate: { ...S75, percentage: '7.50' } },
      ],
    });
    expect(totals.taxBreakdown.map((g) => [g.category, g.percentage, g.taxRateId, g.exemptionReason])).toEqual([
      ['E', '0', 'txr_e', 'Exempt under article 132'],
      ['S', '19', 'txr_s19_other', null],
      ['Z', '0', 'txr_z', null],
      ['S', '7.5', 'txr_s75', null],
    ]);
    expect(normalizePercentage('07.500')).toBe('7.5');
  });

  test('JPY has no minor digits and KWD three', () => {
    const jpy = computeTotals({
      currency: 'JPY',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '3', unitPrice: '333.5', taxRate: { ...S7, percentage: '10' } }], // 1000.5 → 1001
    });
    expect([
      formatAmount(jpy.subtotal, 'JPY'),
      formatAmount(jpy.taxTotal, 'JPY'),
      formatAmount(jpy.total, 'JPY'),
    ]).toEqual(['1001', '100', '1101']);
    const kwd = computeTotals({
      currency: 'KWD',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '1.2345', taxRate: { ...S7, percentage: '5' } }], // 1.235; tax 0.06175 → 0.062
    });
    expect([
      formatAmount(kwd.subtotal, 'KWD'),
      formatAmount(kwd.taxTotal, 'KWD'),
      formatAmount(kwd.total, 'KWD'),
    ]).toEqual(['1.235', '0.062', '1.297']);
  });

  test('rounds half away from zero, also for negative quantities', () => {
    const line = (quantity: string, unitPrice: string): LineIn => ({ quantity, unitPrice, taxRate: S19 });
    const totals = computeTotals({
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [line('1', '0.125'), line('-1', '0.125'), line('1', '0.135'), line('-3', '0.045')],
    });
    expect(totals.lines.map((l) => l.amount.toFixed(2))).toEqual(['0.13', '-0.13', '0.14', '-0.14']);
    // taxable 0.00 → tax 0; a group of −2.50 taxes to round(−0.475) = −0.48
    const refund = computeTotals({ currency: 'EUR', taxBehavior: 'exclusive', lines: [line('-1', '2.50')] });
    expect(refund.taxTotal.toFixed(2)).toBe('-0.48');
  });

  test('a document allowance percent takes its base when given', () => {
    const allowance: DocumentAllowanceChargeIn = { kind: 'allowance', percent: '10', base: '50', taxRate: S19 };
    const totals = computeTotals({
      currency: 'EUR',
      taxBehavior: 'exclusive',
      lines: [{ quantity: '1', unitPrice: '100', taxRate: S19 }],
      allowancesCharges: [allowance],
    });
    expect(totals.allowanceTotal.toFixed(2)).toBe('5.00');
  });

  test('an allowance without amount or percent is refused', () => {
    expect(() =>
      computeTotals({
        currency: 'EUR',
        taxBehavior: 'exclusive',
        lines: [{ quantity: '1', unitPrice: '1', allowancesCharges: [{ kind: 'allowance' }], taxRate: S19 }],
      }),
    ).toThrow(RangeError);
  });
});

// ---- properties ----------------------------------------------------------------------------------

const RATES: TaxRateRef[] = [
  S19,
  S19b,
  S7,
  S75,
  E0,
  Z0,
  { id: 'txr_ae', category: 'AE', percentage: '0', exemptionReason: 'Reverse charge' },
  { id: 'txr_s25', category: 'S', percentage: '25', exemptionReason: null },
];

/** A decimal text with up to `digits` decimals, between −max and max (or 0 and max). */
const decimalText = (max: number, digits: number, signed: boolean) =>
  fc.integer({ min: signed ? -max * 10 ** digits : 0, max: max * 10 ** digits }).map((n) =>
    dec(n)
      .div(10 ** digits)
      .toFixed(),
  );

const amountText = (currency: string) => decimalText(500, minorUnits(currency), false);

const allowanceArb = (currency: string) =>
  fc.oneof(
    fc.record({ kind: fc.constantFrom('allowance' as const, 'charge' as const), amount: amountText(currency) }),
    fc.record({
      kind: fc.constantFrom('allowance' as const, 'charge' as const),
      percent: decimalText(50, 2, false),
      base: fc.option(amountText(currency), { nil: null }),
    }),
  );

const lineArb = (currency: string): fc.Arbitrary<LineIn> =>
  fc.record({
    quantity: decimalText(1000, 3, true),
    unitPrice: decimalText(1000, 6, false),
    priceBaseQuantity: fc.option(fc.constantFrom('1', '10', '12', '100', '0.5'), { nil: null }),
    discountPercent: fc.option(decimalText(100, 2, false), { nil: null }),
    allowancesCharges: fc.array(allowanceArb(currency), { maxLength: 3 }),
    taxRate: fc.constantFrom(...RATES),
  });

const invoiceArb: fc.Arbitrary<TotalsInput> = fc.constantFrom('EUR', 'JPY', 'KWD').chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    taxBehavior: fc.constantFrom('exclusive' as const, 'inclusive' as const),
    lines: fc.array(lineArb(currency), { minLength: 1, maxLength: 8 }),
    allowancesCharges: fc.array(
      fc.tuple(allowanceArb(currency), fc.constantFrom(...RATES)).map(([ac, taxRate]) => ({ ...ac, taxRate })),
      { maxLength: 3 },
    ),
  }),
);

const isWhole = (value: ReturnType<typeof dec>, currency: string) => roundMoney(value, currency).eq(value);

describe('computeTotals: properties', () => {
  test('totals equal the sum of their parts (EUR, JPY, KWD; exclusive and inclusive)', () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const t = computeTotals(input);
        const c = input.currency;
        for (const line of t.lines) {
          expect(line.amount.eq(line.gross.minus(line.allowanceTotal).plus(line.chargeTotal))).toBe(true);
          for (const part of [line.gross, line.amount, ...line.allowancesCharges]) expect(isWhole(part, c)).toBe(true);
        }
        expect(t.subtotal.eq(sum(t.lines.map((l) => l.amount)))).toBe(true);
        expect(t.allowanceTotal.plus(t.chargeTotal).eq(sum(t.documentAllowancesCharges))).toBe(true);
        expect(t.taxTotal.eq(sum(t.taxBreakdown.map((g) => g.taxAmount)))).toBe(true);
        const net = t.subtotal.minus(t.allowanceTotal).plus(t.chargeTotal);
        if (input.taxBehavior === 'exclusive') {
          expect(t.total.eq(net.plus(t.taxTotal))).toBe(true);
          expect(sum(t.taxBreakdown.map((g) => g.taxableAmount)).eq(net)).toBe(true);
          for (const g of t.taxBreakdown)
            expect(g.taxAmount.eq(roundMoney(g.taxableAmount.times(g.percentage).div(100), c))).toBe(true);
        } else {
          expect(t.total.eq(net)).toBe(true);
          expect(sum(t.taxBreakdown.map((g) => g.taxableAmount.plus(g.taxAmount))).eq(t.total)).toBe(true);
          for (const g of t.taxBreakdown) {
            const gross = g.taxableAmount.plus(g.taxAmount);
            expect(g.taxAmount.eq(roundMoney(gross.times(g.percentage).div(dec(g.percentage).plus(100)), c))).toBe(
              true,
            );
          }
        }
        for (const value of [t.subtotal, t.taxTotal, t.total]) expect(isWhole(value, c)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('net amounts per group add up to the taxable amount (inclusive) and are unchanged (exclusive)', () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const t = computeTotals(input);
        const net = netAmounts(input, t);
        if (input.taxBehavior === 'exclusive') {
          expect(net.lines.every((a, i) => a.eq(t.lines[i]!.amount))).toBe(true);
          expect(net.documentAllowancesCharges.every((a, i) => a.eq(t.documentAllowancesCharges[i]!))).toBe(true);
          return;
        }
        const acs = input.allowancesCharges ?? [];
        for (const g of t.taxBreakdown) {
          const inGroup = (r: TaxRateRef) =>
            r.category === g.category && normalizePercentage(r.percentage) === g.percentage;
          const lines = sum(net.lines.filter((_, i) => inGroup(input.lines[i]!.taxRate)));
          const signedAcs = sum(
            acs.flatMap((ac, i) =>
              inGroup(ac.taxRate)
                ? [
                    ac.kind === 'allowance'
                      ? net.documentAllowancesCharges[i]!.neg()
                      : net.documentAllowancesCharges[i]!,
                  ]
                : [],
            ),
          );
          expect(lines.plus(signedAcs).eq(g.taxableAmount)).toBe(true);
        }
        for (const a of [...net.lines, ...net.documentAllowancesCharges]) expect(isWhole(a, input.currency)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
