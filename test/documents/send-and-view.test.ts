import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  apiRequest,
  eventually,
  noJobs,
  startIsolatedServer,
  startTestServer,
  type TestServer,
} from '../helpers/server';
import { startSmtp } from '../helpers/smtp';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { ownDatabase } from '../performance/own-database';

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

async function pdfText(buf: ArrayBuffer | Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(buf));
  return (await extractText(doc, { mergePages: true })).text;
}

async function invoiceSetup() {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  await org.patch('/api/v1/settings', { iban: 'DE89370400440532013000', legal_name: 'Acme Ümlaut GmbH' });
  const contact = await org.post(`/api/v1/customers/${customer.id}/contacts`, {
    name: 'Accounts',
    email: 'accounts@globex.test',
    receives_invoices: true,
  });
  const inv = await postedInvoice(org, {
    customer: customer.id,
    lines: [{ description: 'Beratung für Łódź', quantity: '2', unit_price: '50', tax_rate: vat19.id }],
  });
  return { org, customer, inv, contact: contact.body };
}

async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

describe('invoice PDF', () => {
  test('renders the number, totals and non-Latin text; drafts say DRAFT', async () => {
    const { org, inv, customer } = await invoiceSetup();
    const pdf = await fetchBytes(`${server.url}/api/v1/invoices/${inv.id}/pdf`, {
      authorization: `Bearer ${org.apiKey}`,
    });
    expect(pdf.type).toBe('application/pdf');
    const text = await pdfText(pdf.body);
    expect(text).toContain(inv.number);
    expect(text).toContain('Łódź');
    expect(text).toContain('119.00');
    const draft = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    const draftPdf = await fetchBytes(`${server.url}/api/v1/invoices/${draft.id}/pdf`, {
      authorization: `Bearer ${org.apiKey}`,
    });
    expect(await pdfText(draftPdf.body)).toContain('DRAFT');
  });
});

describe('sending', () => {
  test('mails the customer and contacts with the PDF attached and the hosted link', async () => {
    const { org, inv } = await invoiceSetup();
    const before = smtp.mails.length;
    const res = await org.post(`/api/v1/invoices/${inv.id}/send`, { message: 'Thanks for your order!' });
    expect(res.status).toBe(200);
    expect(res.body.email.to).toEqual(['ap@globex.test', 'accounts@globex.test']);
    expect(res.body.invoice.sent_at).not.toBeNull();
    const mail = await eventually(() => smtp.mails.slice(before).find((m) => m.to.includes('ap@globex.test')));
    expect(mail.to).toEqual(['ap@globex.test', 'accounts@globex.test']);
    expect(mail.header('Subject')).toBe(`Invoice ${inv.number} from Acme Ümlaut GmbH`);
    expect(mail.raw).toMatch(new RegExp(`Content-Type: application/pdf; name=${inv.number}.pdf`));
    expect(mail.raw).toContain('JVBERi0'); // base64 of "%PDF-"
    expect(mail.text).toContain(inv.hosted_url);
    expect(mail.text).toContain('Thanks for your order!');
    const emails = await eventually(async () => {
      const r = await org.get(`/api/v1/emails?invoice=${inv.id}`);
      return r.body.data[0]?.status === 'sent' ? r : undefined;
    });
    expect(emails.body.data[0]).toMatchObject({ status: 'sent', attempts: 1, message_id: mail.header('Message-ID') });
    const timeline = await org.get(`/api/v1/invoices/${inv.id}/events`);
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toContain('invoice.sent');
  });

  test('a draft cannot be sent; no recipient is a 422', async () => {
    const { org, customer, inv } = await invoiceSetup();
    const draft = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    expect((await org.post(`/api/v1/invoices/${draft.id}/send`, {})).status).toBe(409);
    await org.patch(`/api/v1/customers/${customer.id}`, { email: null });
    const contacts = (await org.get(`/api/v1/customers/${customer.id}/contacts`)).body.data;
    for (const c of contacts) await org.delete(`/api/v1/contacts/${c.id}`);
    const res = await org.post(`/api/v1/invoices/${inv.id}/send`, {});
    expect([res.status, res.body.error.param]).toEqual([422, 'to']);
  });

  test('a mail left by a crash mid-send is sent again once, with the same Message-ID', async () => {
    const { org, inv } = await invoiceSetup();
    const res = await org.post(`/api/v1/invoices/${inv.id}/send`, { to: ['crash@globex.test'] });
    await eventually(() => smtp.mails.some((m) => m.to.includes('crash@globex.test')));
    await eventually(async () => (await org.get(`/api/v1/emails?invoice=${inv.id}`)).body.data[0]?.status === 'sent');
    // The server took the mail, but the process died before recording it: 'sending', its outbox message claimed
    // with an expired lock.
    await server.db.execute(sql`update emails set status = 'sending' where id = ${res.body.email.id}`);
    await server.db.execute(
      sql`update outbox set status = 'processing', locked_until = ${new Date(server.clock.now().getTime() - 1000)} where topic = 'email.deliver' and key = ${res.body.email.id}`,
    );
    await server.server.delivery.drain();
    await server.server.delivery.drain();
    const received = smtp.mails.filter((m) => m.to.includes('crash@globex.test'));
    expect(received).toHaveLength(2);
    expect(received[1]!.header('Message-ID')).toBe(received[0]!.header('Message-ID'));
    const row = (await org.get(`/api/v1/emails?invoice=${inv.id}`)).body.data[0];
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(received.at(-1)!.header('Message-ID')).toBe(row.message_id);
  });
});

test('a mail committed before a crash is delivered exactly once after restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-crash-'));
  // A real restart: an embedded data folder (or a PostgreSQL database of the test's own) outlives the first process.
  const own = process.env.DATABASE_URL ? await ownDatabase(process.env.DATABASE_URL) : null;
  const where = own ? { databaseUrl: own.url } : { dataDir };
  const first = await startTestServer({ smtpUrl: smtp.url, ...where }, { jobs: noJobs });
  const org = await first.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const inv = await postedInvoice(org, {
    customer: customer.id,
    lines: [{ description: 'A', quantity: '1', unit_price: '1', tax_rate: vat19.id }],
  });
  await org.post(`/api/v1/invoices/${inv.id}/send`, { to: ['restart@globex.test'] });
  await first.stop(); // no delivery happened before the "crash"
  expect(smtp.mails.filter((m) => m.to.includes('restart@globex.test'))).toHaveLength(0);
  const second = await startTestServer({ smtpUrl: smtp.url, ...where });
  await second.server.delivery.drain();
  await second.server.delivery.drain();
  expect(smtp.mails.filter((m) => m.to.includes('restart@globex.test'))).toHaveLength(1);
  await second.stop();
  await own?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('hosted invoice page', () => {
  test('shows the invoice, counts views by outsiders, downloads the PDF, and a rotated link stops working', async () => {
    const { org, inv } = await invoiceSetup();
    const page = await apiRequest(server.url, 'GET', new URL(inv.hosted_url).pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain(inv.number);
    expect(page.body).toContain('DE89370400440532013000');
    expect(page.body).toContain('width=device-width');
    await apiRequest(server.url, 'GET', new URL(inv.hosted_url).pathname);
    const seen = (await org.get(`/api/v1/invoices/${inv.id}`)).body;
    expect(seen.view_count).toBe(2);
    expect(seen.first_viewed_at).not.toBeNull();
    const pdf = await fetchBytes(`${server.url}${new URL(inv.hosted_url).pathname}/pdf`);
    expect([pdf.status, pdf.type]).toEqual([200, 'application/pdf']);
    const types = (await org.get(`/api/v1/invoices/${inv.id}/events`)).body.data.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'invoice.viewed')).toHaveLength(2);
    expect(types).toContain('invoice.downloaded');
    const rotated = await org.post(`/api/v1/invoices/${inv.id}/rotate_link`);
    expect(rotated.body.hosted_url).not.toBe(inv.hosted_url);
    expect((await apiRequest(server.url, 'GET', new URL(inv.hosted_url).pathname)).status).toBe(404);
    expect((await apiRequest(server.url, 'GET', new URL(rotated.body.hosted_url).pathname)).status).toBe(200);
  });

  test("the organization's own signed-in users do not count as views", async () => {
    const { org, inv } = await invoiceSetup();
    const login = await apiRequest(server.url, 'POST', '/api/v1/auth/login', {
      email: org.adminEmail,
      password: 'correct horse battery',
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    await apiRequest(server.url, 'GET', new URL(inv.hosted_url).pathname, undefined, { cookie });
    expect((await org.get(`/api/v1/invoices/${inv.id}`)).body.view_count).toBe(0);
  });

  test('an unknown token is a 404', async () => {
    expect((await apiRequest(server.url, 'GET', '/i/not-a-real-token-000000000000')).status).toBe(404);
  });
});
