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
} from './layout';
import type { Branding, CreditNoteView } from './types';

/** The credit note as a PDF, rendered from the view and the credited invoice's snapshots. */
export async function renderCreditNotePdf(creditNote: CreditNoteView, branding: Branding): Promise<Buffer> {
  const seller = creditNote.seller_snapshot;
  const layout = startDocument(branding, {
    title: (labels) => `${labels.creditNote} ${creditNote.number ?? labels.draft}`,
    author: seller.legal_name,
    date: creditNote.issue_date,
  });
  const { labels, format } = layout;
  const money = (amount: string) => format.money(amount, creditNote.currency);
  const mark = creditNote.number === null ? labels.draft : creditNote.status === 'void' ? labels.void : null;

  let y = drawLetterhead(layout, seller, branding.logo);
  y = drawTitle(layout, y, labels.creditNote, creditNote.number, mark);
  const details: KeyValue[] = [];
  if (creditNote.number) details.push([labels.creditNoteNumber, creditNote.number]);
  details.push([labels.date, format.date(creditNote.issue_date)]);
  if (creditNote.invoice_number) details.push([labels.creditedInvoice, creditNote.invoice_number]);
  if (creditNote.invoice_issue_date) details.push([labels.invoiceDate, format.date(creditNote.invoice_issue_date)]);
  y = drawParties(layout, y, labels.billTo, creditNote.customer_snapshot, details);

  if (creditNote.reason?.trim()) y = drawSection(layout, y, labels.reason, creditNote.reason);

  if (creditNote.lines && creditNote.lines.length > 0) {
    const columns: Column[] = [
      { header: labels.position, width: 26 },
      { header: labels.description, width: 'fill', wrap: true },
      { header: labels.qty, width: 62, align: 'right' },
      { header: labels.unitPrice, width: 78, align: 'right' },
      { header: labels.amount, width: 86, align: 'right' },
    ];
    const rows: TableRow[] = creditNote.lines.map((line, i) => ({
      cells: [
        String(i + 1),
        line.description,
        quantityText(layout, line.quantity, line.unit),
        line.unit_price ? format.unitPrice(line.unit_price, creditNote.currency) : '',
        money(line.amount),
      ],
    }));
    y = drawTable(layout, y, columns, rows);
  }

  y = drawTotals(layout, y, [
    { label: labels.subtotal, value: money(creditNote.subtotal) },
    { label: labels.vat, value: money(creditNote.tax_total) },
    { label: labels.totalCredited, value: money(creditNote.total), emphasis: 'final' },
  ]);
  y = drawTaxBreakdown(layout, y, creditNote.tax_breakdown, creditNote.currency);
  drawSection(layout, y, null, labels.creditTo[creditNote.credit_to]);

  return finishDocument(layout, { footer: branding.footer, watermark: mark });
}
