import PDFDocument from 'pdfkit';
import { fontBuffers } from './fonts';
import { renderInvoicePdf } from './invoice-pdf';
import { sampleBranding, sampleInvoice } from './sample-documents';

// DESIGN.md's PDF workload: a 25-line invoice with logo and EPC QR code, against pdfkit rendering
// an empty page with the same embedded font (registered from its bytes, the library's own way).

function renderEmptyPage(font: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('Body', font);
    doc.font('Body');
    doc.end();
  });
}

async function perSecond(iterations: number, render: () => Promise<Buffer>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await render();
  return (iterations * 1000) / (performance.now() - start);
}

/** PDFs per second of our invoice and of the baseline, measured one after the other after a warm-up. */
export async function benchPdf(iterations: number): Promise<{ ours: number; baseline: number }> {
  const invoice = sampleInvoice(25);
  const branding = sampleBranding();
  const options = { hostedUrl: 'https://arbor.example/i/0123456789abcdef', paymentReference: 'RF18539007547034' };
  const font = fontBuffers()['Arbor-Regular'];
  const ours = () => renderInvoicePdf(invoice, branding, options);
  const baseline = () => renderEmptyPage(font);
  const warmup = Math.min(10, Math.max(2, iterations));
  await perSecond(warmup, ours);
  await perSecond(warmup, baseline);
  return { baseline: await perSecond(iterations, baseline), ours: await perSecond(iterations, ours) };
}
