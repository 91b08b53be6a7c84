import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiRequest, eventually, startIsolatedServer, type TestServer } from '../helpers/server';
import { startSmtp } from '../helpers/smtp';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: TestServer;
beforeAll(async () => {
  smtp = await startSmtp();
  // A database of its own: every server's delivery worker sends any due mail through its own SMTP server.
  server = await startIsolatedServer({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await server.stop();
  await smtp.close();
});

async function pdfText(url: string, apiKey?: string): Promise<string> {
  const res = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const doc = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  return (await extractText(doc, { mergePages: true })).text;
}

test('statement and credit note PDFs; the statement is mailed with its PDF; the hosted page offers the UBL', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const noUbl = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-01-15',
    lines: [{ description: 'Before the VAT id', quantity: '1', unit_price: '1', tax_rate: vat19.id }],
  });
  expect((await apiRequest(server.url, 'GET', new URL(noUbl.hosted_url).pathname)).body).not.toContain('/ubl');
  await org.patch('/api/v1/settings', {
    tax_id: 'DE123456789',
    address: { line1: 'Hauptstr. 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
  });
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
  expect(note.status).toBe(201);
  const noteText = await pdfText(`${server.url}/api/v1/credit_notes/${note.body.id}/pdf`, org.apiKey);
  expect(noteText).toContain(note.body.number);
  expect(noteText).toContain(inv.number);
  expect(noteText).toContain('11.90');

  const statementText = await pdfText(
    `${server.url}/api/v1/customers/${customer.id}/statement/pdf?from=2026-01-01&to=2026-12-31`,
    org.apiKey,
  );
  expect(statementText).toContain(inv.number);
  expect(statementText).toContain('108.29'); // 1.19 + 119.00 − 11.90

  const sent = await org.post(`/api/v1/customers/${customer.id}/statement/send`, {
    from: '2026-01-01',
    to: '2026-12-31',
  });
  expect([sent.status, sent.body.to]).toEqual([200, ['ap@globex.test']]);
  const mail = await eventually(() => smtp.mails.find((m) => m.raw.includes(sent.body.message_id)));
  expect(mail.raw).toContain('Content-Type: application/pdf; name=statement-2026-01-01-2026-12-31.pdf');

  const path = new URL(inv.hosted_url).pathname;
  expect((await apiRequest(server.url, 'GET', path)).body).toContain(`${path}/ubl`);
  const ubl = await fetch(`${server.url}${path}/ubl`);
  const ublBody = await ubl.clone().text();
  expect(ubl.headers.get('content-type'), ublBody).toContain('application/xml');
  expect(await ubl.text()).toContain(`<cbc:ID>${inv.number}</cbc:ID>`);
});
