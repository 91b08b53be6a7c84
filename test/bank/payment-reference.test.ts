import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPdf } from '../../src/documents/pdf-text';
import { parseCreditorReference } from '../../src/invoicing/payment-reference';
import { apiRequest, startTestServer, type TestServer } from '../helpers/server';
import { paymentSetup } from '../payments/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('payment references', () => {
  test('a posted invoice carries its RF reference on the API, the hosted page and the PDF; a draft has none', async () => {
    const org = await server.newOrg();
    await org.patch('/api/v1/settings', { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' });
    const { invoice, customer, zero } = await paymentSetup(org);
    const draft = await org.post('/api/v1/invoices', {
      customer: customer.id,
      lines: [{ description: 'Work', quantity: '1', unit_price: '10', tax_rate: zero.id }],
    });
    expect(draft.body.payment_reference).toBeNull();
    const inv = await invoice('120.00');
    expect(inv.payment_reference).toBe(parseCreditorReference(inv.payment_reference));
    expect(inv.payment_reference.slice(4)).toBe(inv.number.replace(/[^0-9A-Z]/gi, ''));
    const page = await apiRequest(server.url, 'GET', new URL(inv.hosted_url).pathname);
    expect(page.body).toContain(inv.payment_reference);
    const res = await fetch(`${server.url}/api/v1/invoices/${inv.id}/pdf`, {
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    const pdf = await readPdf(Buffer.from(await res.arrayBuffer()));
    expect(pdf.text).toContain(inv.payment_reference);
  });
});
