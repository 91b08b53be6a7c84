import { describe, expect, test } from 'vitest';
import { renderInvoicePdf } from './invoice-pdf';
import { imageXObjectCount, overlappingText, readPdf } from './pdf-text';
import { sampleBranding, sampleCustomer, sampleInvoice } from './sample-documents';
import type { InvoiceView } from './types';

const options = { hostedUrl: 'https://arbor.example/i/4f1c9a0b7d2e', paymentReference: 'RF18539007547034' };

async function render(invoice: InvoiceView, locale = 'de-DE') {
  return renderInvoicePdf(invoice, sampleBranding({ locale }), options);
}

describe('a posted German invoice', () => {
  test('shows its number, dates, German labels, totals and the amount due', async () => {
    const { text, pages } = await readPdf(await render(sampleInvoice(3)));
    expect(pages).toHaveLength(1);
    expect(text).toContain('Rechnung INV-2026-000042');
    expect(text).toContain('Rechnungsnummer INV-2026-000042');
    expect(text).toContain('Datum 03.02.2026');
    expect(text).toContain('Fällig am 05.03.2026');
    expect(text).toContain('Leistungszeitraum 01.01.2026 – 31.01.2026');
    expect(text).toContain('Bestellnummer PO-7781');
    expect(text).toContain('Ihre Referenz Leitweg 991-12345-67');
    expect(text).toContain('Pos. Beschreibung Menge Einzelpreis USt. Betrag');
    expect(text).toContain('2 Std. 50,00 € 19 % 100,00 €');
    expect(text).toContain('Zwischensumme 300,00 €');
    expect(text).toContain('Umsatzsteuer 57,00 €');
    expect(text).toContain('Gesamtbetrag 357,00 €');
    expect(text).toContain('Bezahlt -100,00 €');
    expect(text).toContain('Offener Betrag 257,00 €');
    expect(text).toContain('Normalsatz 19 % 300,00 € 57,00 €');
    expect(text).toContain('Seite 1 von 1');
    expect(text).not.toMatch(/ENTWURF|DRAFT/);
  });

  test('prints the payment instructions with IBAN, BIC and reference, the EPC QR code and the hosted link', async () => {
    const pdf = await readPdf(await render(sampleInvoice(3)));
    expect(pdf.text).toContain('Bitte überweisen Sie 257,00 € bis zum 05.03.2026.');
    expect(pdf.text).toContain('Kontoinhaber Arbor Beispiel GmbH');
    expect(pdf.text).toContain('IBAN DE89 3704 0044 0532 0130 00');
    expect(pdf.text).toContain('BIC COBADEFFXXX');
    expect(pdf.text).toContain('Verwendungszweck RF18539007547034');
    expect(pdf.text).toContain('Mit Banking-App scannen');
    expect(pdf.text).toContain(`Online ansehen und bezahlen: ${options.hostedUrl}`);
    expect(pdf.links).toEqual([options.hostedUrl]);
  });

  test('prints the seller, the customer, notes, the invoice footer and the branding footer', async () => {
    const { text } = await readPdf(await render(sampleInvoice(3)));
    expect(text).toContain('Arbor Beispiel GmbH');
    expect(text).toContain('USt-IdNr.: DE123456789');
    expect(text).toContain('Hauptstraße 5');
    expect(text).toContain('80331 München');
    expect(text).toContain('USt-IdNr.: DE987654321');
    expect(text).toContain('Thank you for your business.');
    expect(text).toContain('Amtsgericht Charlottenburg HRB 12345');
    expect(text).toContain('Arbor Beispiel GmbH · Lindenstraße 12 · 10117 Berlin');
  });
});

test('names in Polish, Spanish, German, Cyrillic and Greek, and the euro sign, print as text', async () => {
  const invoice = sampleInvoice(2, {
    customer_snapshot: { ...sampleCustomer, name: 'Łódź Ñandú Müller €' },
    seller_snapshot: { ...sampleInvoice().seller_snapshot, legal_name: 'ООО «Ромашка» Ελλάδα' },
  });
  const { text } = await readPdf(await render(invoice, 'en-GB'));
  expect(text).toContain('Łódź Ñandú Müller €');
  expect(text).toContain('Beratung Иван Петров — Łódź ñandú');
  expect(text).toContain('ООО «Ромашка» Ελλάδα');
  expect(text).toContain('Invoice INV-2026-000042');
});

test('a 60-line invoice spans pages, repeats the table header on each, and keeps every line in order', async () => {
  const pdf = await readPdf(await render(sampleInvoice(60)));
  expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
  const withLines = pdf.pages.filter((page) => /Consulting services, work package \d+/.test(page));
  expect(withLines.length).toBeGreaterThanOrEqual(2);
  for (const page of withLines) expect(page).toContain('Pos. Beschreibung Menge Einzelpreis USt. Betrag');
  const numbers = [...pdf.text.matchAll(/work package (\d+)/g)].map((m) => Number(m[1]));
  expect(numbers).toEqual(Array.from({ length: 59 }, (_, i) => i + 2));
  for (const [i, page] of pdf.pages.entries()) expect(page).toContain(`Seite ${i + 1} von ${pdf.pages.length}`);
  expect(pdf.pages.at(-1)).toContain('Offener Betrag 7.040,00 €');
  for (const boxes of pdf.boxes) expect(overlappingText(boxes)).toEqual([]);
  for (const [i, size] of pdf.sizes.entries()) {
    for (const box of pdf.boxes[i] ?? []) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      expect(box.y).toBeGreaterThanOrEqual(0);
    }
  }
});

test('a draft says DRAFT on every page, has no number and no QR code', async () => {
  const draft = sampleInvoice(40, { number: null, status: 'draft', issue_date: null, due_date: null });
  const pdf = await readPdf(await render(draft, 'en-US'));
  expect(pdf.pages.length).toBeGreaterThan(1);
  for (const page of pdf.pages) expect(page).toContain('DRAFT');
  expect(pdf.text).toContain('Invoice');
  expect(pdf.text).not.toContain('INV-2026');
  expect(pdf.text).not.toContain('Scan to pay');
  expect(pdf.text).toContain('Please pay €4,660.00.');
  const german = await readPdf(await render(sampleInvoice(1, { number: null, status: 'draft' })));
  expect(german.text).toContain('ENTWURF');
});

test('a void invoice is marked VOID and asks for no payment', async () => {
  const { text } = await readPdf(await render(sampleInvoice(2, { status: 'void' }), 'en-US'));
  expect(text).toContain('VOID');
  expect(text).not.toContain('Payment instructions');
});

test('a USD invoice gets payment instructions but no EPC QR code', async () => {
  const { text } = await readPdf(await render(sampleInvoice(2, { currency: 'USD' }), 'en-US'));
  expect(text).toContain('Amount due $138.00');
  expect(text).toContain('Payment instructions');
  expect(text).not.toContain('Scan to pay');
});

test('a paid invoice asks for nothing', async () => {
  const paid = sampleInvoice(1, { status: 'paid', amount_paid: '119.00', amount_due: '0.00' });
  const { text } = await readPdf(await render(paid, 'en-US'));
  expect(text).toContain('Amount due €0.00');
  expect(text).not.toContain('Payment instructions');
});

test('every VAT group that is not standard-rated prints its exemption reason', async () => {
  const invoice = sampleInvoice(3, {
    tax_breakdown: [
      { category: 'S', percentage: '19.00', exemption_reason: null, taxable_amount: '100.00', tax_amount: '19.00' },
      {
        category: 'AE',
        percentage: '0.00',
        exemption_reason: 'Reverse charge, Art. 196 Directive 2006/112/EC',
        taxable_amount: '100.00',
        tax_amount: '0.00',
      },
      {
        category: 'E',
        percentage: '0',
        exemption_reason: 'Exempt under § 4 Nr. 21 UStG',
        taxable_amount: '50.00',
        tax_amount: '0.00',
      },
      { category: 'Z', percentage: '0', exemption_reason: null, taxable_amount: '50.00', tax_amount: '0.00' },
      {
        category: 'K',
        percentage: '0',
        exemption_reason: 'Intra-community supply, Art. 138',
        taxable_amount: '1.00',
        tax_amount: '0.00',
      },
    ],
  });
  const { text } = await readPdf(await render(invoice, 'en-GB'));
  expect(text).toContain('Reverse charge 0% €100.00 €0.00');
  expect(text).toContain('Reverse charge, Art. 196 Directive 2006/112/EC');
  expect(text).toContain('Exempt under § 4 Nr. 21 UStG');
  expect(text).toMatch(/Zero rated 0% €50\.00 €0\.00\s+Zero rated/);
  expect(text).toContain('Intra-community supply, Art. 138');
});

test('an inclusive invoice shows the VAT it includes; allowances, charges and credits show when present', async () => {
  const invoice = sampleInvoice(1, {
    tax_behavior: 'inclusive',
    subtotal: '119.00',
    allowance_total: '10.00',
    charge_total: '5.00',
    tax_total: '18.20',
    total: '114.00',
    amount_paid: '0.00',
    amount_credited: '14.00',
    amount_written_off: '0.01',
    amount_due: '99.99',
  });
  const { text } = await readPdf(await render(invoice, 'en-GB'));
  expect(text).toContain('Subtotal (incl. VAT) €119.00');
  expect(text).toContain('Allowances -€10.00');
  expect(text).toContain('Charges €5.00');
  expect(text).toContain('Total €114.00');
  expect(text).toContain('Included VAT €18.20');
  expect(text).toContain('Credited -€14.00');
  expect(text).toContain('Written off -€0.01');
  expect(text).not.toContain('Paid -');
  expect(text).toContain('Amount due €99.99');
});

test('amounts print exactly as the server wrote them, however large', async () => {
  const invoice = sampleInvoice(1, { amount_due: '12345678901234567.89', total: '12345678901234567.89' });
  const { text } = await readPdf(await render(invoice));
  expect(text).toContain('Offener Betrag 12.345.678.901.234.567,89 €');
});

test('the same invoice renders to the same bytes, first or later in the process and concurrently', async () => {
  const invoice = sampleInvoice(25);
  const first = await render(invoice);
  const concurrent = await Promise.all([render(invoice), render(sampleInvoice(5)), render(invoice)]);
  expect(concurrent[0]?.equals(first)).toBe(true);
  expect(concurrent[2]?.equals(first)).toBe(true);
  expect((await readPdf(concurrent[1] ?? Buffer.alloc(0))).text).toContain('work package 5');
});

test('the logo is embedded as an image, also from a Uint8Array; an unreadable logo is an error, not a silent omission', async () => {
  const invoice = sampleInvoice(1);
  const withLogo = await renderInvoicePdf(invoice, sampleBranding(), options);
  expect(imageXObjectCount(withLogo)).toBe(1);
  const logo = sampleBranding().logo as Buffer;
  const fromBytes = new Uint8Array(logo.buffer.slice(logo.byteOffset, logo.byteOffset + logo.byteLength));
  const embedded = await renderInvoicePdf(invoice, sampleBranding({ logo: fromBytes as Buffer }), options);
  expect(imageXObjectCount(embedded)).toBe(1);
  await expect(
    renderInvoicePdf(invoice, sampleBranding({ logo: Buffer.from('not an image') }), options),
  ).rejects.toThrow();
  const none = await renderInvoicePdf(invoice, sampleBranding({ logo: null, accent_color: 'red; evil' }), options);
  expect((await readPdf(none)).text).toContain('Rechnung INV-2026-000042');
  expect(imageXObjectCount(none)).toBe(0);
});

test('US English prints on Letter, other locales on A4', async () => {
  const letter = await readPdf(await render(sampleInvoice(1), 'en-US'));
  expect(letter.sizes[0]).toEqual({ width: 612, height: 792 });
  const a4 = await readPdf(await render(sampleInvoice(1), 'fr-FR'));
  expect(a4.sizes[0]?.width).toBeCloseTo(595.28, 1);
  expect(a4.text).toContain('Facture INV-2026-000042');
  expect(a4.text).toContain('Montant dû 19,00 €');
});

test('long texts wrap, a line taller than a page is cut, long notes continue on the next page', async () => {
  const invoice = sampleInvoice(3);
  const first = invoice.lines[0];
  if (!first) throw new Error('sample has lines');
  const pdf = await readPdf(
    await render({
      ...invoice,
      customer_snapshot: { ...sampleCustomer, name: `Kunde ${'mit sehr langem Namen '.repeat(8)}` },
      lines: [
        { ...first, description: `Langtext ${'Wort '.repeat(3000)}Ende` },
        { ...first, description: `https://example.com/${'x'.repeat(300)}` },
        ...invoice.lines.slice(1),
      ],
      notes: Array.from({ length: 120 }, (_, i) => `Hinweis Zeile ${i + 1}`).join('\n'),
    }),
  );
  expect(pdf.text).toContain('Langtext Wort');
  expect(pdf.text).not.toContain('Ende');
  expect(pdf.text).toContain('…');
  expect(pdf.text).toContain('work package 3');
  expect(pdf.text).toContain('Hinweis Zeile 1');
  expect(pdf.text).toContain('Hinweis Zeile 120');
  for (const [i, page] of pdf.pages.entries()) expect(page).toContain(`Seite ${i + 1} von ${pdf.pages.length}`);
  for (const boxes of pdf.boxes) expect(overlappingText(boxes)).toEqual([]);
  for (const [i, size] of pdf.sizes.entries()) {
    for (const box of pdf.boxes[i] ?? []) {
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      expect(box.y).toBeGreaterThanOrEqual(0);
    }
  }
});

test('French puts a space before the colon', async () => {
  const { text } = await readPdf(await render(sampleInvoice(1), 'fr-FR'));
  expect(text).toContain('N° TVA : DE123456789');
  expect(text).toContain('Consulter et payer en ligne : https://arbor.example/i/4f1c9a0b7d2e');
});
