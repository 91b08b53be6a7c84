import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrgClient } from '../helpers/server';
import { startTestServer, type TestServer } from '../helpers/server';
import { day, ok, preparedReceivables, today } from './fixtures';

let server: TestServer;
let org: OrgClient;
let set: Awaited<ReturnType<typeof preparedReceivables>>;
beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  set = await preparedReceivables(org);
});
afterAll(() => server.stop());

const buckets = (current: string, d1_30: string, d31_60: string, d61_90: string, d90_plus: string) => ({
  current,
  d1_30,
  d31_60,
  d61_90,
  d90_plus,
});

describe('aging', () => {
  test('today: open amounts by days past due, per currency and customer; void, written-off and uncollectible money is out', async () => {
    const aging = await ok(org.get('/api/v1/reports/aging'));
    expect(aging.as_of).toBe(today());
    expect(aging.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'USD']);
    const [eur, usd] = aging.currencies;
    expect(eur.buckets).toEqual(buckets('11.90', '95.20', '281.60', '95.20', '119.00'));
    expect(eur.total).toBe('602.90');
    expect(eur.customers).toEqual([
      {
        customer: set.acme.id,
        name: 'Acme AG',
        buckets: buckets('11.90', '0.00', '234.00', '23.80', '119.00'),
        total: '388.70',
      },
      {
        customer: set.bolt.id,
        name: 'Bolt GmbH',
        buckets: buckets('0.00', '95.20', '47.60', '71.40', '0.00'),
        total: '214.20',
      },
    ]);
    expect(usd.buckets).toEqual(buckets('0.00', '119.00', '0.00', '0.00', '0.00'));
    expect(usd.customers).toHaveLength(1);
  });

  test('as of yesterday: the void, the write-off and the uncollectible invoice of today have not happened yet', async () => {
    const aging = await ok(org.get(`/api/v1/reports/aging?as_of=${day(-1)}`));
    const eur = aging.currencies[0];
    expect(eur.buckets).toEqual(buckets('23.80', '142.80', '261.80', '154.70', '119.00'));
    expect(eur.total).toBe('702.10');
    expect(eur.customers.map((c: { total: string }) => c.total)).toEqual(['392.70', '309.40']);
  });

  test('as of a past date: only invoices issued by then, bucketed by that date', async () => {
    const aging = await ok(org.get(`/api/v1/reports/aging?as_of=${day(-50)}`));
    expect(aging.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR']);
    expect(aging.currencies[0].buckets).toEqual(buckets('321.30', '23.80', '273.70', '0.00', '0.00'));
    expect(aging.currencies[0].total).toBe('618.80');
    expect((await ok(org.get(`/api/v1/reports/aging?as_of=${day(-200)}`))).currencies).toEqual([]);
  });

  test('the aging total equals the receivables account of the trial balance, today and as of past dates', async () => {
    for (const asOf of [today(), day(-1), day(-50), day(-95), day(-100)]) {
      const aging = await ok(org.get(`/api/v1/reports/aging?as_of=${asOf}`));
      const tb = await ok(org.get(`/api/v1/reports/trial_balance?as_of=${asOf}`));
      for (const c of tb.currencies) {
        const receivables = c.accounts.find((a: { key: string }) => a.key === 'receivables');
        const agingTotal = aging.currencies.find((a: { currency: string }) => a.currency === c.currency)?.total;
        expect({ asOf, currency: c.currency, total: agingTotal ?? '0.00' }).toEqual({
          asOf,
          currency: c.currency,
          total: receivables?.balance ?? '0.00',
        });
      }
    }
  });

  test('a bad date is refused; another organization sees nothing', async () => {
    expect((await org.get('/api/v1/reports/aging?as_of=2025-02-30')).status).toBe(400);
    const other = await server.newOrg();
    expect((await ok(other.get('/api/v1/reports/aging'))).currencies).toEqual([]);
  });
});
