import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { formatAmount } from '../money/money';
import {
  type AllowanceChargeIn,
  computeTotals,
  type DocumentAllowanceChargeIn,
  type LineIn,
  normalizePercentage,
  type TaxRateRef,
  type TotalsInput,
  type VatCategory,
} from './totals';

// Golden tests: the official EN 16931 UBL examples must add up the same way under API.md "Amounts".
const EXAMPLES = path.resolve(process.cwd(), '../shared/en16931/ubl');

/**
 * Lines whose published net amount (BT-131) is not quantity × price ÷ base quantity − allowances + charges:
 * errors in the examples themselves (EN 16931 has no business rule for BT-131; Peppol's R120 warns).
 * For these lines the test asserts that rule 1 indeed disagrees, then uses the example's own BT-131 so that
 * every document-level figure (rules 4–5) is still checked.
 */
const LINE_EXCEPTIONS: Record<string, { lines: number[]; reason: string }> = {
  'ubl-tc434-example1.xml': {
    lines: [20],
    reason: 'a return: quantity 6 × 18.33 = 109.98 but BT-131 is -109.98 (the quantity should be -6)',
  },
  'ubl-tc434-example10.xml': {
    lines: [20],
    reason: 'a return: quantity 6 × 18.33 = 109.98 but BT-131 is -109.98 (the quantity should be -6)',
  },
  'guide-example1.xml': {
    lines: [20],
    reason: 'a return: quantity 6 × 18.33 = 109.98 but BT-131 is -109.98 (the quantity should be -6)',
  },
  'ubl-tc434-example2.xml': {
    lines: [1],
    reason: 'quantity 2 × 1273.00 − 12.00 + 12.00 = 2546.00 but BT-131 is 1273.00 (priced as quantity 1)',
  },
  'guide-example2.xml': {
    lines: [1],
    reason: 'quantity 2 × 1273.00 − 12.00 + 12.00 = 2546.00 but BT-131 is 1273.00 (priced as quantity 1)',
  },
  'ubl-tc434-example3.xml': { lines: [1, 2], reason: 'quantity 2 × 800.00 = 1600.00 but BT-131 is 800.00' },
  'guide-example3.xml': { lines: [1, 2], reason: 'quantity 2 × 800.00 = 1600.00 but BT-131 is 400.00' },
};

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['InvoiceLine', 'CreditNoteLine', 'AllowanceCharge', 'TaxSubtotal', 'TaxTotal'].includes(name),
});

type Node = Record<string, any>;

function text(node: unknown): string | undefined {
  if (node == null) return undefined;
  if (typeof node === 'object') return text((node as Node)['#text']);
  return String(node).trim();
}

function taxRateOf(category: Node, id: string): TaxRateRef {
  return {
    id,
    category: text(category.ID) as VatCategory,
    percentage: text(category.Percent) ?? '0',
    exemptionReason: text(category.TaxExemptionReason) ?? null,
  };
}

function allowanceChargeOf(node: Node): AllowanceChargeIn {
  const indicator = text(node.ChargeIndicator);
  const percent = text(node.MultiplierFactorNumeric);
  const base = text(node.BaseAmount);
  return {
    kind: indicator === 'true' || indicator === '1' ? 'charge' : 'allowance',
    // Percent-based ones recompute from base and percent (rule 2); others take the amount as given.
    ...(percent != null && base != null ? { percent, base } : { amount: text(node.Amount) ?? null }),
    reason: text(node.AllowanceChargeReason) ?? null,
  };
}

function lineInOf(line: Node, i: number): LineIn {
  return {
    quantity: text(line.InvoicedQuantity ?? line.CreditedQuantity)!,
    unitPrice: text(line.Price.PriceAmount)!, // BT-146 is the net price; a price discount (BT-147) is informative only
    priceBaseQuantity: text(line.Price.BaseQuantity) ?? null,
    allowancesCharges: ((line.AllowanceCharge ?? []) as Node[]).map(allowanceChargeOf),
    taxRate: taxRateOf(line.Item.ClassifiedTaxCategory, `line-${i + 1}`),
  };
}

function totalsInputOf(doc: Node): TotalsInput {
  const lines = lineNodesOf(doc).map(lineInOf);
  const allowancesCharges: DocumentAllowanceChargeIn[] = ((doc.AllowanceCharge ?? []) as Node[]).map((ac, i) => ({
    ...allowanceChargeOf(ac),
    taxRate: taxRateOf(ac.TaxCategory, `doc-${i + 1}`),
  }));
  return { currency: text(doc.DocumentCurrencyCode)!, taxBehavior: 'exclusive', lines, allowancesCharges };
}

const files = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.xml'))
  .sort();

describe('EN 16931 official examples add up under the API.md rules', () => {
  test('the examples are there', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    test(file, () => {
      const parsed = parser.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as Node;
      const doc: Node = parsed.Invoice ?? parsed.CreditNote;
      const exceptions = new Set(LINE_EXCEPTIONS[file]?.lines ?? []);
      const asPublished = totalsInputOf(doc);
      // Exception lines enter as one unit at the example's BT-131, with its tax category.
      const input: TotalsInput = {
        ...asPublished,
        lines: asPublished.lines.map((line, i) =>
          exceptions.has(i + 1)
            ? { quantity: '1', unitPrice: text(lineNodesOf(doc)[i]!.LineExtensionAmount)!, taxRate: line.taxRate }
            : line,
        ),
      };
      const totals = computeTotals(input);
      const published = computeTotals(asPublished);
      const mismatches: string[] = [];
      const check = (name: string, actual: string, expected: string | undefined) => {
        const wanted = expected ?? formatAmount(0, input.currency); // an absent total is zero
        if (actual !== wanted) mismatches.push(`${name}: computed ${actual}, example ${wanted}`);
      };
      const c = input.currency;
      const monetary: Node = doc.LegalMonetaryTotal;
      check('LineExtensionAmount', formatAmount(totals.subtotal, c), text(monetary.LineExtensionAmount));
      check('AllowanceTotalAmount', formatAmount(totals.allowanceTotal, c), text(monetary.AllowanceTotalAmount));
      check('ChargeTotalAmount', formatAmount(totals.chargeTotal, c), text(monetary.ChargeTotalAmount));
      check(
        'TaxExclusiveAmount',
        formatAmount(totals.subtotal.minus(totals.allowanceTotal).plus(totals.chargeTotal), c),
        text(monetary.TaxExclusiveAmount),
      );
      check('TaxInclusiveAmount', formatAmount(totals.total, c), text(monetary.TaxInclusiveAmount));
      lineNodesOf(doc).forEach((line, i) => {
        const computed = formatAmount(published.lines[i]!.amount, c);
        if (exceptions.has(i + 1)) {
          if (computed === text(line.LineExtensionAmount)) mismatches.push(`line ${i + 1} is no longer an exception`);
        } else check(`line ${i + 1} LineExtensionAmount`, computed, text(line.LineExtensionAmount));
      });
      // The TaxTotal in the document currency is the one with TaxSubtotals (a second one may be in BT-6).
      const taxTotal = ((doc.TaxTotal ?? []) as Node[]).find((t) => t.TaxSubtotal) ?? {};
      const subtotals = (taxTotal.TaxSubtotal ?? []) as Node[];
      check('TaxSubtotal count', String(totals.taxBreakdown.length), String(subtotals.length));
      for (const sub of subtotals) {
        const category = text(sub.TaxCategory.ID);
        const percentage = text(sub.TaxCategory.Percent) ?? '0';
        const group = totals.taxBreakdown.find(
          (g) => g.category === category && g.percentage === normalizePercentage(percentage),
        );
        const key = `${category} ${normalizePercentage(percentage)}%`;
        check(
          `${key} TaxableAmount`,
          group ? formatAmount(group.taxableAmount, c) : 'missing',
          text(sub.TaxableAmount),
        );
        check(`${key} TaxAmount`, group ? formatAmount(group.taxAmount, c) : 'missing', text(sub.TaxAmount));
      }
      check('TaxAmount', formatAmount(totals.taxTotal, c), text(taxTotal.TaxAmount));
      expect(mismatches).toEqual([]);
    });
  }
});

function lineNodesOf(doc: Node): Node[] {
  return doc.InvoiceLine ?? doc.CreditNoteLine ?? [];
}
