import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from '../../src/platform/db';
import { canonicalJson } from '../../src/platform/idempotency';
import { sha256 } from '../../src/platform/secrets';
import { expectError } from '../foundation/helpers';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

// Issue 13, finding 12: the key's record and the work commit together. A process that dies after a payment's commit
// but before its answer is stored leaves a record saying the work happened, so a retry never records it twice.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function paymentsOf(org: OrgClient, customer: string): Promise<number> {
  return (await org.get(`/api/v1/payments?customer=${customer}&limit=200`)).body.data.length;
}

/** What a crash between the work's commit and the stored answer leaves behind. */
async function loseTheAnswer(org: OrgClient, key: string, ageMs = 0) {
  await server.db.execute(
    sql`update idempotency_keys set status_code = null, response_body = null,
          created_at = created_at - make_interval(secs => ${ageMs / 1000})
        where org_id = ${org.orgId} and key = ${key}`,
  );
}

test('a payment whose answer was lost in a crash is never recorded again, however late the retry', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const inv = await postedInvoice(org, {
    customer: customer.id,
    lines: [{ description: 'A', quantity: '1', unit_price: '100.00', tax_rate: vat19.id }],
  });
  const body = {
    customer: customer.id,
    method: 'bank_transfer',
    amount: '50.00',
    date: '2026-11-16',
    allocations: [{ invoice: inv.id, amount: '50.00' }],
  };
  const key = 'pay-crash-1';
  expect((await org.post('/api/v1/payments', body, { 'idempotency-key': key })).status).toBe(201);
  await loseTheAnswer(org, key, 10 * 60 * 1000);

  expectError(
    await org.post('/api/v1/payments', body, { 'idempotency-key': key }),
    409,
    'idempotency',
    'idempotency_answer_lost',
    'Idempotency-Key',
  );
  expect(await paymentsOf(org, customer.id)).toBe(1);
  expect((await org.get(`/api/v1/invoices/${inv.id}`)).body.amount_due).toBe('69.00');
});

test('a request that died before its work committed runs once when retried after it was abandoned', async () => {
  const org = await server.newOrg();
  const { customer } = await billingSetup(org);
  const body = { customer: customer.id, method: 'bank_transfer', amount: '20.00', date: '2026-11-16' };
  const key = 'pay-crash-2';
  // The key's record as a process leaves it when it dies before the work's transaction commits.
  await server.db.execute(
    sql`insert into idempotency_keys (org_id, key, request_hash, created_at)
        values (${org.orgId}, ${key}, ${sha256(`POST /api/v1/payments\n${canonicalJson(body)}`)}, ${new Date(server.clock.now().getTime() - 10 * 60 * 1000)})`,
  );
  // The abandoned record is cleared (the retry is told to try again), then the retry runs the work once.
  expect((await org.post('/api/v1/payments', body, { 'idempotency-key': key })).status).toBe(409);
  const retried = await org.post('/api/v1/payments', body, { 'idempotency-key': key });
  expect(retried.status).toBe(201);
  const replayed = await org.post('/api/v1/payments', body, { 'idempotency-key': key });
  expect([replayed.status, replayed.body.id, replayed.headers.get('idempotent-replayed')]).toEqual([
    201,
    retried.body.id,
    'true',
  ]);
  expect(await paymentsOf(org, customer.id)).toBe(1);
});
