import PDFDocument from 'pdfkit';
import { applyEmbeddedFonts, FONT_BOLD, FONT_REGULAR } from './fonts';
import { type Labels, type LocaleFormat, labelsFor, localeFormat } from './labels';
import type { Address, Branding, CustomerSnapshot, SellerSnapshot, TaxBreakdownView } from './types';

// The layout pieces every Arbor document shares: page setup, letterhead, parties, tables that
// break across pages with their header repeated, totals, notes, and the per-page footer.

export const DEFAULT_ACCENT = '#1f4e79';
const TEXT = '#1a1a1a';
const MUTED = '#666666';
const RULE = '#d0d0d0';
const MARK = '#c0392b';
const MARGIN = 50;
const FOOTER_SPACE = 70;

export type FontWeight = 'regular' | 'bold';

export interface DocumentLayout {
  doc: PDFKit.PDFDocument;
  labels: Labels;
  format: LocaleFormat;
  accent: string;
  left: number;
  right: number;
  width: number;
  top: number;
  /** The lowest y content may reach; below it are the footer and page number. */
  bottom: number;
  done: Promise<Buffer>;
}

export interface DocumentMeta {
  title: (labels: Labels) => string;
  author: string;
  /** The document's business date: the PDF's creation date, so equal input renders equal bytes. */
  date: string | null;
}

function accentOf(color: string | null): string {
  return color && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color.trim()) ? color.trim() : DEFAULT_ACCENT;
}

/** Letter in the US and Canada, A4 elsewhere. */
function pageSizeOf(locale: string): 'A4' | 'LETTER' {
  const region = locale.split('-').find((part, i) => i > 0 && /^[A-Z]{2}$/.test(part));
  return region === 'US' || region === 'CA' ? 'LETTER' : 'A4';
}

function creationDate(date: string | null): Date {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  // No clock in rendering: without a business date the PDF carries the epoch.
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(0);
}

/** A new document with the embedded fonts, the locale's labels and formats, collecting its bytes. */
export function startDocument(branding: Branding, meta: DocumentMeta): DocumentLayout {
  const format = localeFormat(branding.locale);
  const labels = labelsFor(format.locale);
  const doc = new PDFDocument({
    size: pageSizeOf(format.locale),
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: FOOTER_SPACE },
    bufferPages: true,
    // No default Helvetica: pdfkit would read and parse its AFM file for every document.
    font: '',
    lang: format.locale,
    displayTitle: true,
    info: { Title: meta.title(labels), Author: meta.author, Creator: 'Arbor', CreationDate: creationDate(meta.date) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  applyEmbeddedFonts(doc);
  doc.fillColor(TEXT).fontSize(9);
  return {
    doc,
    labels,
    format,
    accent: accentOf(branding.accent_color),
    left: MARGIN,
    right: doc.page.width - MARGIN,
    width: doc.page.width - 2 * MARGIN,
    top: MARGIN,
    bottom: doc.page.height - FOOTER_SPACE,
    done,
  };
}

function setFont(layout: DocumentLayout, weight: FontWeight, size: number, color: string): void {
  layout.doc
    .font(weight === 'bold' ? FONT_BOLD : FONT_REGULAR)
    .fontSize(size)
    .fillColor(color);
}

export interface TextStyle {
  weight?: FontWeight;
  size?: number;
  color?: string;
  align?: 'left' | 'right' | 'center';
  /** Wrapped text taller than this is cut with an ellipsis. */
  maxHeight?: number;
}

/**
 * One line of text in a box `width` wide, never wrapped: a text too wide for its box is set
 * smaller until it fits. Drawn without pdfkit's line wrapper, which is the costly part of text.
 */
export function drawLine(
  layout: DocumentLayout,
  text: string,
  x: number,
  y: number,
  width: number,
  style: TextStyle = {},
): void {
  const size = style.size ?? 9;
  setFont(layout, style.weight ?? 'regular', size, style.color ?? TEXT);
  const { doc } = layout;
  let textWidth = doc.widthOfString(text);
  if (textWidth > width && textWidth > 0) {
    doc.fontSize((size * width) / textWidth);
    textWidth = width;
  }
  const dx = style.align === 'right' ? width - textWidth : style.align === 'center' ? (width - textWidth) / 2 : 0;
  doc.text(text, x + dx, y, { lineBreak: false });
}

/** Wrapped text in a box `width` wide; returns its height. */
export function drawBlock(
  layout: DocumentLayout,
  text: string,
  x: number,
  y: number,
  width: number,
  style: TextStyle = {},
): number {
  setFont(layout, style.weight ?? 'regular', style.size ?? 9, style.color ?? TEXT);
  const { doc } = layout;
  if (fitsOneLine(doc, text, width)) {
    drawLine(layout, text, x, y, width, style);
    return doc.currentLineHeight(true);
  }
  const box = style.maxHeight === undefined ? {} : { height: style.maxHeight, ellipsis: true };
  doc.text(text, x, y, { width, align: style.align ?? 'left', ...box });
  return doc.y - y;
}

export function measureBlock(layout: DocumentLayout, text: string, width: number, style: TextStyle = {}): number {
  setFont(layout, style.weight ?? 'regular', style.size ?? 9, style.color ?? TEXT);
  const { doc } = layout;
  const height = fitsOneLine(doc, text, width) ? doc.currentLineHeight(true) : doc.heightOfString(text, { width });
  return style.maxHeight === undefined ? height : Math.min(height, style.maxHeight);
}

/** A short text needs no line wrapper (the costly part of pdfkit's text), and measures the same. */
function fitsOneLine(doc: PDFKit.PDFDocument, text: string, width: number): boolean {
  return !/[\n\r\t\u00ad]/.test(text) && doc.widthOfString(text) <= width;
}

/** Starts a new page and returns its top. */
export function newPage(layout: DocumentLayout): number {
  layout.doc.addPage();
  return layout.top;
}

/** `y` if `height` fits below it on this page, else the top of a new page. */
export function ensureSpace(layout: DocumentLayout, y: number, height: number): number {
  return y + height <= layout.bottom ? y : newPage(layout);
}

export function addressLines(address: Address | null, format: LocaleFormat): string[] {
  if (!address) return [];
  const lines = [address.line1, address.line2].filter((line): line is string => !!line?.trim());
  const city = address.city?.trim() ?? '';
  const postal = address.postal_code?.trim() ?? '';
  const region = address.region?.trim() ?? '';
  const country = address.country?.trim().toUpperCase() ?? '';
  if (country === 'US' || country === 'CA' || country === 'AU') {
    lines.push([city, [region, postal].filter(Boolean).join(' ')].filter(Boolean).join(', '));
  } else if (country === 'GB' || country === 'IE') {
    lines.push(city, region, postal);
  } else {
    lines.push([postal, city].filter(Boolean).join(' '), region);
  }
  if (country) lines.push(format.country(country));
  return lines.filter((line) => line.length > 0);
}

interface PdfkitImages {
  openImage(src: Buffer): { width: number; height: number };
}

/** Logo top left, seller's name, address and contact top right; returns the y below them. */
export function drawLetterhead(layout: DocumentLayout, seller: SellerSnapshot, logo: Buffer | null): number {
  const { doc, labels, format } = layout;
  let logoBottom = layout.top;
  if (logo) {
    // The upload only accepts readable PNG/JPEG images, so an error here is a bug: it is not swallowed.
    // pdfkit's openImage (missing from its typings) gives the size before placing the image.
    const image = (doc as unknown as PdfkitImages).openImage(Buffer.isBuffer(logo) ? logo : Buffer.from(logo));
    const scale = Math.min(160 / image.width, 56 / image.height);
    doc.image(image as unknown as PDFKit.Mixins.ImageSrc, layout.left, layout.top, {
      width: image.width * scale,
      height: image.height * scale,
    });
    logoBottom = layout.top + image.height * scale;
  }
  const width = 230;
  const x = layout.right - width;
  let y = layout.top;
  drawLine(layout, seller.legal_name, x, y, width, { weight: 'bold', size: 11, align: 'right' });
  y += 15;
  const lines = [
    ...addressLines(seller.address, format),
    seller.email ? `${labels.email}${labels.colon}${seller.email}` : '',
    seller.phone ? `${labels.phone}${labels.colon}${seller.phone}` : '',
    seller.tax_id ? `${labels.taxId}${labels.colon}${seller.tax_id}` : '',
  ].filter(Boolean);
  for (const line of lines) {
    drawLine(layout, line, x, y, width, { size: 8, color: MUTED, align: 'right' });
    y += 11;
  }
  return Math.max(logoBottom, y) + 20;
}

/** The document's title and number, with a DRAFT or VOID mark beside it. */
export function drawTitle(
  layout: DocumentLayout,
  y: number,
  title: string,
  number: string | null,
  mark: string | null,
): number {
  const { doc } = layout;
  const text = number ? `${title} ${number}` : title;
  drawLine(layout, text, layout.left, y, layout.width - 140, { weight: 'bold', size: 18, color: layout.accent });
  if (mark) {
    setFont(layout, 'bold', 11, MARK);
    const markWidth = doc.widthOfString(mark) + 12;
    const x = layout.right - markWidth;
    doc
      .save()
      .lineWidth(1.5)
      .roundedRect(x, y + 1, markWidth, 20, 3)
      .stroke(MARK)
      .restore();
    drawLine(layout, mark, x, y + 5, markWidth, { weight: 'bold', size: 11, color: MARK, align: 'center' });
  }
  return y + 34;
}

export type KeyValue = readonly [label: string, value: string];

/** The customer on the left ("Bill to"), the document's dates and references on the right. */
export function drawParties(
  layout: DocumentLayout,
  y: number,
  heading: string,
  customer: CustomerSnapshot,
  details: KeyValue[],
): number {
  const { labels, format } = layout;
  const leftWidth = layout.width * 0.5;
  let left = y;
  drawLine(layout, heading.toUpperCase(), layout.left, left, leftWidth, { size: 7, color: MUTED });
  left += 11;
  left += drawBlock(layout, customer.name, layout.left, left, leftWidth, { weight: 'bold', size: 10 });
  const lines = [
    ...addressLines(customer.billing_address, format),
    customer.tax_id ? `${labels.taxId}${labels.colon}${customer.tax_id}` : '',
    customer.email ?? '',
  ].filter(Boolean);
  for (const line of lines) {
    drawLine(layout, line, layout.left, left, leftWidth, { size: 9 });
    left += 12;
  }
  const right = drawKeyValues(layout, layout.left + layout.width * 0.55, y, layout.width * 0.45, details);
  return Math.max(left, right) + 18;
}

/** Label and value rows, the value right-aligned; returns the y below them. */
export function drawKeyValues(layout: DocumentLayout, x: number, y: number, width: number, rows: KeyValue[]): number {
  const labelWidth = width * 0.45;
  for (const [label, value] of rows) {
    drawLine(layout, label, x, y, labelWidth, { size: 9, color: MUTED });
    drawLine(layout, value, x + labelWidth, y, width - labelWidth, { size: 9, align: 'right' });
    y += 13;
  }
  return y;
}

export interface Column {
  header: string;
  /** Points; one column may be `'fill'` and takes what the others leave. */
  width: number | 'fill';
  align?: 'left' | 'right';
  /** Text in this column wraps; other columns stay on one line and shrink to fit. */
  wrap?: boolean;
}

export interface TableRow {
  cells: string[];
  /** A smaller second text under the first wrapping column (period, discount, exemption reason). */
  note?: string | null;
  weight?: FontWeight;
}

const CELL_PAD = 4;
const ROW_PAD = 4;

/** A table that continues on new pages with its header repeated; returns the y below it. */
export function drawTable(layout: DocumentLayout, y: number, columns: Column[], rows: TableRow[]): number {
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'fill' ? 0 : c.width), 0);
  const widths = columns.map((c) => (c.width === 'fill' ? layout.width - fixed : c.width));
  const xs: number[] = [];
  let x = layout.left;
  for (const w of widths) {
    xs.push(x);
    x += w;
  }
  const noteColumn = columns.findIndex((c) => c.wrap);
  // A row never outgrows a page: a longer text is cut with an ellipsis.
  const maxCell = layout.bottom - layout.top - 80;
  const noteStyle: TextStyle = { size: 7.5, color: MUTED, maxHeight: 60 };

  const header = (top: number): number => {
    columns.forEach((column, i) => {
      drawLine(layout, column.header, (xs[i] ?? 0) + CELL_PAD, top, (widths[i] ?? 0) - 2 * CELL_PAD, {
        weight: 'bold',
        size: 8,
        color: layout.accent,
        align: column.align,
      });
    });
    const line = top + 13;
    layout.doc.save().moveTo(layout.left, line).lineTo(layout.right, line).lineWidth(1).stroke(layout.accent).restore();
    return line + ROW_PAD;
  };

  y = header(ensureSpace(layout, y, 40));
  for (const row of rows) {
    const weight = row.weight ?? 'regular';
    let height = 11;
    columns.forEach((column, i) => {
      if (column.wrap) {
        const w = (widths[i] ?? 0) - 2 * CELL_PAD;
        height = Math.max(height, measureBlock(layout, row.cells[i] ?? '', w, { weight, maxHeight: maxCell }));
      }
    });
    let noteHeight = 0;
    if (row.note && noteColumn >= 0) {
      noteHeight = measureBlock(layout, row.note, (widths[noteColumn] ?? 0) - 2 * CELL_PAD, noteStyle) + 1;
    }
    const rowHeight = height + noteHeight + 2 * ROW_PAD;
    if (y + rowHeight > layout.bottom) y = header(newPage(layout));
    columns.forEach((column, i) => {
      const cx = (xs[i] ?? 0) + CELL_PAD;
      const w = (widths[i] ?? 0) - 2 * CELL_PAD;
      const text = row.cells[i] ?? '';
      if (column.wrap) drawBlock(layout, text, cx, y, w, { weight, maxHeight: maxCell });
      else drawLine(layout, text, cx, y, w, { weight, align: column.align });
    });
    if (row.note && noteColumn >= 0) {
      drawBlock(
        layout,
        row.note,
        (xs[noteColumn] ?? 0) + CELL_PAD,
        y + height + 1,
        (widths[noteColumn] ?? 0) - 2 * CELL_PAD,
        noteStyle,
      );
    }
    y += rowHeight - ROW_PAD;
    layout.doc.save().moveTo(layout.left, y).lineTo(layout.right, y).lineWidth(0.5).stroke(RULE).restore();
    y += ROW_PAD;
  }
  return y + 6;
}

export interface TotalRow {
  label: string;
  value: string;
  /** `strong`: bold; `final`: bold in the accent colour with a rule above (the amount due). */
  emphasis?: 'strong' | 'final';
}

/** Totals right-aligned under a table, kept together on one page; returns the y below them. */
export function drawTotals(layout: DocumentLayout, y: number, rows: TotalRow[]): number {
  const width = 260;
  const x = layout.right - width;
  y = ensureSpace(layout, y, rows.length * 16 + 10);
  for (const row of rows) {
    if (row.emphasis === 'final') {
      layout.doc.save().moveTo(x, y).lineTo(layout.right, y).lineWidth(1).stroke(layout.accent).restore();
      y += 4;
    }
    const style: TextStyle =
      row.emphasis === 'final'
        ? { weight: 'bold', size: 11, color: layout.accent }
        : row.emphasis === 'strong'
          ? { weight: 'bold', size: 9.5 }
          : { size: 9 };
    drawLine(layout, row.label, x + CELL_PAD, y, width * 0.55, style);
    drawLine(layout, row.value, x + width * 0.55, y, width * 0.45 - CELL_PAD, { ...style, align: 'right' });
    y += row.emphasis === 'final' ? 18 : 15;
  }
  return y + 10;
}

/** A heading in the accent colour and a paragraph under it; the paragraph may run onto new pages. */
export function drawSection(layout: DocumentLayout, y: number, heading: string | null, text: string): number {
  y = ensureSpace(layout, y, 40);
  if (heading) {
    drawLine(layout, heading, layout.left, y, layout.width, { weight: 'bold', size: 10, color: layout.accent });
    y += 15;
  }
  drawBlock(layout, text, layout.left, y, layout.width, { size: 9 });
  return layout.doc.y + 12;
}

/** "Page n of m", the branding footer, and a diagonal DRAFT or VOID mark on every page; then the bytes. */
export async function finishDocument(
  layout: DocumentLayout,
  options: { footer: string | null; watermark: string | null },
): Promise<Buffer> {
  const { doc, labels } = layout;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit add a page.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    const height = doc.page.height;
    if (options.watermark) {
      const cx = doc.page.width / 2;
      const cy = height / 2;
      setFont(layout, 'bold', 96, MARK);
      const width = doc.widthOfString(options.watermark);
      doc
        .save()
        .fillOpacity(0.12)
        .rotate(-35, { origin: [cx, cy] });
      doc.text(options.watermark, cx - width / 2, cy - 48, { lineBreak: false });
      doc.restore();
    }
    const footerY = height - FOOTER_SPACE + 22;
    doc
      .save()
      .moveTo(layout.left, footerY - 6)
      .lineTo(layout.right, footerY - 6)
      .lineWidth(0.5)
      .stroke(RULE)
      .restore();
    if (options.footer) {
      setFont(layout, 'regular', 7, MUTED);
      doc.text(options.footer.replace(/\s*\n\s*/g, ' · '), layout.left, footerY, {
        width: layout.width - 90,
        height: FOOTER_SPACE - 30,
        ellipsis: true,
      });
    }
    const page = `${labels.page} ${i - range.start + 1} ${labels.of} ${range.count}`;
    drawLine(layout, page, layout.right - 85, footerY, 85, { size: 7, color: MUTED, align: 'right' });
    doc.page.margins = margins;
  }
  doc.end();
  return layout.done;
}

const ZERO = /^-?0+(\.0+)?$/;

export function isZeroAmount(amount: string): boolean {
  return ZERO.test(amount);
}

/** The amount with its sign turned: a text operation on the decimal string, no arithmetic. */
export function negated(amount: string): string {
  if (isZeroAmount(amount)) return amount;
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

export function quantityText(layout: DocumentLayout, quantity: string, unit: string | undefined): string {
  const name = unit === undefined ? '' : (layout.labels.units[unit] ?? unit);
  const amount = layout.format.quantity(quantity);
  return name ? `${amount} ${name}` : amount;
}

/** The VAT groups; every group that is not standard-rated (category S) carries its exemption reason. */
export function drawTaxBreakdown(
  layout: DocumentLayout,
  y: number,
  groups: TaxBreakdownView[],
  currency: string,
): number {
  if (groups.length === 0) return y;
  const { labels, format } = layout;
  y = ensureSpace(layout, y, 30 + groups.length * 24);
  drawLine(layout, labels.taxBreakdown, layout.left, y, layout.width, {
    weight: 'bold',
    size: 10,
    color: layout.accent,
  });
  y += 16;
  const columns: Column[] = [
    { header: labels.taxCategory, width: 'fill', wrap: true },
    { header: labels.vatRate, width: 60, align: 'right' },
    { header: labels.taxableAmount, width: 100, align: 'right' },
    { header: labels.taxAmount, width: 100, align: 'right' },
  ];
  const rows: TableRow[] = groups.map((group) => ({
    cells: [
      labels.categories[group.category] ?? group.category,
      format.percent(group.percentage),
      format.money(group.taxable_amount, currency),
      format.money(group.tax_amount, currency),
    ],
    note:
      group.category === 'S' ? null : (group.exemption_reason ?? labels.categories[group.category] ?? group.category),
  }));
  return drawTable(layout, y, columns, rows);
}

export const COLORS = { text: TEXT, muted: MUTED, rule: RULE, mark: MARK } as const;
