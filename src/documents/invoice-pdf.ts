import { friendlyFormatIBAN } from 'ibantools';
import { buildEpcPayload, EpcQrError, epcPaymentFor, epcQrMatrix } from './epc-qr';
import { fillLabel } from './labels';
import {
  COLORS,
  type Column,
  type DocumentLayout,
  drawBlock,
  drawKeyValues,
  drawLetterhead,
  drawLine,
  drawParties,
  drawSection,
  drawTable,
  drawTaxBreakdown,
  drawTitle,
  drawTotals,
  ensureSpace,
  finishDocument,
  isZeroAmount,
  type KeyValue,
  negated,
  quantityText,
  startDocument,
  type TableRow,
  type TotalRow,
} from './layout';
import type { Branding, InvoiceLineView, InvoiceView } from './types';

export interface InvoicePdfOptions {
  /** The customer's hosted invoice page, printed as a link. */
  hostedUrl: string | null;
  /** What the customer writes on the transfer (an ISO 11649 RF reference goes into the QR code's structured field). */
  paymentReference: string;
}

export function isDraft(invoice: InvoiceView): boolean {
  return invoice.number === null || invoice.status === 'draft';
}

function lineNote(layout: DocumentLayout, line: InvoiceLineView): string | null {
  const { labels, format } = layout;
  const parts: string[] = [];
  if (line.period) parts.push(`${format.date(line.period.start)} – ${format.date(line.period.end)}`);
  if (line.discount_percent && !isZeroAmount(line.discount_percent)) {
    parts.push(`${labels.discount} ${format.percent(line.discount_percent)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : null;
}

function drawLines(layout: DocumentLayout, y: number, invoice: InvoiceView): number {
  const { labels, format } = layout;
  const columns: Column[] = [
    { header: labels.position, width: 26 },
    { header: labels.description, width: 'fill', wrap: true },
    { header: labels.qty, width: 62, align: 'right' },
    { header: labels.unitPrice, width: 78, align: 'right' },
    { header: labels.vatRate, width: 44, align: 'right' },
    { header: labels.amount, width: 86, align: 'right' },
  ];
  const rows: TableRow[] = invoice.lines.map((line, i) => ({
    cells: [
      String(i + 1),
      line.description,
      quantityText(layout, line.quantity, line.unit),
      format.unitPrice(line.unit_price, invoice.currency),
      format.percent(line.tax_rate_percentage),
      format.money(line.amount, invoice.currency),
    ],
    note: lineNote(layout, line),
  }));
  return drawTable(layout, y, columns, rows);
}

function totalRows(layout: DocumentLayout, invoice: InvoiceView): TotalRow[] {
  const { labels, format } = layout;
  const money = (amount: string) => format.money(amount, invoice.currency);
  const inclusive = invoice.tax_behavior === 'inclusive';
  const rows: TotalRow[] = [
    { label: inclusive ? labels.subtotalInclusive : labels.subtotal, value: money(invoice.subtotal) },
  ];
  if (!isZeroAmount(invoice.allowance_total)) {
    rows.push({ label: labels.allowances, value: money(negated(invoice.allowance_total)) });
  }
  if (!isZeroAmount(invoice.charge_total)) rows.push({ label: labels.charges, value: money(invoice.charge_total) });
  if (inclusive) {
    rows.push({ label: labels.total, value: money(invoice.total), emphasis: 'strong' });
    rows.push({ label: labels.vatIncluded, value: money(invoice.tax_total) });
  } else {
    rows.push({ label: labels.vat, value: money(invoice.tax_total) });
    rows.push({ label: labels.total, value: money(invoice.total), emphasis: 'strong' });
  }
  const reductions: [string, string | undefined][] = [
    [labels.amountPaid, invoice.amount_paid],
    [labels.amountCredited, invoice.amount_credited],
    [labels.amountWrittenOff, invoice.amount_written_off],
  ];
  for (const [label, amount] of reductions) {
    if (amount !== undefined && !isZeroAmount(amount)) rows.push({ label, value: money(negated(amount)) });
  }
  rows.push({ label: labels.amountDue, value: money(invoice.amount_due), emphasis: 'final' });
  return rows;
}

const QR_SIZE = 92;

function drawQr(layout: DocumentLayout, payload: string, x: number, y: number): void {
  const matrix = epcQrMatrix(payload);
  const module = QR_SIZE / matrix.size;
  const { doc } = layout;
  doc.save();
  // One rectangle per run of dark modules in a row, filled at once: a sharp, small vector symbol.
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.isDark(row, col)) col++;
      doc.rect(x + start * module, y + row * module, (col - start) * module, module);
    }
  }
  doc.fill('#000000').restore();
}

function drawPaymentInstructions(
  layout: DocumentLayout,
  y: number,
  invoice: InvoiceView,
  options: InvoicePdfOptions,
): number {
  const { labels, format } = layout;
  const seller = invoice.seller_snapshot;
  const payable = !isZeroAmount(invoice.amount_due) && !invoice.amount_due.startsWith('-') && invoice.status !== 'void';
  if (!payable || !seller.iban) return y;
  const payment = epcPaymentFor(invoice, options.paymentReference);
  let payload: string | null = null;
  try {
    payload = payment ? buildEpcPayload(payment) : null;
  } catch (error) {
    // Only the documented case prints no QR code (an amount or IBAN the EPC format cannot carry); any other error is a bug.
    if (!(error instanceof EpcQrError)) throw error;
    payload = null;
  }
  y = ensureSpace(layout, y, QR_SIZE + 40);
  const top = y;
  drawLine(layout, labels.paymentInstructions, layout.left, y, layout.width, {
    weight: 'bold',
    size: 10,
    color: layout.accent,
  });
  y += 16;
  const amount = format.money(invoice.amount_due, invoice.currency);
  const textWidth = layout.width - (payload ? QR_SIZE + 30 : 0);
  const request = invoice.due_date
    ? fillLabel(labels.payBy, { amount, date: format.date(invoice.due_date) })
    : fillLabel(labels.payNow, { amount });
  y += drawBlock(layout, request, layout.left, y, textWidth, { size: 9 }) + 4;
  const rows: KeyValue[] = [
    [labels.accountHolder, seller.legal_name],
    [labels.iban, friendlyFormatIBAN(seller.iban) ?? seller.iban],
  ];
  if (seller.bic) rows.push([labels.bic, seller.bic]);
  const reference = options.paymentReference.trim() || invoice.number;
  if (reference) rows.push([labels.reference, reference]);
  y = drawKeyValues(layout, layout.left, y, Math.min(textWidth, 330), rows);
  if (payload) {
    const x = layout.right - QR_SIZE;
    drawQr(layout, payload, x, top);
    drawLine(layout, labels.scanToPay, x - 10, top + QR_SIZE + 4, QR_SIZE + 20, {
      size: 7,
      color: COLORS.muted,
      align: 'center',
    });
    y = Math.max(y, top + QR_SIZE + 14);
  }
  return y + 14;
}

function drawHostedLink(layout: DocumentLayout, y: number, url: string): number {
  y = ensureSpace(layout, y, 20);
  const label = `${layout.labels.payOnline}${layout.labels.colon}`;
  drawLine(layout, label, layout.left, y, layout.width, { size: 9 });
  const labelWidth = layout.doc.widthOfString(label);
  const { doc } = layout;
  const x = layout.left + labelWidth;
  drawLine(layout, url, x, y, layout.width - labelWidth, { size: 9, color: layout.accent });
  const urlWidth = Math.min(doc.widthOfString(url), layout.width - labelWidth);
  doc.link(x, y, urlWidth, 11, url);
  return y + 20;
}

/** The invoice as a PDF, rendered only from the view (its snapshots), the branding and the options. */
export async function renderInvoicePdf(
  invoice: InvoiceView,
  branding: Branding,
  opts: InvoicePdfOptions,
): Promise<Buffer> {
  const draft = isDraft(invoice);
  const voided = invoice.status === 'void';
  const seller = invoice.seller_snapshot;
  const layout = startDocument(branding, {
    title: (labels) => `${labels.invoice} ${invoice.number ?? labels.draft}`,
    author: seller.legal_name,
    date: invoice.issue_date,
  });
  const { labels, format } = layout;
  const mark = draft ? labels.draft : voided ? labels.void : null;

  let y = drawLetterhead(layout, seller, branding.logo);
  y = drawTitle(layout, y, labels.invoice, invoice.number, mark);
  const details: KeyValue[] = [];
  if (invoice.number) details.push([labels.invoiceNumber, invoice.number]);
  if (invoice.issue_date) details.push([labels.date, format.date(invoice.issue_date)]);
  if (invoice.due_date) details.push([labels.dueDate, format.date(invoice.due_date)]);
  if (invoice.service_period) {
    const { start, end } = invoice.service_period;
    details.push([labels.servicePeriod, `${format.date(start)} – ${format.date(end)}`]);
  }
  if (invoice.po_number) details.push([labels.poNumber, invoice.po_number]);
  if (invoice.buyer_reference) details.push([labels.buyerReference, invoice.buyer_reference]);
  y = drawParties(layout, y, labels.billTo, invoice.customer_snapshot, details);

  y = drawLines(layout, y, invoice);
  y = drawTotals(layout, y, totalRows(layout, invoice));
  y = drawTaxBreakdown(layout, y, invoice.tax_breakdown, invoice.currency);
  y = drawPaymentInstructions(layout, y, invoice, opts);
  if (opts.hostedUrl) y = drawHostedLink(layout, y, opts.hostedUrl);
  if (invoice.notes?.trim()) y = drawSection(layout, y, labels.notes, invoice.notes);
  if (invoice.footer?.trim()) y = drawSection(layout, y, null, invoice.footer);

  return finishDocument(layout, { footer: branding.footer, watermark: mark });
}
