import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unzip } from '../../src/documents/zip';
import { expectError } from '../foundation/helpers';
import { apiRequest, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { billRun, invoicesOf, subscribe, v1 } from '../quote-to-cash/helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('bulk PDF', () => {
  test('a ZIP with one PDF per invoice, named by number; an id of another organization is a 422 naming it', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    const line = [{ description: 'Work', quantity: '1', unit_price: '10', tax_rate: vat19.id }];
    const a = await postedInvoice(org, { customer: customer.id, lines: line });
    const b = await postedInvoice(org, { customer: customer.id, lines: line });
    const res = await fetch(`${org.baseUrl}/api/v1/invoices/bulk_pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [a.id, b.id] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const entries = unzip(Buffer.from(await res.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual([`${a.number}.pdf`, `${b.number}.pdf`]);
    for (const e of entries) expect(e.data.subarray(0, 5).toString()).toBe('%PDF-');
    const foreign = await apiRequest(
      org.baseUrl,
      'POST',
      '/api/v1/invoices/bulk_pdf',
      { ids: [a.id] },
      {
        authorization: `Bearer ${other.apiKey}`,
      },
    );
    expectError(foreign, 422, 'invalid_request', 'invoice_not_found', 'ids[0]');
    expectError(
      await org.post('/api/v1/invoices/bulk_pdf', { ids: [] }),
      400,
      'invalid_request',
      expect.any(String),
      'ids',
    );
  });
});

describe('bill runs', () => {
  test('dry_run answers which subscriptions, periods and amounts, and bills nothing; catching up dates invoices on the run day', async () => {
    const org = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    // Started in September, billed monthly in advance: by the test day (2026-11-16) three periods are due.
    const sub = await subscribe(org, customer.id, vat19.id, { start_date: '2026-09-01', auto_post: true });
    const preview = await org.post(v1('/bill_runs'), { target_date: '2026-11-16', dry_run: true });
    expect(preview.status).toBe(200);
    expect(
      preview.body.subscriptions.map((s: Record<string, any>) => [
        s.subscription,
        s.billing_date,
        s.issue_date,
        s.period,
        s.total,
      ]),
    ).toEqual([
      [sub.id, '2026-09-01', '2026-11-16', { start: '2026-09-01', end: '2026-09-30' }, '35.70'],
      [sub.id, '2026-10-01', '2026-11-16', { start: '2026-10-01', end: '2026-10-31' }, '35.70'],
      [sub.id, '2026-11-01', '2026-11-16', { start: '2026-11-01', end: '2026-11-30' }, '35.70'],
    ]);
    expect(preview.body.subscriptions[0].customer_name).toBe('Globex GmbH');
    // Nothing was written: no invoice, no run, the subscription not moved.
    expect(await invoicesOf(org, customer.id)).toEqual([]);
    expect((await org.get(v1('/bill_runs'))).body.data).toEqual([]);
    expect((await org.get(v1(`/subscriptions/${sub.id}`))).body.billed_through).toBeNull();

    const run = await billRun(org, { target_date: '2026-11-16' });
    expect(run.invoices_created).toBe(3);
    const made = await invoicesOf(org, customer.id);
    expect(made.map((i) => [i.issue_date, i.service_period, i.overdue])).toEqual([
      ['2026-11-16', { start: '2026-09-01', end: '2026-09-30' }, false],
      ['2026-11-16', { start: '2026-10-01', end: '2026-10-31' }, false],
      ['2026-11-16', { start: '2026-11-01', end: '2026-11-30' }, false],
    ]);
    // The numbers follow on: the dry run used none.
    expect(made.map((i) => i.number)).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003']);
  });
});
