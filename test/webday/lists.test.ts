import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

let server: TestServer;
let org: OrgClient;
let numbers: string[];
beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  const patched = await org.patch('/api/v1/settings', {
    invoice_number_format: 'LS-{YYYY}-{seq:1}',
    invoice_number_start: 9,
  });
  expect(patched.status).toBe(200);
  const { customer, vat19 } = await billingSetup(org);
  const other = (await org.post('/api/v1/customers', { name: 'aardvark AG', currency: 'EUR' })).body;
  const line = (price: string) => [{ description: 'Work', quantity: '1', unit_price: price, tax_rate: vat19.id }];
  // Created in this order: 2026 #9, 2025 #9, 2026 #10, 2026 #11 (the 2025 one created among the 2026 ones).
  const made = [
    await postedInvoice(org, { customer: customer.id, issue_date: '2026-10-01', lines: line('100') }),
    await postedInvoice(org, { customer: other.id, issue_date: '2025-12-20', lines: line('50') }),
    await postedInvoice(org, { customer: customer.id, issue_date: '2026-10-05', lines: line('300') }),
    await postedInvoice(org, { customer: other.id, issue_date: '2026-11-02', lines: line('20') }),
  ];
  numbers = made.map((i) => i.number);
  await org.post('/api/v1/invoices', { customer: customer.id, lines: line('7') });
});
afterAll(() => server.stop());

async function all(query: string, limit = 2): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  let after = '';
  for (;;) {
    const res = await org.get(`/api/v1/invoices?${query}&limit=${limit}${after}`);
    expect(res.status).toBe(200);
    rows.push(...res.body.data);
    if (!res.body.has_more) return rows;
    after = `&starting_after=${rows[rows.length - 1]?.id}`;
  }
}

describe('sorted lists', () => {
  test('by number: numeric within a series, series by year, drafts last; pages continue in that order', async () => {
    expect(numbers).toEqual(['LS-2026-9', 'LS-2025-9', 'LS-2026-10', 'LS-2026-11']);
    const asc = await all('sort=number');
    expect(asc.map((i) => i.number)).toEqual(['LS-2025-9', 'LS-2026-9', 'LS-2026-10', 'LS-2026-11', null]);
    const desc = await all('sort=-number');
    expect(desc.map((i) => i.number)).toEqual([null, 'LS-2026-11', 'LS-2026-10', 'LS-2026-9', 'LS-2025-9']);
  });

  test('by issue date, customer name, total, amount due and due date', async () => {
    const posted = 'status=posted';
    expect((await all(`${posted}&sort=issue_date`)).map((i) => i.issue_date)).toEqual([
      '2025-12-20',
      '2026-10-01',
      '2026-10-05',
      '2026-11-02',
    ]);
    expect((await all(`${posted}&sort=-total`)).map((i) => i.total)).toEqual(['357.00', '119.00', '59.50', '23.80']);
    expect((await all(`${posted}&sort=amount_due`, 3)).map((i) => i.amount_due)).toEqual([
      '23.80',
      '59.50',
      '119.00',
      '357.00',
    ]);
    const byCustomer = (await all(`${posted}&sort=customer_name`)).map((i) => i.customer_snapshot.name);
    expect(byCustomer).toEqual(['aardvark AG', 'aardvark AG', 'Globex GmbH', 'Globex GmbH']);
    const due = (await all(`${posted}&sort=-due_date`)).map((i) => i.due_date);
    expect(due).toEqual([...due].sort().reverse());
  });

  test('an unknown sort field is a 400 naming sort; customers sort by name and payments by amount', async () => {
    const bad = await org.get('/api/v1/invoices?sort=colour');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('sort');
    const customers = await org.get('/api/v1/customers?sort=name');
    expect(customers.body.data.map((c: { name: string }) => c.name)).toEqual(['aardvark AG', 'Globex GmbH']);
    const [first] = (await all('status=posted&sort=number')) as { id: string; customer: string }[];
    for (const amount of ['5.00', '1.00', '3.00'])
      expect(
        (
          await org.post('/api/v1/payments', {
            customer: first?.customer,
            amount,
            date: '2026-11-10',
            method: 'bank_transfer',
          })
        ).status,
      ).toBe(201);
    const pays = await org.get('/api/v1/payments?sort=-amount&limit=2');
    expect(pays.body.data.map((p: { amount: string }) => p.amount)).toEqual(['5.00', '3.00']);
    const next = await org.get(`/api/v1/payments?sort=-amount&limit=2&starting_after=${pays.body.data[1].id}`);
    expect(next.body.data.map((p: { amount: string }) => p.amount)).toEqual(['1.00']);
  });
});

describe('invoice summary', () => {
  test('per currency over the whole filtered set, not one page', async () => {
    const res = await org.get('/api/v1/invoices/summary?status=posted');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ currency: 'EUR', count: 4, total: '559.30', amount_due: '559.30' }]);
    const search = await org.get('/api/v1/invoices/summary?search=aardvark');
    expect(search.body.data).toEqual([{ currency: 'EUR', count: 2, total: '83.30', amount_due: '83.30' }]);
    const none = await org.get('/api/v1/invoices/summary?customer=cus_nobody');
    expect(none.body.data).toEqual([]);
  });
});
