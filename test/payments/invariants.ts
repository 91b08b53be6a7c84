import { expect } from 'vitest';
import { rows, sql } from '../../src/platform/db';
import type { OrgClient, TestServer } from '../helpers/server';

const one = async (server: TestServer, query: ReturnType<typeof sql>) =>
  (await rows<{ v: string | null }>(server.db, query))[0]?.v ?? '0';
const n = (v: string) => Number(v).toFixed(2);

/**
 * The money invariants after a scenario, for an organization with one customer: credit_balance equals the unapplied
 * payments and credit notes and the customer_credit account; receivables equal the amounts due; every invoice's
 * amount_paid and amount_credited equal its live applications. Returns the credit balance.
 */
export async function checkMoney(server: TestServer, org: OrgClient, customerId: string): Promise<string> {
  const balance = (await org.get(`/api/v1/customers/${customerId}`)).body.credit_balance as string;
  const unapplied = await one(
    server,
    sql`select ((select coalesce(sum(unapplied_amount), 0) from payments where customer_id = ${customerId})
      + (select coalesce(sum(unapplied_amount), 0) from credit_notes where customer_id = ${customerId}))::text as v`,
  );
  const ledger = async (account: string) =>
    one(
      server,
      sql`select coalesce(sum(credit - debit), 0)::text as v from journal_lines where org_id = ${org.orgId} and account = ${account}`,
    );
  const due = await one(
    server,
    sql`select coalesce(sum(amount_due), 0)::text as v from invoices where org_id = ${org.orgId} and status in ('posted', 'paid')`,
  );
  expect({ unapplied: n(unapplied), ledger: n(await ledger('customer_credit')) }).toEqual({
    unapplied: balance,
    ledger: balance,
  });
  expect(n(String(-Number(await ledger('receivables'))))).toBe(n(due));
  const mismatched = await rows<{ id: string }>(
    server.db,
    sql`select i.id from invoices i where i.org_id = ${org.orgId} and (
      i.amount_paid <> (select coalesce(sum(a.amount), 0) from applications a
        where a.invoice_id = i.id and a.source_type = 'payment' and a.reversed_on is null)
      or i.amount_credited <> (select coalesce(sum(a.amount), 0) from applications a
        where a.invoice_id = i.id and a.source_type = 'credit_note' and a.reversed_on is null))`,
  );
  expect(mismatched).toEqual([]);
  const unbalanced = await rows<{ entry_id: string }>(
    server.db,
    sql`select entry_id from journal_lines where org_id = ${org.orgId} group by entry_id having sum(debit) <> sum(credit)`,
  );
  expect(unbalanced).toEqual([]);
  // The organization's own invariant checks (GET /admin/check) agree.
  expect((await org.get('/api/v1/admin/check')).body).toEqual({ ok: true, violations: [] });
  return balance;
}

/** Counts of what a refused request must not have written. */
export async function written(server: TestServer, org: OrgClient) {
  const count = async (table: string) =>
    one(server, sql`select count(*)::text as v from ${sql.identifier(table)} where org_id = ${org.orgId}`);
  return {
    payments: await count('payments'),
    applications: await count('applications'),
    refunds: await count('refunds'),
    credit_notes: await count('credit_notes'),
    journal_entries: await count('journal_entries'),
    events: await count('events'),
  };
}
