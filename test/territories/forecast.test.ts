import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';
import { customer, ok, territory, user } from './fixtures';

// The forecast over a built data set (today 2026-11-16), every figure computed by hand below.
let server: TestServer;
let org: OrgClient;
let rep: { id: string };
let north: { id: string };
beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  rep = await user(org);
  north = await territory(org, { name: 'Germany', rules: [{ field: 'country', value: 'DE' }], members: [rep.id] });
  const vat = await ok(org.post('/api/v1/tax_rates', { name: 'VAT 19%', percentage: '19', category: 'S' }), 201);
  // X: in Germany, owned by the rep (round robin). Y: in France, no territory, no owner.
  const x = await customer(org, { name: 'X GmbH', billing_address: { country: 'DE' } });
  const y = await customer(org, { name: 'Y SA', billing_address: { country: 'FR' } });
  expect([x.owner, x.territory, y.territory]).toEqual([rep.id, north.id, null]);
  const invoice = (cus: string, net: string, issue: string, due: string) =>
    postedInvoice(org, {
      customer: cus,
      issue_date: issue,
      due_date: due,
      lines: [{ description: `Work ${net}`, quantity: '1', unit_price: net, tax_rate: vat.id }],
    });
  const pay = (cus: string, inv: { id: string }, amount: string, date: string) =>
    ok(
      org.post('/api/v1/payments', {
        customer: cus,
        amount,
        method: 'bank_transfer',
        date,
        allocations: [{ invoice: inv.id, amount }],
      }),
      201,
    );
  // X pays 119.00 ten days late, 357.00 thirty days late and 119.00 on time: 20 days late on average.
  const i1 = await invoice(x.id, '100.00', '2026-10-05', '2026-10-15');
  const i2 = await invoice(x.id, '300.00', '2026-10-06', '2026-10-16');
  const i3 = await invoice(x.id, '100.00', '2026-10-07', '2026-10-17');
  await pay(x.id, i1, '119.00', '2026-10-25');
  await pay(x.id, i2, '357.00', '2026-11-15');
  await pay(x.id, i3, '119.00', '2026-10-17');
  // Open: i4 238.00 due 1 Dec (less a credit note of 23.80: 214.20, expected 21 Dec); i5 59.50 − 9.50 due 20 Oct
  // (expected 9 Nov, so the day after as_of).
  const i4 = await invoice(x.id, '200.00', '2026-11-01', '2026-12-01');
  const i5 = await invoice(x.id, '50.00', '2026-10-10', '2026-10-20');
  await pay(x.id, i5, '9.50', '2026-11-10');
  await ok(org.post('/api/v1/credit_notes', { invoice: i4.id, issue_date: '2026-11-10', amount: '23.80' }), 201);
  // Y: 1,190.00 due 12 Nov, too few payments of its own: the organization's 20 days, expected 2 Dec. A void invoice.
  await invoice(y.id, '1000.00', '2026-11-02', '2026-11-12');
  const voided = await invoice(y.id, '500.00', '2026-11-03', '2026-11-13');
  await ok(org.post(`/api/v1/invoices/${voided.id}/void`));
  // Subscriptions: X 30.00 a month from 1 Dec; Y 10.00 a month from 1 Nov (not billed yet: counts on 17 Nov) and
  // a usage item (counts 0).
  await ok(
    org.post('/api/v1/subscriptions', {
      customer: x.id,
      interval: 'month',
      start_date: '2026-12-01',
      billing_day: 1,
      items: [{ description: 'Plan', unit_price: '30.00', tax_rate: vat.id }],
    }),
    201,
  );
  await ok(
    org.post('/api/v1/subscriptions', {
      customer: y.id,
      interval: 'month',
      start_date: '2026-11-01',
      billing_day: 1,
      items: [
        { description: 'Small plan', unit_price: '10.00', tax_rate: vat.id },
        { description: 'Calls', unit_price: '1.00', tax_rate: vat.id, usage: true },
      ],
    }),
    201,
  );
  // Quotas: the rep 1,000.00 for Q4; Germany 500.00 for November and 1,200.00 for 2027.
  await ok(org.put('/api/v1/quotas', { owner: rep.id, period: '2026-Q4', amount: '1000.00', currency: 'EUR' }));
  await ok(org.put('/api/v1/quotas', { territory: north.id, period: '2026-11', amount: '500.00', currency: 'EUR' }));
  await ok(org.put('/api/v1/quotas', { territory: north.id, period: '2027', amount: '1200.00', currency: 'EUR' }));
});
afterAll(() => server?.stop());

type Row = Record<string, string>;
const pick = (months: Row[], fields: string[]) => months.map((m) => [m.month, ...fields.map((f) => m[f])]);
const FIELDS = ['quota', 'invoiced', 'recurring_scheduled', 'expected_cash'];

describe('forecast', () => {
  test('for the rep: quarter quota spread, net invoiced less credit notes, scheduled billing, expected cash', async () => {
    const r = await ok(org.get(`/api/v1/reports/forecast?from=2026-10&months=4&owner=${rep.id}`));
    expect(r.currencies).toHaveLength(1);
    expect(r.currencies[0].currency).toBe('EUR');
    expect(pick(r.currencies[0].months, FIELDS)).toEqual([
      ['2026-10', '333.34', '550.00', '0.00', '0.00'],
      ['2026-11', '333.33', '180.00', '0.00', '50.00'],
      ['2026-12', '333.33', '0.00', '30.00', '214.20'],
      ['2027-01', '0.00', '0.00', '30.00', '0.00'],
    ]);
  });

  test('for the organization: the top territories\u2019 quotas, every customer, the organization\u2019s payment behaviour', async () => {
    const r = await ok(org.get('/api/v1/reports/forecast?from=2026-10&months=4'));
    expect(pick(r.currencies[0].months, FIELDS)).toEqual([
      ['2026-10', '0.00', '550.00', '0.00', '0.00'],
      ['2026-11', '500.00', '1180.00', '10.00', '50.00'],
      ['2026-12', '0.00', '0.00', '40.00', '1404.20'],
      ['2027-01', '100.00', '0.00', '40.00', '0.00'],
    ]);
  });

  test('for the territory: its own quotas; a past as_of moves where the future begins', async () => {
    const r = await ok(
      org.get(`/api/v1/reports/forecast?from=2026-10&months=4&territory=${north.id}&as_of=2026-10-31`),
    );
    // At 31 Oct X had two payments (< 3) and so had the organization: 0 days late; 357.00 + 59.50 open, due in
    // October: expected on 1 Nov.
    expect(pick(r.currencies[0].months, FIELDS)).toEqual([
      ['2026-10', '0.00', '550.00', '0.00', '0.00'],
      ['2026-11', '500.00', '180.00', '0.00', '416.50'],
      ['2026-12', '0.00', '0.00', '30.00', '0.00'],
      ['2027-01', '100.00', '0.00', '30.00', '0.00'],
    ]);
    const csv = await org.get(`/api/v1/reports/forecast?from=2026-10&months=2&territory=${north.id}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body).split('\r\n')[0]).toContain('currency,month,quota');
  });

  test('another organization\u2019s owner or territory: 422 naming the parameter, none of its data', async () => {
    const other = await server.newOrg();
    for (const [param, id] of [
      ['owner', rep.id],
      ['territory', north.id],
    ]) {
      const res = await other.get(`/api/v1/reports/forecast?${param}=${id}`);
      expect(res.status).toBe(422);
      expect(res.body.error.param).toBe(param);
      expect(JSON.stringify(res.body)).not.toContain('currencies');
    }
  });
});
