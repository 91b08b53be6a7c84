import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { day, ok } from '../reports/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const v1 = (p: string) => `/api/v1${p}`;

async function csvOf(org: OrgClient, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${org.baseUrl}${v1(path)}`, {
    headers: { authorization: `Bearer ${org.apiKey}`, ...headers },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  return parse(await res.text(), { columns: true }) as Record<string, string>[];
}

const importCsv = (org: OrgClient, kind: string, csv: string, query = '') =>
  org.request('POST', v1(`/imports/${kind}${query}`), csv, { 'content-type': 'text/csv' });

test('a list answers with every filtered row as CSV: dotted nested fields, arrays as JSON, limit ignored', async () => {
  const org = await server.newOrg();
  for (const [name, city] of [
    ['Acme AG', 'Berlin'],
    ['Acme Two', 'Köln'],
    ['Bolt GmbH', 'Bonn'],
  ])
    await ok(
      org.post(v1('/customers'), {
        name,
        currency: 'EUR',
        billing_address: { city, country: 'DE' },
        metadata: { k: 'v' },
      }),
      201,
    );
  const all = await csvOf(org, '/customers?format=csv&limit=1');
  expect(all).toHaveLength(3);
  expect(Object.keys(all[0]!)).toEqual(expect.arrayContaining(['id', 'name', 'billing_address.city', 'metadata']));
  expect(all.map((r) => r['billing_address.city']).sort()).toEqual(['Berlin', 'Bonn', 'Köln']);
  expect(JSON.parse(all[0]!.metadata!)).toEqual({ k: 'v' });
  const filtered = await csvOf(org, '/customers?search=acme', { accept: 'text/csv' });
  expect(filtered.map((r) => r.name).sort()).toEqual(['Acme AG', 'Acme Two']);
  // 250 products: more than one page of the service, one file.
  const rows = Array.from({ length: 250 }, (_, i) => `Product ${i},${i + 1}.00,EUR`).join('\n');
  expect((await importCsv(org, 'products', `name,unit_price,currency\n${rows}\n`)).status).toBe(200);
  expect(await csvOf(org, '/products?format=csv')).toHaveLength(250);
  const { vat19, customer } = await billingSetup(org);
  await postedInvoice(org, {
    customer: customer.id,
    lines: [{ description: 'Work', quantity: '2', unit_price: '10.00', tax_rate: vat19.id }],
  });
  const [invoice] = await csvOf(org, '/invoices?format=csv');
  expect(invoice).toMatchObject({ total: '23.80', 'customer_snapshot.name': 'Globex GmbH' });
  expect(JSON.parse(invoice!.lines!)[0]).toMatchObject({ description: 'Work', amount: '20.00' });
  expect(await csvOf(org, '/payments?format=csv')).toEqual([]);
  // Reports too: one row per customer of the aging, per account of the trial balance.
  const aging = await csvOf(org, '/reports/aging?format=csv');
  expect(aging).toEqual([
    expect.objectContaining({ currency: 'EUR', name: 'Globex GmbH', total: '23.80', 'buckets.current': '23.80' }),
  ]);
  const tb = await csvOf(org, '/reports/trial_balance', { accept: 'text/csv' });
  expect(tb.map((r) => [r.key, r.debit, r.credit])).toEqual(
    expect.arrayContaining([
      ['receivables', '23.80', '0.00'],
      ['revenue', '0.00', '20.00'],
    ]),
  );
  // JSON is still the default.
  expect((await org.get(v1('/customers?limit=1'))).body.data).toHaveLength(1);
});

test('customer import: a dry run writes nothing, one bad row refuses all, matches by id or email update', async () => {
  const org = await server.newOrg();
  const existing = await ok(
    org.post(v1('/customers'), { name: 'Old Name', email: 'old@x.test', currency: 'EUR' }),
    201,
  );
  const good = [
    'name,email,currency,billing_address.city,billing_address.country,payment_terms_days',
    'New One,new1@x.test,EUR,Berlin,DE,14',
    'Renamed,OLD@x.test,EUR,Hamburg,DE,',
  ].join('\n');
  const dry = await importCsv(org, 'customers', good, '?dry_run=true');
  expect(dry.status, JSON.stringify(dry.body)).toBe(200);
  expect(dry.body).toEqual({ kind: 'customers', dry_run: true, rows: 2, created: 1, updated: 1, errors: [] });
  expect((await org.get(v1('/customers'))).body.data).toHaveLength(1);

  const bad = `${good}\nBroken,not-an-email,EURO,,XX,ten\n`;
  const refused = await importCsv(org, 'customers', bad);
  expect(refused.status).toBe(422);
  expect(refused.body).toMatchObject({ kind: 'customers', dry_run: false, rows: 3 });
  const columns = refused.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
  expect(columns).toEqual(
    expect.arrayContaining(['3:payment_terms_days', '3:email', '3:currency', '3:billing_address.country']),
  );
  expect(refused.body.errors.every((e: { row: number }) => e.row === 3)).toBe(true);
  expect((await org.get(v1('/customers'))).body.data).toHaveLength(1);

  const unknown = await importCsv(org, 'customers', 'name,colour\nA,red\n');
  expect(unknown.status).toBe(422);
  expect(unknown.body.errors[0]).toMatchObject({ row: 0, column: 'colour', code: 'unknown_column' });
  expect((await importCsv(org, 'widgets', 'name\nA\n')).status).toBe(400);

  const done = await importCsv(org, 'customers', good);
  expect(done.body).toMatchObject({ created: 1, updated: 1, errors: [] });
  const renamed = (await org.get(v1(`/customers/${existing.id}`))).body;
  expect(renamed).toMatchObject({ name: 'Renamed', billing_address: { city: 'Hamburg' } });
  const byId = await importCsv(org, 'customers', `id,phone\n${existing.id},+49 30 1\n`);
  expect(byId.body).toMatchObject({ created: 0, updated: 1 });
  expect((await org.get(v1(`/customers/${existing.id}`))).body.phone).toBe('+49 30 1');
  expect(
    (
      await (
        await org.keyWithRole('viewer')
      ).request('POST', v1('/imports/customers'), good, { 'content-type': 'text/csv' })
    ).status,
  ).toBe(403);
});

test('contacts and products import against the organization\u2019s customers and tax rates', async () => {
  const org = await server.newOrg();
  const { vat19, customer } = await billingSetup(org);
  const contacts = await importCsv(
    org,
    'contacts',
    `customer,name,email,receives_invoices\n${customer.id},Ann,ann@globex.test,true\nap@globex.test,Bob,,no\nnobody@x.test,Cy,,\n`,
  );
  expect(contacts.status).toBe(422);
  expect(contacts.body.errors).toEqual([
    { row: 3, column: 'customer', code: 'not_found', message: expect.any(String) },
  ]);
  const fixed = await importCsv(
    org,
    'contacts',
    `customer,name,email,receives_invoices\n${customer.id},Ann,ann@globex.test,true\nap@globex.test,Bob,,no\n`,
  );
  expect(fixed.body).toMatchObject({ created: 2 });
  const listed = (await org.get(v1(`/customers/${customer.id}/contacts`))).body.data;
  expect(listed.map((c: { name: string; receives_invoices: boolean }) => [c.name, c.receives_invoices]).sort()).toEqual(
    [
      ['Ann', true],
      ['Bob', false],
    ],
  );
  const products = await importCsv(
    org,
    'products',
    `name,sku,unit_price,currency,tax_rate\nA,a1,9.99,EUR,${vat19.id}\nB,b1,-1,EUR,txr_nope\n`,
  );
  expect(products.status).toBe(422);
  expect(products.body.errors.map((e: { column: string }) => e.column)).toEqual(['unit_price']);
  expect(
    (await importCsv(org, 'products', `name,unit_price,currency,tax_rate\nA,9.99,EUR,txr_nope\n`)).body.errors[0],
  ).toMatchObject({
    row: 1,
    column: 'tax_rate',
    code: 'not_found',
  });
});

test('10,000 customers import in one call', async () => {
  const org = await server.newOrg();
  const rows = Array.from({ length: 10_000 }, (_, i) => `Customer ${i},c${i}@bulk.test,EUR,DE`);
  const res = await importCsv(org, 'customers', `name,email,currency,billing_address.country\n${rows.join('\n')}\n`);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  expect(res.body).toMatchObject({ rows: 10_000, created: 10_000, updated: 0 });
  const last = (await org.get(v1('/customers?search=Customer 9999'))).body.data;
  expect(last.map((c: { email: string }) => c.email)).toEqual(['c9999@bulk.test']);
}, 240_000);

test('open invoices: posted in an external series, in aging, statements and the trial balance; arbor check stays clean', async () => {
  const org = await server.newOrg();
  const { vat19, customer } = await billingSetup(org);
  await postedInvoice(org, {
    customer: customer.id,
    issue_date: day(-3),
    lines: [{ description: 'New work', quantity: '1', unit_price: '10.00', tax_rate: vat19.id }],
  });
  await ok(org.patch(v1('/settings'), { books_closed_through: day(-10) }));
  const header = 'customer,number,issue_date,due_date,total,amount_due,tax_total';
  const rows = [
    `ap@globex.test,OLD-1,${day(-60)},${day(-30)},119.00,119.00,19.00`,
    `${customer.id},OLD-2,${day(-40)},${day(5)},238.00,38.00,38.00`,
  ];
  const closed = await importCsv(org, 'open_invoices', `${header}\n${rows.join('\n')}\n`, `?opening_date=${day(-10)}`);
  expect(closed.status).toBe(409);
  expect(closed.body.error).toMatchObject({ code: 'period_closed', param: 'opening_date' });
  const taken = await importCsv(
    org,
    'open_invoices',
    `${header}\n${rows[0]}\n${rows[0]}\n`,
    `?opening_date=${day(-5)}`,
  );
  expect(taken.status).toBe(422);
  expect(taken.body.errors).toEqual([{ row: 2, column: 'number', code: 'number_taken', message: expect.any(String) }]);

  const res = await importCsv(org, 'open_invoices', `${header}\n${rows.join('\n')}\n`, `?opening_date=${day(-5)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ kind: 'open_invoices', created: 2 });
  const listRes = await org.get(v1('/invoices?search=OLD'));
  expect(listRes.status, JSON.stringify(listRes.body)).toBe(200);
  const imported = listRes.body.data;
  const old2 = imported.find((i: { number: string }) => i.number === 'OLD-2');
  expect(old2).toMatchObject({
    status: 'posted',
    source: { type: 'import' },
    subtotal: '200.00',
    total: '238.00',
    amount_paid: '200.00',
    amount_due: '38.00',
    payment_status: 'partially_paid',
  });
  expect(old2.lines[0].description).toBe('Opening balance of OLD-2');
  expect((await org.get(v1(`/invoices/${old2.id}/ubl`))).body.error.code).toBe('imported_invoice');

  const aging = (await org.get(v1('/reports/aging'))).body.currencies[0];
  expect(aging.total).toBe('168.90'); // 119.00 + 38.00 + 11.90 posted here
  // Before the opening date the imported balances are not there yet, in the aging as in the ledger.
  expect((await org.get(v1(`/reports/aging?as_of=${day(-6)}`))).body.currencies).toEqual([]);
  const tb = (await org.get(v1('/reports/trial_balance'))).body.currencies[0].accounts;
  expect(tb.find((a: { key: string }) => a.key === 'opening_balance')).toMatchObject({ credit: '157.00' });
  expect(tb.find((a: { key: string }) => a.key === 'receivables')).toMatchObject({ balance: '168.90' });
  const statement = (await org.get(v1(`/customers/${customer.id}/statement?from=${day(-90)}&to=${day(0)}`))).body;
  expect(statement.lines.filter((l: { number: string }) => l.number?.startsWith('OLD'))).toEqual([
    expect.objectContaining({ date: day(-5), debit: '119.00' }),
    expect.objectContaining({ date: day(-5), debit: '38.00' }),
  ]);
  // A payment on an imported invoice is like any other.
  await ok(
    org.post(v1('/payments'), {
      customer: customer.id,
      amount: '38.00',
      method: 'bank_transfer',
      allocations: [{ invoice: old2.id, amount: '38.00' }],
    }),
    201,
  );
  const check = (await org.get(v1('/admin/check'))).body;
  expect(check.violations, JSON.stringify(check.violations)).toEqual([]);
  expect(check.ok).toBe(true);
  const summary = (await org.get(v1(`/reports/summary?from=${day(-90)}&to=${day(0)}`))).body;
  expect(summary.currencies?.[0]?.invoiced ?? summary[0]?.invoiced).toBe('11.90');
});
