import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrgClient } from '../helpers/server';
import { startTestServer, type TestServer } from '../helpers/server';
import { customer, day, invoice, ok, today, vat19 } from '../reports/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Line {
  account: string;
  key: string;
  name: string;
  debit: string;
  credit: string;
}
interface Entry {
  id: string;
  date: string;
  currency: string;
  source: { type: string; id: string };
  memo: string;
  lines: Line[];
}

/** An entry's lines as [code, debit, credit]. */
const legs = (e: Entry) => e.lines.map((l) => [l.account, l.debit, l.credit]);

async function entriesOf(org: OrgClient, source: string): Promise<Entry[]> {
  const page = await ok(org.get(`/api/v1/journal_entries?source=${source}&limit=200`));
  return (page.data as Entry[]).reverse();
}

/** Every entry of the organization, following the cursor. */
async function allEntries(org: OrgClient): Promise<Entry[]> {
  const all: Entry[] = [];
  let after = '';
  for (;;) {
    const page = await ok(org.get(`/api/v1/journal_entries?limit=3${after ? `&starting_after=${after}` : ''}`));
    all.push(...page.data);
    if (!page.has_more) return all;
    after = page.data.at(-1).id;
  }
}

const cents = (s: string) => Math.round(Number(s) * 100);

describe('journal', () => {
  test('posting, void, write-off and uncollectible each write one balanced entry on the right accounts', async () => {
    const org = await server.newOrg();
    const rate = await vat19(org);
    const c = await customer(org, 'Acme AG');
    const a = await invoice(org, rate, c.id, '100', -10, 20);
    const [posting] = await entriesOf(org, a.id);
    expect(posting).toMatchObject({
      date: day(-10),
      currency: 'EUR',
      source: { type: 'invoice', id: a.id },
      memo: `Invoice ${a.number}`,
    });
    expect(legs(posting!)).toEqual([
      ['1200', '119.00', '0.00'],
      ['4000', '0.00', '100.00'],
      ['2200', '0.00', '19.00'],
    ]);
    expect(posting!.lines[0]).toMatchObject({ key: 'receivables', name: 'Accounts receivable' });

    await ok(org.post(`/api/v1/invoices/${a.id}/void`));
    const [, voiding] = await entriesOf(org, a.id);
    expect(voiding!.date).toBe(today());
    expect(legs(voiding!)).toEqual([
      ['4000', '100.00', '0.00'],
      ['2200', '19.00', '0.00'],
      ['1200', '0.00', '119.00'],
    ]);

    const b = await invoice(org, rate, c.id, '50', -5, 25);
    await ok(org.post(`/api/v1/invoices/${b.id}/write_off`, { amount: '1.50' }));
    const [writeOff] = await entriesOf(org, 'write_off');
    expect(legs(writeOff!)).toEqual([
      ['6800', '1.50', '0.00'],
      ['1200', '0.00', '1.50'],
    ]);
    await ok(org.post(`/api/v1/invoices/${b.id}/mark_uncollectible`));
    const [, bad] = await entriesOf(org, b.id);
    expect(bad!.memo).toBe(`Invoice ${b.number} uncollectible`);
    expect(legs(bad!)).toEqual([
      ['6900', '58.00', '0.00'],
      ['1200', '0.00', '58.00'],
    ]);
  });

  test('payments, allocations, refunds and reversals move money between bank, customer credit and receivables', async () => {
    const org = await server.newOrg();
    const rate = await vat19(org);
    const c = await customer(org, 'Acme AG');
    const a = await invoice(org, rate, c.id, '100', -10, 20);
    const pay = await ok(
      org.post('/api/v1/payments', {
        customer: c.id,
        amount: '150.00',
        method: 'bank_transfer',
        reference: 'TX-1',
        date: day(-2),
        allocations: [{ invoice: a.id, amount: '119.00' }],
      }),
      201,
    );
    const [received] = await entriesOf(org, pay.id);
    expect(received).toMatchObject({ date: day(-2), memo: 'Payment TX-1' });
    expect(legs(received!)).toEqual([
      ['1000', '150.00', '0.00'],
      ['2300', '0.00', '150.00'],
    ]);
    const [applied] = await entriesOf(org, 'application');
    expect(applied!.date).toBe(day(-2));
    expect(legs(applied!)).toEqual([
      ['2300', '119.00', '0.00'],
      ['1200', '0.00', '119.00'],
    ]);
    await ok(org.post(`/api/v1/payments/${pay.id}/refund`, { amount: '31.00' }));
    const [refund] = await entriesOf(org, 'refund');
    expect(legs(refund!)).toEqual([
      ['2300', '31.00', '0.00'],
      ['1000', '0.00', '31.00'],
    ]);
    await ok(org.post(`/api/v1/payments/${pay.id}/reverse`, { reason: 'bounced' }));
    const [, reversal] = await entriesOf(org, pay.id);
    expect(legs(reversal!)).toEqual([
      ['2300', '119.00', '0.00'],
      ['1000', '0.00', '119.00'],
    ]);
    const tb = await ok(org.get('/api/v1/reports/trial_balance'));
    const balances = Object.fromEntries(
      tb.currencies[0].accounts.map((x: { key: string; balance: string }) => [x.key, x.balance]),
    );
    expect(balances).toMatchObject({ bank: '0.00', customer_credit: '0.00', receivables: '119.00' });
    expect((await ok(org.get('/api/v1/admin/check'))).violations).toEqual([]);
  });

  test('every entry balances, lists newest first with a cursor, and filters by date and source', async () => {
    const org = await server.newOrg();
    const rate = await vat19(org);
    const c = await customer(org, 'Acme AG');
    const invoices = [];
    for (const [net, issue] of [
      ['10', -30],
      ['20', -20],
      ['30', -10],
    ] as const)
      invoices.push(await invoice(org, rate, c.id, net, issue, issue + 14));
    await ok(org.post(`/api/v1/invoices/${invoices[0]!.id}/write_off`, { amount: '0.90' }));
    await ok(org.post(`/api/v1/invoices/${invoices[1]!.id}/void`));
    const all = await allEntries(org);
    expect(all).toHaveLength(5);
    expect(all[0]!.source.type).toBe('invoice');
    expect(all.at(-1)!.source.id).toBe(invoices[0]!.id);
    for (const e of all)
      expect(e.lines.reduce((s, l) => s + cents(l.debit), 0)).toBe(e.lines.reduce((s, l) => s + cents(l.credit), 0));
    const range = await ok(org.get(`/api/v1/journal_entries?from=${day(-25)}&to=${day(-5)}`));
    expect(range.data.map((e: Entry) => e.date)).toEqual([day(-10), day(-20)]);
    expect((await ok(org.get('/api/v1/journal_entries?source=invoice'))).data).toHaveLength(4);
    expect((await org.get('/api/v1/journal_entries?limit=0')).status).toBe(400);
    expect((await org.get('/api/v1/journal_entries?starting_after=je_nope')).status).toBe(400);
  });

  test('the eight ledger accounts carry the organization\u2019s codes, and journal lines follow a remapping', async () => {
    const org = await server.newOrg();
    const accounts = await ok(org.get('/api/v1/ledger_accounts'));
    expect(accounts.data.map((a: { code: string; key: string; type: string }) => [a.code, a.key, a.type])).toEqual([
      ['1000', 'bank', 'asset'],
      ['1200', 'receivables', 'asset'],
      ['2200', 'tax_payable', 'liability'],
      ['2300', 'customer_credit', 'liability'],
      ['4000', 'revenue', 'revenue'],
      ['6800', 'write_off', 'expense'],
      ['6900', 'bad_debt', 'expense'],
      ['9000', 'opening_balance', 'equity'],
    ]);
    expect(await ok(org.patch('/api/v1/settings', { ledger_accounts: { receivables: '1400' } }))).toBeTruthy();
    const rate = await vat19(org);
    const c = await customer(org, 'Acme AG');
    const a = await invoice(org, rate, c.id, '10', -1, 10);
    const [posting] = await entriesOf(org, a.id);
    expect(posting!.lines[0]).toMatchObject({ account: '1400', key: 'receivables' });
    const viewer = await org.keyWithRole('viewer');
    expect((await viewer.get('/api/v1/ledger_accounts')).status).toBe(200);
    expect((await viewer.get('/api/v1/admin/check')).status).toBe(403);
  });

  test('the trial balance sums each account per currency as of a date; debits equal credits', async () => {
    const org = await server.newOrg();
    const rate = await vat19(org);
    const eur = await customer(org, 'Acme AG');
    const usd = await customer(org, 'Cyan Inc', 'USD');
    await invoice(org, rate, eur.id, '100', -30, 0);
    const b = await invoice(org, rate, eur.id, '200', -10, 20);
    await invoice(org, rate, usd.id, '50', -5, 25);
    await ok(org.post(`/api/v1/invoices/${b.id}/write_off`, { amount: '2.00' }));
    const tb = await ok(org.get('/api/v1/reports/trial_balance'));
    expect(tb.as_of).toBe(today());
    expect(tb.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'USD']);
    const [e, u] = tb.currencies;
    expect(e.accounts.map((a: Line & { balance: string }) => [a.account, a.debit, a.credit, a.balance])).toEqual([
      ['1200', '357.00', '2.00', '355.00'],
      ['2200', '0.00', '57.00', '-57.00'],
      ['4000', '0.00', '300.00', '-300.00'],
      ['6800', '2.00', '0.00', '2.00'],
    ]);
    expect([e.total_debit, e.total_credit]).toEqual(['359.00', '359.00']);
    expect([u.total_debit, u.total_credit]).toEqual(['59.50', '59.50']);
    const past = await ok(org.get(`/api/v1/reports/trial_balance?as_of=${day(-20)}`));
    expect(past.currencies).toHaveLength(1);
    expect(past.currencies[0].total_debit).toBe('119.00');
    expect((await ok(org.get(`/api/v1/reports/trial_balance?as_of=${day(-31)}`))).currencies).toEqual([]);
  });
});
