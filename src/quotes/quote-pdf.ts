import {
  type Column,
  drawLetterhead,
  drawParties,
  drawSection,
  drawTable,
  drawTaxBreakdown,
  drawTitle,
  drawTotals,
  finishDocument,
  type KeyValue,
  quantityText,
  startDocument,
  type TableRow,
} from '../documents/layout';
import type { Branding, CustomerSnapshot, SellerSnapshot } from '../documents/types';
import type { QuoteOut } from './schemas';

const EVERY: Record<string, string> = { month: 'month', quarter: 'quarter', year: 'year' };

/** "per month", "every 3 months". */
export function recurrenceText(r: { interval: string; interval_count: number }): string {
  const unit = EVERY[r.interval] ?? r.interval;
  return r.interval_count === 1 ? `per ${unit}` : `every ${r.interval_count} ${unit}s`;
}

/** The quote as a PDF: one-time lines with their totals, then the recurring lines with their amount per interval. */
export async function renderQuotePdf(
  quote: QuoteOut,
  parties: { customer: CustomerSnapshot; seller: SellerSnapshot },
  branding: Branding,
): Promise<Buffer> {
  const layout = startDocument(branding, {
    title: () => `Quote ${quote.number}`,
    author: parties.seller.legal_name,
    date: quote.created_at.slice(0, 10),
  });
  const { labels, format } = layout;
  const money = (amount: string) => format.money(amount, quote.currency);

  let y = drawLetterhead(layout, parties.seller, branding.logo);
  y = drawTitle(layout, y, 'Quote', quote.number, null);
  const details: KeyValue[] = [
    ['Quote number', quote.number],
    [labels.date, format.date(quote.created_at.slice(0, 10))],
  ];
  if (quote.valid_until) details.push(['Valid until', format.date(quote.valid_until)]);
  if (quote.start_date) details.push(['Service starts', format.date(quote.start_date)]);
  y = drawParties(layout, y, labels.billTo, parties.customer, details);

  const columns: Column[] = [
    { header: labels.position, width: 26 },
    { header: labels.description, width: 'fill', wrap: true },
    { header: labels.qty, width: 62, align: 'right' },
    { header: labels.unitPrice, width: 78, align: 'right' },
    { header: labels.amount, width: 96, align: 'right' },
  ];
  const row = (line: QuoteOut['lines'][number], i: number): TableRow => ({
    cells: [
      String(i + 1),
      line.discount_percent ? `${line.description} (−${line.discount_percent} %)` : line.description,
      quantityText(layout, line.quantity, line.unit),
      format.unitPrice(line.unit_price, quote.currency),
      line.recurring ? `${money(line.amount)} ${recurrenceText(line.recurring)}` : money(line.amount),
    ],
  });
  const oneTime = quote.lines.filter((l) => !l.recurring);
  const recurring = quote.lines.filter((l) => l.recurring);
  if (oneTime.length > 0) {
    y = drawTable(layout, y, columns, oneTime.map(row));
    y = drawTotals(layout, y, [
      { label: labels.subtotal, value: money(quote.subtotal) },
      { label: labels.vat, value: money(quote.tax_total) },
      { label: labels.total, value: money(quote.total), emphasis: 'final' },
    ]);
    y = drawTaxBreakdown(layout, y, quote.tax_breakdown, quote.currency);
  }
  if (recurring.length > 0) {
    y = drawSection(layout, y, 'Recurring charges', 'Billed by subscription from the start of service, plus VAT.');
    y = drawTable(layout, y, columns, recurring.map(row));
    y = drawTotals(
      layout,
      y,
      quote.recurring_totals.map((t) => ({ label: recurrenceText(t), value: money(t.amount), emphasis: 'strong' })),
    );
  }
  if (quote.notes?.trim()) drawSection(layout, y, labels.notes, quote.notes);
  return finishDocument(layout, { footer: branding.footer, watermark: null });
}
