import { afterAll, beforeAll, expect, test } from 'vitest';
import { imageXObjectCount } from '../../src/documents/pdf-text';
import { sampleLogoPng } from '../../src/documents/sample-documents';
import { startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function pdfOf(url: string, apiKey: string): Promise<Buffer> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

// The logo is stored as bytea: PGlite hands it back as a Uint8Array, node-postgres as a Buffer. Both print it.
test('the uploaded logo is embedded in the invoice, credit note, statement and quote PDFs', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const upload = await org.request('PUT', '/api/v1/settings/logo', sampleLogoPng(), { 'content-type': 'image/png' });
  expect(upload.status, JSON.stringify(upload.body)).toBe(204);

  const inv = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-02-01',
    lines: [{ description: 'Widget', quantity: '4', unit_price: '25', tax_rate: vat19.id }],
  });
  const note = await org.post('/api/v1/credit_notes', {
    invoice: inv.id,
    amount: '11.90',
    credit_to: 'invoice',
    reason: 'Damaged',
  });
  expect(note.status, JSON.stringify(note.body)).toBe(201);
  const quote = await org.post('/api/v1/quotes', {
    customer: customer.id,
    valid_until: '2099-12-31',
    lines: [{ description: 'Setup', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
  });
  expect(quote.status, JSON.stringify(quote.body)).toBe(201);

  const base = `${server.url}/api/v1`;
  const pdfs = {
    invoice: await pdfOf(`${base}/invoices/${inv.id}/pdf`, org.apiKey),
    credit_note: await pdfOf(`${base}/credit_notes/${note.body.id}/pdf`, org.apiKey),
    statement: await pdfOf(`${base}/customers/${customer.id}/statement/pdf?from=2026-01-01&to=2026-12-31`, org.apiKey),
    quote: await pdfOf(`${base}/quotes/${quote.body.id}/pdf`, org.apiKey),
  };
  expect(Object.fromEntries(Object.entries(pdfs).map(([kind, pdf]) => [kind, imageXObjectCount(pdf)]))).toEqual({
    invoice: 1,
    credit_note: 1,
    statement: 1,
    quote: 1,
  });
});
