import {
  type CreditAmounts,
  creditByAmount,
  creditByLines,
  creditedLineAmount,
  type InvoiceTaxGroup,
} from '../invoicing/credit-note-amounts';
import type { StoredLine, StoredTaxGroup } from '../invoicing/draft';
import { type Decimal, dec, formatAmount, sum, ZERO } from '../money/money';
import { conflict, invalid, unprocessable } from '../platform/errors';

// What a new credit note credits, given the invoice and the credit notes already issued against it.

export interface CreditedLine {
  invoice_line: string;
  description: string;
  quantity: string;
  amount: string;
}

export interface EarlierNote {
  lines: CreditedLine[] | null;
  taxBreakdown: StoredTaxGroup[];
  total: string;
}

export interface CreditedInvoice {
  currency: string;
  taxBehavior: 'exclusive' | 'inclusive';
  lines: StoredLine[];
  taxBreakdown: StoredTaxGroup[];
  total: string;
}

export function groupsOf(breakdown: StoredTaxGroup[]): InvoiceTaxGroup[] {
  return breakdown.map((g) => ({
    category: g.category,
    percentage: g.percentage,
    taxRateId: g.tax_rate,
    exemptionReason: g.exemption_reason,
    taxableAmount: dec(g.taxable_amount),
    taxAmount: dec(g.tax_amount),
  }));
}

/** The stored breakdown of a credit; groups it does not touch are left out. */
export function breakdownOf(amounts: CreditAmounts, currency: string): StoredTaxGroup[] {
  return amounts.groups
    .filter((g) => !g.taxableAmount.isZero() || !g.taxAmount.isZero())
    .map((g) => ({
      category: g.category,
      percentage: g.percentage,
      tax_rate: g.taxRateId,
      exemption_reason: g.exemptionReason,
      taxable_amount: formatAmount(g.taxableAmount, currency),
      tax_amount: formatAmount(g.taxAmount, currency),
    }));
}

/**
 * By lines: each line's credited quantity over all credit notes stays within its quantity; amounts are taken
 * cumulatively (round(line amount × credited so far ÷ quantity) − what was credited before), so crediting a line in
 * parts credits exactly its amount; tax per group is cumulative too (creditByLines).
 */
export function creditForLines(
  invoice: CreditedInvoice,
  requested: { invoice_line: string; quantity: string }[],
  earlier: EarlierNote[],
): { lines: CreditedLine[]; amounts: CreditAmounts } {
  const byId = new Map(invoice.lines.map((l) => [l.id, l]));
  const credited = new Map<string, { quantity: Decimal; amount: Decimal }>();
  for (const note of earlier)
    for (const l of note.lines ?? []) {
      const prior = credited.get(l.invoice_line) ?? { quantity: ZERO, amount: ZERO };
      credited.set(l.invoice_line, { quantity: prior.quantity.plus(l.quantity), amount: prior.amount.plus(l.amount) });
    }
  const lines = requested.map((r, i) => {
    const line = byId.get(r.invoice_line);
    if (!line)
      throw unprocessable(
        'invoice_line_not_found',
        `The invoice has no line ${r.invoice_line}.`,
        `lines[${i}].invoice_line`,
      );
    const quantity = dec(r.quantity);
    const lineQuantity = dec(line.quantity);
    if (quantity.isZero() || quantity.isNegative() !== lineQuantity.isNegative())
      throw invalid(
        'credit_quantity_invalid',
        `A credited quantity is not zero and has the sign of the line's quantity (${line.quantity}).`,
        `lines[${i}].quantity`,
      );
    const prior = credited.get(line.id) ?? { quantity: ZERO, amount: ZERO };
    const cumulative = prior.quantity.plus(quantity);
    if (cumulative.abs().greaterThan(lineQuantity.abs()))
      throw conflict(
        'credit_exceeds_line_quantity',
        `Line "${line.description}" has quantity ${line.quantity}, of which ${prior.quantity.toFixed()} is already credited; ${r.quantity} more is too much.`,
        `lines[${i}].quantity`,
      );
    const upTo = creditedLineAmount(dec(line.amount), line.quantity, cumulative.toFixed(), invoice.currency);
    const amount = upTo.minus(prior.amount);
    credited.set(line.id, { quantity: cumulative, amount: upTo });
    return { line, quantity: r.quantity, amount };
  });
  const amounts = creditByLines(
    lines.map(({ line, amount }) => ({
      category: line.tax_rate.category,
      percentage: line.tax_rate.percentage,
      taxRateId: line.tax_rate.id,
      exemptionReason: line.tax_rate.exemption_reason,
      amount,
    })),
    earlier.flatMap((n) => groupsOf(n.taxBreakdown)),
    invoice.taxBehavior,
    invoice.currency,
  );
  return {
    lines: lines.map(({ line, quantity, amount }) => ({
      invoice_line: line.id,
      description: line.description,
      quantity,
      amount: formatAmount(amount, invoice.currency),
    })),
    amounts,
  };
}

/** By a gross amount: split over the invoice's tax groups in proportion to their gross. */
export function creditForAmount(invoice: CreditedInvoice, amount: Decimal, earlier: EarlierNote[]): CreditAmounts {
  assertWithinInvoiceTotal(invoice, amount, earlier, 'amount');
  return creditByAmount(amount, groupsOf(invoice.taxBreakdown), invoice.currency);
}

/** The credit notes of an invoice together credit at most its total, and each credits something. */
export function assertWithinInvoiceTotal(
  invoice: CreditedInvoice,
  total: Decimal,
  earlier: EarlierNote[],
  param: string,
): void {
  if (!total.greaterThan(0))
    throw conflict(
      'credit_note_total_not_positive',
      `This credit note would credit ${formatAmount(total, invoice.currency)}; a credit note credits more than zero.`,
      param,
    );
  const before = sum(earlier.map((n) => n.total));
  if (before.plus(total).greaterThan(invoice.total))
    throw conflict(
      'credit_exceeds_invoice_total',
      `The invoice total is ${invoice.total}; ${formatAmount(before, invoice.currency)} is already credited, so ${formatAmount(total, invoice.currency)} more is too much.`,
      param,
    );
}
