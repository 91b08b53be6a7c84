import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { minorUnits } from '../money/currencies';
import { type Decimal, dec, formatAmount, sum, ZERO } from '../money/money';
import { creditByAmount, creditByLines, creditedLineAmount, type InvoiceTaxGroup } from './credit-note-amounts';
import { computeTotals, normalizePercentage, type TaxRateRef, type TotalsInput } from './totals';

const group = (category: 'S' | 'Z' | 'E', percentage: string, taxable: string, tax: string): InvoiceTaxGroup => ({
  category,
  percentage,
  taxRateId: `txr_${category}${percentage}`,
  exemptionReason: category === 'E' ? 'Exempt' : null,
  taxableAmount: dec(taxable),
  taxAmount: dec(tax),
});

const show = (groups: InvoiceTaxGroup[], currency = 'EUR') =>
  groups.map(
    (g) =>
      `${g.category}${g.percentage}: ${formatAmount(g.taxableAmount, currency)} + ${formatAmount(g.taxAmount, currency)}`,
  );

describe('creditByAmount', () => {
  const invoice = [group('S', '19', '100.00', '19.00'), group('S', '7', '50.00', '3.50')];

  test('a credit of half the total credits half of each rate', () => {
    const credit = creditByAmount(dec('86.25'), invoice, 'EUR');
    expect(show(credit.groups)).toEqual(['S19: 50.00 + 9.50', 'S7: 25.00 + 1.75']);
    expect([credit.subtotal, credit.taxTotal, credit.total].map((a) => a.toFixed(2))).toEqual([
      '75.00',
      '11.25',
      '86.25',
    ]);
  });

  test('the full total credits exactly the invoice groups', () => {
    const credit = creditByAmount(dec('172.50'), invoice, 'EUR');
    expect(show(credit.groups)).toEqual(show(invoice));
  });

  test('a remainder cent tied between groups goes to the larger group', () => {
    const credit = creditByAmount(dec('0.02'), [group('E', '0', '1.00', '0'), group('Z', '0', '3.00', '0')], 'EUR');
    expect(show(credit.groups)).toEqual(['E0: 0.00 + 0.00', 'Z0: 0.02 + 0.00']);
  });
});

describe('creditByLines', () => {
  const line = (amount: string, percentage = '19') => ({
    category: 'S' as const,
    percentage,
    taxRateId: `txr_s${percentage}`,
    exemptionReason: null,
    amount: dec(amount),
  });

  test('three thirds of a line credit exactly its tax, with no rounding drift', () => {
    // Invoice line 10.00 at 19 %: tax 1.90. Each third is round(10.00 × 1 ÷ 3) = 3.33, the last the remainder.
    const third = creditedLineAmount(dec('10.00'), '3', '1', 'EUR');
    expect(third.toFixed(2)).toBe('3.33');
    const first = creditByLines([line('3.33')], [], 'exclusive', 'EUR');
    const second = creditByLines([line('3.33')], first.groups, 'exclusive', 'EUR');
    const last = creditByLines([line('3.34')], [...first.groups, ...second.groups], 'exclusive', 'EUR');
    expect([first, second, last].map((c) => c.taxTotal.toFixed(2))).toEqual(['0.63', '0.64', '0.63']);
    expect(sum([first, second, last].map((c) => c.total)).toFixed(2)).toBe('11.90');
  });

  test('lines of one group are summed before the tax is taken', () => {
    // 0.03 + 0.03 at 19 %: tax of 0.06 is 0.01, not 0.01 + 0.01.
    const credit = creditByLines([line('0.03'), line('0.03'), line('10.00', '7')], [], 'exclusive', 'EUR');
    expect(show(credit.groups)).toEqual(['S19: 0.06 + 0.01', 'S7: 10.00 + 0.70']);
    expect(credit.total.toFixed(2)).toBe('10.77');
  });

  test('inclusive invoices take the tax out of the cumulative gross', () => {
    // Invoice: one line 11.90 gross at 19 % → tax 1.90. Credit 5.95 twice.
    const first = creditByLines([line('5.95')], [], 'inclusive', 'EUR');
    const second = creditByLines([line('5.95')], first.groups, 'inclusive', 'EUR');
    expect(show(first.groups)).toEqual(['S19: 5.00 + 0.95']);
    expect(show(second.groups)).toEqual(['S19: 5.00 + 0.95']);
    expect(first.total.plus(second.total).toFixed(2)).toBe('11.90');
  });

  test('a partial quantity credits its share of the line amount, rounded once', () => {
    expect(creditedLineAmount(dec('10.00'), '3', '2', 'EUR').toFixed(2)).toBe('6.67');
    expect(creditedLineAmount(dec('1001'), '2', '1', 'JPY').toFixed(0)).toBe('501');
    expect(creditedLineAmount(dec('-5.00'), '-4', '-1', 'EUR').toFixed(2)).toBe('-1.25');
  });
});

// ---- properties ----------------------------------------------------------------------------------

const RATES: TaxRateRef[] = [
  { id: 'txr_s19', category: 'S', percentage: '19', exemptionReason: null },
  { id: 'txr_s7', category: 'S', percentage: '7.00', exemptionReason: null },
  { id: 'txr_s25', category: 'S', percentage: '25', exemptionReason: null },
  { id: 'txr_s55', category: 'S', percentage: '5.5', exemptionReason: null },
  { id: 'txr_z', category: 'Z', percentage: '0', exemptionReason: null },
  { id: 'txr_e', category: 'E', percentage: '0', exemptionReason: 'Exempt' },
];

/** Invoices with positive lines and no document allowances (credits by line cannot reach those). */
const invoiceArb = fc.constantFrom('EUR', 'JPY', 'KWD').chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    taxBehavior: fc.constantFrom('exclusive' as const, 'inclusive' as const),
    lines: fc.array(
      fc.record({
        quantity: fc.integer({ min: 1, max: 50 }).map(String),
        unitPrice: fc.integer({ min: 0, max: 10_000_000 }).map((n) => dec(n).div(10_000).toFixed()),
        taxRate: fc.constantFrom(...RATES),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  }),
) as fc.Arbitrary<TotalsInput>;

const sameGroups = (a: InvoiceTaxGroup[], b: InvoiceTaxGroup[]) =>
  a.length === b.length &&
  a.every(
    (g, i) =>
      g.category === b[i]!.category &&
      normalizePercentage(g.percentage) === normalizePercentage(b[i]!.percentage) &&
      g.taxableAmount.eq(b[i]!.taxableAmount) &&
      g.taxAmount.eq(b[i]!.taxAmount),
  );

describe('credit notes: properties', () => {
  test('a credit by amount of the full total credits exactly the invoice groups', () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const totals = computeTotals(input);
        fc.pre(!totals.total.isZero());
        const credit = creditByAmount(totals.total, totals.taxBreakdown, input.currency);
        expect(sameGroups(credit.groups, totals.taxBreakdown)).toBe(true);
        expect(credit.total.eq(totals.total) && credit.taxTotal.eq(totals.taxTotal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('a credit by amount never loses or invents a cent', () => {
    fc.assert(
      fc.property(invoiceArb, fc.double({ min: 0, max: 1, noNaN: true }), (input, fraction) => {
        const totals = computeTotals(input);
        fc.pre(totals.total.gt(0));
        const amount = totals.total.times(fraction.toFixed(6)).toDecimalPlaces(minorUnits(input.currency), 1);
        const credit = creditByAmount(amount, totals.taxBreakdown, input.currency);
        expect(credit.total.eq(amount)).toBe(true);
        expect(sum(credit.groups.map((g) => g.taxableAmount.plus(g.taxAmount))).eq(amount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('crediting every line, over several notes and partial quantities, credits exactly the tax and total', () => {
    fc.assert(
      fc.property(
        invoiceArb,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        (input, noteOfLine, splitQuantities) => {
          const c = input.currency;
          const totals = computeTotals(input);
          // Each line goes to one of up to 4 notes; optionally its first unit is credited on an earlier note.
          const notes: { line: number; amount: Decimal }[][] = [[], [], [], [], []];
          input.lines.forEach((line, i) => {
            const amount = totals.lines[i]!.amount;
            const note = noteOfLine[i]! + 1;
            if (splitQuantities && line.quantity !== '1') {
              const first = creditedLineAmount(amount, line.quantity, '1', c);
              notes[note - 1]!.push({ line: i, amount: first });
              notes[note]!.push({ line: i, amount: amount.minus(first) }); // the rest of the quantity
            } else notes[note]!.push({ line: i, amount });
          });
          const issued: InvoiceTaxGroup[] = [];
          let creditedTotal = ZERO;
          for (const note of notes) {
            if (note.length === 0) continue;
            const credit = creditByLines(
              note.map(({ line, amount }) => {
                const { id, ...rate } = input.lines[line]!.taxRate;
                return { ...rate, taxRateId: id, amount };
              }),
              issued,
              input.taxBehavior,
              c,
            );
            issued.push(...credit.groups);
            creditedTotal = creditedTotal.plus(credit.total);
          }
          expect(creditedTotal.eq(totals.total)).toBe(true);
          for (const g of totals.taxBreakdown) {
            const mine = issued.filter(
              (x) => x.category === g.category && normalizePercentage(x.percentage) === g.percentage,
            );
            expect(sum(mine.map((x) => x.taxAmount)).eq(g.taxAmount)).toBe(true);
            expect(sum(mine.map((x) => x.taxableAmount)).eq(g.taxableAmount)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
