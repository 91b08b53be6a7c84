import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrgClient } from '../helpers/server';
import { startTestServer, type TestServer } from '../helpers/server';
import { day, ok, preparedPayments, preparedReceivables, reverseAndRefund, today } from './fixtures';

let server: TestServer;
let org: OrgClient;
let set: Awaited<ReturnType<typeof preparedReceivables>>;
let paying: Awaited<ReturnType<typeof preparedPayments>>;
beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  set = await preparedReceivables(org);
  paying = await preparedPayments(await server.newOrg());
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

describe('summary', () => {
  test('a period with voids, write-offs and bad debt: invoiced, written off, outstanding, overdue and DSO per currency', async () => {
    const summary = await ok(org.get(`/api/v1/reports/summary?from=${day(-30)}&to=${today()}`));
    expect(summary).toMatchObject({ from: day(-30), to: today() });
    expect(summary.currencies).toEqual([
      {
        currency: 'EUR',
        invoiced: '11.90',
        collected: '0.00',
        credited: '0.00',
        written_off: '87.30',
        outstanding: '602.90',
        overdue: '591.00',
        average_days_to_pay: null,
        dso: '1570.6',
      },
      {
        currency: 'USD',
        invoiced: '119.00',
        collected: '0.00',
        credited: '0.00',
        written_off: '0.00',
        outstanding: '119.00',
        overdue: '119.00',
        average_days_to_pay: null,
        dso: '31.0',
      },
    ]);
  });

  test('a past period counts what stood at its end', async () => {
    const summary = await ok(org.get(`/api/v1/reports/summary?from=${day(-130)}&to=${day(-50)}`));
    expect(summary.currencies).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        invoiced: '618.80',
        written_off: '0.00',
        outstanding: '618.80',
        overdue: '297.50',
        dso: '81.0',
      }),
    ]);
    const empty = await ok(org.get(`/api/v1/reports/summary?from=${day(-400)}&to=${day(-300)}`));
    expect(empty.currencies).toEqual([]);
    expect((await org.get(`/api/v1/reports/summary?from=${today()}&to=${day(-1)}`)).body.error.code).toBe(
      'invalid_period',
    );
  });

  test('collected counts payments received; days to pay are weighted by invoice total', async () => {
    const summary = await ok(paying.org.get(`/api/v1/reports/summary?from=${day(-30)}&to=${day(-1)}`));
    expect(summary.currencies).toEqual([
      {
        currency: 'EUR',
        invoiced: '297.50',
        collected: '427.00',
        credited: '0.00',
        written_off: '0.00',
        outstanding: '39.50',
        overdue: '0.00',
        average_days_to_pay: '13.3',
        dso: '4.0',
      },
    ]);
  });
});

describe('statement', () => {
  test('opening balance before the period, then each movement with a running balance', async () => {
    const st = await ok(org.get(`/api/v1/customers/${set.acme.id}/statement?from=${day(-65)}&to=${today()}`));
    expect(st).toMatchObject({
      customer: set.acme.id,
      name: 'Acme AG',
      currency: 'EUR',
      from: day(-65),
      to: today(),
      opening_balance: '142.80',
      closing_balance: '388.70',
    });
    expect(st.lines).toEqual([
      {
        date: day(-60),
        type: 'invoice',
        document: set.a2.id,
        number: set.a2.number,
        debit: '238.00',
        credit: null,
        balance: '380.80',
      },
      {
        date: day(-5),
        type: 'invoice',
        document: set.a4.id,
        number: set.a4.number,
        debit: '11.90',
        credit: null,
        balance: '392.70',
      },
      {
        date: today(),
        type: 'write_off',
        document: expect.stringMatching(/^wo_/),
        number: set.a2.number,
        debit: null,
        credit: '4.00',
        balance: '388.70',
      },
    ]);
  });

  test('without a start it begins at the first movement; a void undoes its invoice, bad debt is still owed', async () => {
    const st = await ok(org.get(`/api/v1/customers/${set.bolt.id}/statement`));
    expect(st.from).toBe(day(-100));
    expect(st.opening_balance).toBe('0.00');
    expect(
      st.lines.map((l: { type: string; debit: string | null; credit: string | null }) => [
        l.type,
        l.debit ?? `-${l.credit}`,
      ]),
    ).toEqual([
      ['invoice', '35.70'],
      ['invoice', '47.60'],
      ['invoice', '71.40'],
      ['invoice', '83.30'],
      ['invoice', '59.50'],
      ['invoice', '11.90'],
      ['invoice_voided', '-11.90'],
    ]);
    expect(st.closing_balance).toBe('297.50');
  });

  test('payments and refunds: credits and debits; unapplied money makes the balance negative', async () => {
    const { org: p, customer } = paying;
    await reverseAndRefund(paying);
    const st = await ok(p.get(`/api/v1/customers/${customer.id}/statement?from=${day(-25)}`));
    expect(st.opening_balance).toBe('357.00');
    expect(
      st.lines.map(
        (l: {
          date: string;
          type: string;
          number: string | null;
          debit: string | null;
          credit: string | null;
          balance: string;
        }) => [l.date, l.type, l.number, l.debit ?? `-${l.credit}`, l.balance],
      ),
    ).toEqual([
      [day(-20), 'payment', 'P-1', '-119.00', '238.00'],
      [day(-20), 'payment', 'P-2', '-238.00', '0.00'],
      [day(-15), 'invoice', paying.p3.number, '59.50', '59.50'],
      [day(-5), 'payment', 'P-3', '-20.00', '39.50'],
      [day(-3), 'payment', 'P-4', '-50.00', '-10.50'],
      [today(), 'payment_reversed', 'P-3', '20.00', '9.50'],
      [today(), 'refund', null, '10.00', '19.50'],
    ]);
    expect(st.closing_balance).toBe('19.50');
    const c = await ok(p.get(`/api/v1/customers/${customer.id}`));
    const due = await ok(p.get(`/api/v1/invoices/${paying.p3.id}`));
    expect(Number(due.amount_due) - Number(c.credit_balance)).toBeCloseTo(19.5, 10);
  });

  test('an unknown customer is 404; a bad period is 400', async () => {
    expect((await org.get('/api/v1/customers/cus_nope/statement')).status).toBe(404);
    const other = await server.newOrg();
    expect((await other.get(`/api/v1/customers/${set.acme.id}/statement`)).status).toBe(404);
    expect((await org.get(`/api/v1/customers/${set.acme.id}/statement?from=${today()}&to=${day(-3)}`)).status).toBe(
      400,
    );
  });
});
