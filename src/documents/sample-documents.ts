import { crc32, deflateSync } from 'node:zlib';
import type { Branding, CreditNoteView, InvoiceLineView, InvoiceView, StatementView } from './types';

// Example documents for tests, the benchmark and previews. The figures add up per API.md.

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small RGB PNG logo, built by hand: a green bar with a lighter "tree" block. */
export function sampleLogoPng(width = 160, height = 48): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const tree = x > 12 && x < 44 && y > 8 && y < 40 && Math.abs(x - 28) < (y - 4) / 2;
      const [r, g, b] = tree ? [170, 220, 160] : x < 56 ? [31, 110, 60] : [245, 245, 240];
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const sampleSeller = {
  legal_name: 'Arbor Beispiel GmbH',
  address: { line1: 'Lindenstraße 12', line2: null, city: 'Berlin', postal_code: '10117', region: null, country: 'DE' },
  tax_id: 'DE123456789',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
  email: 'billing@arbor.example',
  phone: '+49 30 1234567',
} satisfies InvoiceView['seller_snapshot'];

export const sampleCustomer = {
  name: 'Łódź Ñandú Müller € GmbH',
  email: 'ap@customer.example',
  billing_address: {
    line1: 'Hauptstraße 5',
    line2: 'Gebäude B',
    city: 'München',
    postal_code: '80331',
    region: null,
    country: 'DE',
  },
  tax_id: 'DE987654321',
} satisfies InvoiceView['customer_snapshot'];

/**
 * A posted EUR invoice of `lineCount` lines of 100.00 at 19 % (net 100.00 each), paid 100.00.
 * Totals: subtotal = lineCount × 100.00, tax = 19 % of it, computed as text from whole hundreds.
 */
export function sampleInvoice(lineCount = 3, overrides: Partial<InvoiceView> = {}): InvoiceView {
  const lines: InvoiceLineView[] = Array.from({ length: lineCount }, (_, i) => ({
    description: i === 0 ? 'Beratung Иван Петров — Łódź ñandú' : `Consulting services, work package ${i + 1}`,
    quantity: '2',
    unit: 'HUR',
    unit_price: '50.00',
    discount_percent: null,
    amount: '100.00',
    tax_rate_percentage: '19.00',
    period: i === 1 ? { start: '2026-01-01', end: '2026-01-31' } : null,
  }));
  const subtotal = `${lineCount * 100}.00`;
  const tax = `${lineCount * 19}.00`;
  const total = `${lineCount * 119}.00`;
  const due = `${lineCount * 119 - 100}.00`;
  return {
    number: 'INV-2026-000042',
    status: 'posted',
    issue_date: '2026-02-03',
    due_date: '2026-03-05',
    currency: 'EUR',
    tax_behavior: 'exclusive',
    customer_snapshot: sampleCustomer,
    seller_snapshot: sampleSeller,
    lines,
    subtotal,
    allowance_total: '0.00',
    charge_total: '0.00',
    tax_total: tax,
    total,
    amount_paid: '100.00',
    amount_credited: '0.00',
    amount_due: due,
    tax_breakdown: [
      { category: 'S', percentage: '19.00', exemption_reason: null, taxable_amount: subtotal, tax_amount: tax },
    ],
    po_number: 'PO-7781',
    buyer_reference: 'Leitweg 991-12345-67',
    notes: 'Thank you for your business.',
    footer: 'Geschäftsführer: Erika Mustermann · Amtsgericht Charlottenburg HRB 12345',
    service_period: { start: '2026-01-01', end: '2026-01-31' },
    ...overrides,
  };
}

export function sampleCreditNote(overrides: Partial<CreditNoteView> = {}): CreditNoteView {
  return {
    number: 'CN-2026-000007',
    invoice: 'inv_0190',
    invoice_number: 'INV-2026-000042',
    invoice_issue_date: '2026-02-03',
    currency: 'EUR',
    reason: 'Work package 2 was not delivered.',
    lines: [
      {
        invoice_line: 'line_2',
        description: 'Consulting services, work package 2',
        quantity: '2',
        unit: 'HUR',
        unit_price: '50.00',
        amount: '100.00',
      },
    ],
    subtotal: '100.00',
    tax_total: '19.00',
    total: '119.00',
    tax_breakdown: [
      { category: 'S', percentage: '19.00', exemption_reason: null, taxable_amount: '100.00', tax_amount: '19.00' },
    ],
    credit_to: 'invoice',
    status: 'issued',
    issue_date: '2026-02-10',
    customer_snapshot: sampleCustomer,
    seller_snapshot: sampleSeller,
    ...overrides,
  };
}

export function sampleStatement(overrides: Partial<StatementView> = {}): StatementView {
  return {
    customer: 'cus_0190',
    currency: 'EUR',
    from: '2026-01-01',
    to: '2026-03-31',
    opening_balance: '250.00',
    lines: [
      {
        date: '2026-02-03',
        type: 'invoice',
        document: 'inv_0190',
        number: 'INV-2026-000042',
        debit: '357.00',
        credit: null,
        balance: '607.00',
      },
      {
        date: '2026-02-10',
        type: 'credit_note',
        document: 'cn_0190',
        number: 'CN-2026-000007',
        debit: null,
        credit: '119.00',
        balance: '488.00',
      },
      {
        date: '2026-02-20',
        type: 'payment',
        document: 'pay_0190',
        number: null,
        debit: null,
        credit: '250.00',
        balance: '238.00',
      },
    ],
    closing_balance: '238.00',
    customer_snapshot: sampleCustomer,
    seller_snapshot: sampleSeller,
    ...overrides,
  };
}

export function sampleBranding(overrides: Partial<Branding> = {}): Branding {
  return {
    accent_color: '#1f6e3c',
    footer: 'Arbor Beispiel GmbH · Lindenstraße 12 · 10117 Berlin',
    logo: sampleLogoPng(),
    locale: 'de-DE',
    ...overrides,
  };
}
