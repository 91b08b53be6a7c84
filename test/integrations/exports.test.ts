import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sum } from '../../src/money/money';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { day, ok } from '../reports/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const v1 = (p: string) => `/api/v1${p}`;

/** The small journal: an invoice at 19 % and 7 %, its payment, and a credit note. */
async function smallJournal(org: OrgClient) {
  const { vat19, vat7, customer } = await billingSetup(org);
  const invoice = await postedInvoice(org, {
    customer: customer.id,
    issue_date: day(-10),
    lines: [
      { description: 'Consulting', quantity: '1', unit_price: '100.00', tax_rate: vat19.id },
      { description: 'Books', quantity: '1', unit_price: '50.00', tax_rate: vat7.id },
    ],
  });
  expect(invoice.total).toBe('172.50');
  await ok(
    org.post(v1('/payments'), {
      customer: customer.id,
      amount: '172.50',
      date: day(-5),
      method: 'bank_transfer',
      reference: 'Transfer 4711',
      allocations: [{ invoice: invoice.id, amount: '172.50' }],
    }),
    201,
  );
  const note = await ok(
    org.post(v1('/credit_notes'), {
      invoice: invoice.id,
      amount: '11.90',
      credit_to: 'customer_balance',
      issue_date: day(-2),
    }),
    201,
  );
  return { customer, invoice, note };
}

async function download(org: OrgClient, id: string) {
  const res = await fetch(`${org.baseUrl}${v1(`/exports/${id}/file`)}`, {
    headers: { authorization: `Bearer ${org.apiKey}` },
  });
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

test('every format exports the period, debits equal credits, and the export is recorded with its file and hash', async () => {
  const org = await server.newOrg();
  const { invoice, note } = await smallJournal(org);
  await ok(
    org.patch(v1('/settings'), {
      datev: { consultant_number: 29098, client_number: 55003 },
      xero: { receivables_clearing_account: '1190' },
    }),
  );
  const period = { kind: 'journal', from: day(-30), to: day(0) };

  const csv = await ok(org.post(v1('/exports'), { ...period, format: 'csv' }), 201);
  expect(csv).toMatchObject({ kind: 'journal', format: 'csv', entries: 4, lines: 10, only_new: false });
  const csvFile = await download(org, csv.id);
  expect(createHash('sha256').update(csvFile.bytes).digest('hex')).toBe(csv.sha256);
  const csvRows = csvFile.bytes.toString('utf8').trim().split('\r\n');
  expect(csvRows[0]).toBe('date,entry,source_type,source_number,account,account_name,debit,credit,currency,memo');
  expect(csvRows.slice(1).map((r) => r.split(',').slice(2, 8))).toContainEqual([
    'invoice',
    invoice.number,
    '4000',
    'Sales revenue',
    '0.00',
    '150.00',
  ]);
  const cells = csvRows.slice(1).map((r) => r.split(','));
  expect(sum(cells.map((c) => c[6]!)).equals(sum(cells.map((c) => c[7]!)))).toBe(true);

  const json = await ok(org.post(v1('/exports'), { ...period, format: 'json' }), 201);
  const entries = JSON.parse((await download(org, json.id)).bytes.toString('utf8'));
  const listed = (await org.get(v1(`/journal_entries?from=${period.from}&to=${period.to}`))).body.data;
  expect(entries.map((e: { id: string }) => e.id).sort()).toEqual(listed.map((e: { id: string }) => e.id).sort());
  expect(entries.find((e: { id: string }) => e.id === listed[0].id)).toEqual(listed[0]);

  const datev = await ok(org.post(v1('/exports'), { ...period, format: 'datev' }), 201);
  const datevFile = await download(org, datev.id);
  expect(datevFile.type).toContain('windows-1252');
  const text = iconv.decode(datevFile.bytes, 'win1252');
  const [header, titles, ...bookings] = text.trimEnd().split('\r\n');
  expect(header!.split(';').slice(0, 5)).toEqual(['"EXTF"', '700', '21', '"Buchungsstapel"', '13']);
  const h = header!.split(';');
  expect([h[10], h[11], h[12], h[13], h[14], h[15], h[21]]).toEqual([
    '29098',
    '55003',
    '20260101',
    '4',
    period.from.replaceAll('-', ''),
    period.to.replaceAll('-', ''),
    '"EUR"',
  ]);
  expect(titles!.startsWith('Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz')).toBe(true);
  const invoiceBookings = bookings.filter((b) => b.split(';')[10] === `"${invoice.number}"` && b.includes(';10000;'));
  // The customer got the first debtor account (10^4); receivables book on it.
  expect(invoiceBookings.map((b) => b.split(';').slice(0, 8).join(';'))).toContain('150,00;"S";"EUR";;;;10000;4000');
  expect(bookings.some((b) => b.split(';')[10] === `"${note.number}"`)).toBe(true);
  const booked = sum(bookings.map((b) => b.split(';')[0]!.replace(',', '.')));
  expect(booked.equals(sum(cells.map((c) => c[6]!)))).toBe(true);

  const xero = await ok(org.post(v1('/exports'), { ...period, format: 'xero' }), 201);
  const xeroRows = (await download(org, xero.id)).bytes.toString('utf8').trim().split('\n');
  expect(xeroRows[0]).toBe('*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount');
  expect(sum(xeroRows.slice(1).map((r) => r.split(',').at(-1)!)).isZero()).toBe(true);
  expect(xeroRows.slice(1).every((r) => r.split(',')[3] !== '1200')).toBe(true);

  const qb = await ok(org.post(v1('/exports'), { ...period, format: 'quickbooks' }), 201);
  const qbRows = (await download(org, qb.id)).bytes.toString('utf8').trim().split('\n');
  expect(qbRows[0]).toBe('Journal No.,Journal Date,Account Name,Debits,Credits,Description,Name');
  const qbCells = qbRows.slice(1).map((r) => r.split(','));
  expect(sum(qbCells.map((c) => c[3] || '0')).equals(sum(qbCells.map((c) => c[4] || '0')))).toBe(true);
  expect(new Set(qbCells.map((c) => c[0])).size).toBe(4);

  const history = (await org.get(v1('/exports'))).body.data;
  expect(history.map((e: { format: string }) => e.format)).toEqual(['quickbooks', 'xero', 'datev', 'json', 'csv']);
  expect((await org.get(v1('/events?type=export.created'))).body.data).toHaveLength(5);
  const other = await server.newOrg();
  expect((await other.get(v1(`/exports/${csv.id}/file`))).status).toBe(404);
  expect((await (await org.keyWithRole('sales')).get(v1('/exports'))).status).toBe(403);
});

test('only_new twice exports nothing the second time; another format still gets everything', async () => {
  const org = await server.newOrg();
  await smallJournal(org);
  const body = { kind: 'journal', format: 'csv', from: day(-30), to: day(0), only_new: true };
  const first = await ok(org.post(v1('/exports'), body), 201);
  expect(first).toMatchObject({ entries: 4, lines: 10 });
  const second = await ok(org.post(v1('/exports'), body), 201);
  expect(second).toMatchObject({ entries: 0, lines: 0 });
  const file = (await download(org, second.id)).bytes.toString('utf8');
  expect(file).toBe('date,entry,source_type,source_number,account,account_name,debit,credit,currency,memo\r\n');
  expect((await ok(org.post(v1('/exports'), { ...body, format: 'json' }), 201)).entries).toBe(4);
  // Something new after the first export is all the next one takes.
  const { customer } = await billingSetup(org);
  await ok(org.post(v1('/payments'), { customer: customer.id, amount: '5.00', date: day(0), method: 'cash' }), 201);
  expect(await ok(org.post(v1('/exports'), body), 201)).toMatchObject({ entries: 1, lines: 2 });
});

test('DATEV and Xero refuse what they cannot take', async () => {
  const org = await server.newOrg();
  const period = { kind: 'journal', format: 'datev', from: day(-30), to: day(0) };
  const missing = await org.post(v1('/exports'), period);
  expect(missing.status).toBe(422);
  expect(missing.body.error).toMatchObject({
    code: 'datev_settings_missing',
    param: 'settings.datev.consultant_number',
  });
  await ok(
    org.patch(v1('/settings'), {
      datev: { consultant_number: 1001, client_number: 1 },
      ledger_accounts: { revenue: '84000' },
    }),
  );
  const length = await org.post(v1('/exports'), period);
  expect(length.body.error).toMatchObject({ code: 'datev_account_length', param: 'settings.ledger_accounts.revenue' });
  await ok(org.patch(v1('/settings'), { ledger_accounts: { revenue: '8400' } }));
  const years = await org.post(v1('/exports'), { ...period, from: '2025-12-01' });
  expect(years.status).toBe(422);
  expect(years.body.error.code).toBe('datev_period_spans_fiscal_years');
  const usd = await ok(org.post(v1('/customers'), { name: 'Dollar Inc', currency: 'USD' }), 201);
  await ok(org.post(v1('/payments'), { customer: usd.id, amount: '5.00', date: day(0), method: 'cash' }), 201);
  const foreign = await org.post(v1('/exports'), period);
  expect(foreign.status).toBe(422);
  expect(foreign.body.error.code).toBe('datev_foreign_currency');
  const xero = await org.post(v1('/exports'), { ...period, format: 'xero' });
  expect(xero.body.error).toMatchObject({ code: 'xero_clearing_account_missing' });
  expect((await org.get(v1('/exports'))).body.data).toHaveLength(0);
});
