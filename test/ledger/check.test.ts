import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupOrganization } from '../../src/organizations/service';
import { ShiftedClock } from '../../src/platform/clock';
import { openDatabase, rows, sql } from '../../src/platform/db';
import type { OrgClient } from '../helpers/server';
import { startTestServer, TEST_NOW, type TestServer } from '../helpers/server';
import { customer, day, invoice, ok, vat19 } from '../reports/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const checkOf = async (org: OrgClient) =>
  ok<{ ok: boolean; violations: { check: string; message: string; [k: string]: unknown }[] }>(
    org.get('/api/v1/admin/check'),
  );

/** An organization with invoices, a payment with money left over, a credit note and a write-off. */
async function busyOrg() {
  const org = await server.newOrg();
  const rate = await vat19(org);
  const c = await customer(org, 'Acme AG');
  const a = await invoice(org, rate, c.id, '100', -60, -30);
  const b = await invoice(org, rate, c.id, '200', -20, 10);
  const payment = await ok(
    org.post('/api/v1/payments', {
      customer: c.id,
      amount: '150.00',
      method: 'bank_transfer',
      date: day(-2),
      allocations: [{ invoice: a.id, amount: '119.00' }],
    }),
    201,
  );
  const note = await ok(
    org.post('/api/v1/credit_notes', { invoice: b.id, amount: '23.80', credit_to: 'invoice' }),
    201,
  );
  await ok(org.post(`/api/v1/invoices/${b.id}/write_off`, { amount: '0.20' }));
  return { org, customer: c, a, b, payment, note };
}

describe('invariant checks', () => {
  test('good data passes; each corruption made in SQL is named, and undoing it passes again', async () => {
    const { org, customer: c, a, b, payment, note } = await busyOrg();
    expect(await checkOf(org)).toEqual({ ok: true, violations: [] });
    const [posting] = await rows<{ id: string }>(
      server.db,
      sql`select id from journal_entries where source_id = ${a.id} order by created_at limit 1`,
    );
    const cases: [string, ReturnType<typeof sql>, ReturnType<typeof sql>, string[]][] = [
      [
        'an unbalanced journal line',
        sql`update journal_lines set debit = debit + 1 where entry_id = ${posting!.id} and line_no = 0`,
        sql`update journal_lines set debit = debit - 1 where entry_id = ${posting!.id} and line_no = 0`,
        ['journal_entry_balanced', 'receivables_match_invoices', 'aging_matches_receivables'],
      ],
      [
        'an amount due off by one',
        sql`update invoices set amount_due = amount_due - 1 where id = ${b.id}`,
        sql`update invoices set amount_due = amount_due + 1 where id = ${b.id}`,
        ['receivables_match_invoices', 'aging_matches_receivables', 'invoice_balances'],
      ],
      [
        'a credit balance without money behind it',
        sql`update customers set credit_balance = credit_balance + 5 where id = ${c.id}`,
        sql`update customers set credit_balance = credit_balance - 5 where id = ${c.id}`,
        ['credit_balance_matches_documents', 'customer_credit_account_matches_balances'],
      ],
      [
        'a payment that does not add up',
        sql`update payments set unapplied_amount = unapplied_amount - 1 where id = ${payment.id}`,
        sql`update payments set unapplied_amount = unapplied_amount + 1 where id = ${payment.id}`,
        ['credit_balance_matches_documents', 'payment_balances'],
      ],
      [
        'a credit note that does not add up',
        sql`update credit_notes set unapplied_amount = 1 where id = ${note.id}`,
        sql`update credit_notes set unapplied_amount = 0 where id = ${note.id}`,
        ['credit_balance_matches_documents', 'credit_note_balances'],
      ],
      [
        'a hole in the invoice numbers',
        sql`update invoices set seq = seq + 5 where id = ${b.id}`,
        sql`update invoices set seq = seq - 5 where id = ${b.id}`,
        ['number_series_gapless'],
      ],
      [
        'an invoice in another currency than its customer',
        sql`update invoices set currency = 'USD' where id = ${a.id}`,
        sql`update invoices set currency = 'EUR' where id = ${a.id}`,
        ['documents_in_customer_currency'],
      ],
      [
        'a payment application dated earlier than its journal entry',
        sql`update applications set date = date - 45 where invoice_id = ${a.id}`,
        sql`update applications set date = date + 45 where invoice_id = ${a.id}`,
        ['aging_matches_receivables'],
      ],
      [
        'a dated balance history off the ledger',
        sql`update invoice_open_history set open = open + 1 where invoice_id = ${b.id}`,
        sql`update invoice_open_history set open = open - 1 where invoice_id = ${b.id}`,
        ['aging_matches_receivables', 'open_history_matches_ledger'],
      ],
    ];
    for (const [what, corrupt, undo, checks] of cases) {
      await server.db.execute(corrupt);
      const result = await checkOf(org);
      expect({ what, ok: result.ok, checks: [...new Set(result.violations.map((v) => v.check))] }).toEqual({
        what,
        ok: false,
        checks,
      });
      await server.db.execute(undo);
      expect({ what, after: await checkOf(org) }).toEqual({ what, after: { ok: true, violations: [] } });
    }
  });

  test('violations name what is wrong', async () => {
    const { org, b } = await busyOrg();
    await server.db.execute(sql`update invoices set amount_paid = 7 where id = ${b.id}`);
    const { violations } = await checkOf(org);
    expect(violations).toContainEqual({
      check: 'invoice_balances',
      invoice: b.id,
      message: `Invoice ${b.number} (posted): amount_paid 7 but live payment applications sum to 0; amount_due 214.00 but 207.00 follows from its balances.`,
    });
    await server.db.execute(sql`update invoices set amount_paid = 0 where id = ${b.id}`);
  });

  test('`arbor check` prints ok, or each violation and exits 1', async () => {
    const run = promisify(execFile);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'arbor-check-'));
    const env = {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      ARBOR_DATA_DIR: dataDir,
      ARBOR_NOW: TEST_NOW,
    };
    const cli = (args: string[]) =>
      run(process.execPath, ['bin/arbor.js', 'check', ...args], { env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const unbalanced = (orgId: string) => [
      sql`insert into journal_entries (id, org_id, date, currency, source_type, source_id, memo, created_at)
          values (${`je_broken_${orgId}`}, ${orgId}, ${TEST_NOW.slice(0, 10)}, 'EUR', 'invoice', 'inv_x', 'broken', ${new Date(TEST_NOW)})`,
      sql`insert into journal_lines (entry_id, line_no, org_id, account, debit, credit, date, currency)
          values (${`je_broken_${orgId}`}, 0, ${orgId}, 'bank', 10, 0, ${TEST_NOW.slice(0, 10)}, 'EUR')`,
    ];
    try {
      if (process.env.DATABASE_URL) {
        // The shared server holds other tests' organizations: check ours by id.
        const good = await server.newOrg();
        const bad = await server.newOrg();
        for (const q of unbalanced(bad.orgId)) await server.db.execute(q);
        expect(await cli(['--org', good.orgId])).toEqual({ code: 0, out: 'ok\n' });
        const broken = await cli(['--org', bad.orgId]);
        expect(broken.code).toBe(1);
        expect(broken.out).toContain(`${bad.orgId} journal_entry_balanced: Journal entry je_broken_${bad.orgId}`);
        await server.db.execute(sql`delete from journal_lines where org_id = ${bad.orgId}`);
        await server.db.execute(sql`delete from journal_entries where org_id = ${bad.orgId}`);
      } else {
        // Opening an embedded database costs seconds: one good and one broken organization, one run over both.
        const database = await openDatabase({ databaseUrl: null, dataDir });
        const orgs = [];
        for (const name of ['Good', 'Bad'])
          orgs.push(
            await setupOrganization(
              { db: database.db, clock: new ShiftedClock(new Date(TEST_NOW)) },
              {
                orgName: name,
                currency: 'EUR',
                email: `${name}@test.arbor`,
                password: 'correct horse battery',
                add: true,
              },
            ),
          );
        const [good, bad] = orgs.map((o) => o.organization.id) as [string, string];
        for (const q of unbalanced(bad)) await database.db.execute(q);
        await database.close();
        const broken = await cli([]);
        expect(broken.code).toBe(1);
        expect(broken.out).toBe(
          `${bad} journal_entry_balanced: Journal entry je_broken_${bad} (invoice inv_x) does not balance: debits 10, credits 0.\n`,
        );
        expect(broken.out).not.toContain(good);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// Found by the randomized test: back-dated money that would break "the receivables account as of a date equals the
// aging as of that date". src/invoicing/receivable.ts now books or refuses each case.
describe('back-dated money keeps the ledger and past aging equal', () => {
  async function unpaid() {
    const org = await server.newOrg();
    const rate = await vat19(org);
    const c = await customer(org, 'Acme AG');
    return { org, c, inv: await invoice(org, rate, c.id, '100', -30, -10) };
  }
  const pay = (org: OrgClient, c: { id: string }, inv: { id: string }, date: string) =>
    ok(
      org.post('/api/v1/payments', {
        customer: c.id,
        amount: '119.00',
        method: 'bank_transfer',
        date,
        allocations: [{ invoice: inv.id, amount: '119.00' }],
      }),
      201,
    );

  test('reversing money applied before the invoice became uncollectible books it back to receivables', async () => {
    const { org, c, inv } = await unpaid();
    const p = await ok(
      org.post('/api/v1/payments', {
        customer: c.id,
        amount: '50.00',
        method: 'cash',
        date: day(-5),
        allocations: [{ invoice: inv.id, amount: '50.00' }],
      }),
      201,
    );
    await ok(org.post(`/api/v1/invoices/${inv.id}/mark_uncollectible`));
    await ok(org.post(`/api/v1/payments/${p.id}/reverse`, { reason: 'bounced' }));
    // receivable.ts reverseApplication: recovery is decided by the application's date, not the reversal's.
    expect((await checkOf(org)).violations).toEqual([]);
  });

  test('a payment dated before a later reversal is refused, so no date shows the invoice over-applied', async () => {
    const { org, c, inv } = await unpaid();
    const first = await pay(org, c, inv, day(-20));
    await ok(org.post(`/api/v1/payments/${first.id}/reverse`, { reason: 'bounced' }));
    const second = await org.post('/api/v1/payments', {
      customer: c.id,
      amount: '119.00',
      method: 'bank_transfer',
      date: day(-10),
      allocations: [{ invoice: inv.id, amount: '119.00' }],
    });
    // Refused: applying it on day -10 would make the invoice's open amount negative between then and the reversal.
    expect([second.status, second.body.error?.code]).toEqual([409, 'date_before_reversal']);
    expect((await checkOf(org)).violations).toEqual([]);
  });

  test('a credit note dated before the invoice became uncollectible is refused; dated after, it is a recovery', async () => {
    const { org, inv } = await unpaid();
    await ok(org.post(`/api/v1/invoices/${inv.id}/mark_uncollectible`));
    const note = await org.post('/api/v1/credit_notes', {
      invoice: inv.id,
      amount: '20.00',
      credit_to: 'invoice',
      issue_date: day(-10),
    });
    // Refused: money for a written-off invoice is a recovery, dated on or after the write-off.
    expect([note.status, note.body.error?.code]).toEqual([409, 'date_before_uncollectible']);
    expect((await checkOf(org)).violations).toEqual([]);
    await ok(org.post('/api/v1/credit_notes', { invoice: inv.id, amount: '20.00', credit_to: 'invoice' }), 201);
    expect((await checkOf(org)).violations).toEqual([]);
  });
});
