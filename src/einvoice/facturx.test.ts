import { getDocumentProxy } from 'unpdf';
import { describe, expect, test } from 'vitest';
import { renderInvoicePdf } from '../documents/invoice-pdf';
import { sampleBranding, sampleInvoice } from '../documents/sample-documents';
import { attachFacturX } from './facturx';
import { decodePdfString, parsePdf, pdfString } from './pdf-update';

async function samplePdf(): Promise<Buffer> {
  const invoice = sampleInvoice(2, {
    seller_snapshot: { ...sampleInvoice().seller_snapshot, legal_name: 'Müller & Söhne <GmbH>' },
  });
  return renderInvoicePdf(invoice, sampleBranding(), { hostedUrl: null, paymentReference: 'INV-1' });
}

describe('attachFacturX', () => {
  test('appends an incremental update: the original bytes stay, the new trailer points back to the old xref', async () => {
    const original = await samplePdf();
    const pdf = attachFacturX(original, '<x>1</x>', { conformanceLevel: 'EN 16931' });
    expect(pdf.subarray(0, original.length).equals(original)).toBe(true);
    const before = parsePdf(original);
    const after = parsePdf(pdf);
    expect(after.trailer.get('Prev')).toBe(String(before.startXref));
    expect(after.trailer.get('Root')).toBe(before.trailer.get('Root'));
    expect(after.trailer.get('ID')).toBe(before.trailer.get('ID'));
    expect(Number(after.trailer.get('Size'))).toBeGreaterThan(Number(before.trailer.get('Size')));
  });

  test('the XMP escapes the author and title, and the document information says the same', async () => {
    const pdf = attachFacturX(await samplePdf(), '<x>Grüße</x>', { conformanceLevel: 'EN 16931' });
    const xmp = /<x:xmpmeta[\s\S]*<\/x:xmpmeta>/.exec(pdf.toString('utf8'))?.[0] ?? '';
    expect(xmp).toContain('<rdf:li>Müller &amp; Söhne &lt;GmbH&gt;</rdf:li>');
    const document = await getDocumentProxy(new Uint8Array(pdf));
    const info = (await document.getMetadata()).info as Record<string, string>;
    expect(info.Author).toBe('Müller & Söhne <GmbH>');
    expect(info.Producer).toBe('Arbor');
    const attachments = (await document.getAttachments()) as Record<string, { content: Uint8Array }>;
    expect(Buffer.from(attachments['factur-x.xml']!.content).toString('utf8')).toBe('<x>Grüße</x>');
    await document.destroy();
  });

  test('PDF strings round-trip: ASCII literals with escapes, anything else as UTF-16BE', () => {
    for (const value of ['plain', 'a (b) \\ c', 'Grüße €', '']) expect(decodePdfString(pdfString(value))).toBe(value);
    expect(decodePdfString('(line\\nbreak \\101\\(x\\))')).toBe('line\nbreak A(x)');
  });
});
