import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBillRun, runInProcess } from '../../src/bill-runs/service';
import { systemContext } from '../../src/organizations/service';
import { startTestServer, type TestServer } from '../helpers/server';
import { billRun, subscriptionSetup, v1, waitForRun } from './helpers';

// Two runs at once only race on PostgreSQL (PGlite runs one transaction at a time): there, 1,000 subscriptions
// and a second server, i.e. a second pg-boss worker with its own connections; on PGlite 50, one server.
const onPostgres = Boolean(process.env.DATABASE_URL);
const N = onPostgres ? 1000 : 50;

let servers: TestServer[] = [];
beforeAll(async () => {
  servers = [await startTestServer()];
  if (onPostgres) servers.push(await startTestServer());
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

test(`two bill runs started at once over ${N} subscriptions bill each exactly once; a rerun bills nothing`, {
  timeout: 600_000,
}, async () => {
  const [first] = servers;
  const org = await first!.newOrg();
  const { customer, vat19 } = await subscriptionSetup(org);
  const ids: string[] = [];
  for (let i = 0; i < N; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, N - i) }, (_x, j) =>
        org.post(v1('/subscriptions'), {
          customer: customer.id,
          interval: 'month',
          start_date: '2026-01-01',
          billing_day: 1,
          items: [{ description: `Plan ${i + j}`, unit_price: '30.00', tax_rate: vat19.id }],
        }),
      ),
    );
    for (const res of batch) {
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
  }

  // Run A through the API: split once, its chunks taken by the pg-boss worker of each server. Run B, started as
  // soon as A is running, goes through the same subscriptions in this process, as `arbor bill-run` does.
  const started = await org.post(v1('/bill_runs'), { target_date: '2026-01-31' });
  expect(started.status).toBe(202);
  for (let i = 0; i < 600; i++) {
    if ((await org.get(v1(`/bill_runs/${started.body.id}`))).body.status !== 'pending') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ctx = await systemContext({ db: first!.db, clock: first!.clock, publicUrl: first!.url }, org.orgId);
  const other = await createBillRun(ctx, { target_date: '2026-01-31' }, 'cli');
  await runInProcess(first!.db, other.id, {
    concurrency: onPostgres ? 4 : 1,
    smtpConfigured: false,
    clock: first!.clock,
    publicUrl: first!.url,
  });
  const runs = await Promise.all([started.body.id, other.id].map((id) => waitForRun(org, id, 540_000)));
  expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
  expect(runs[0].invoices_created + runs[1].invoices_created).toBe(N);

  const [counts] = (
    (await first!.db.execute(sql`
      select (select count(*) from invoices where org_id = ${org.orgId})::int as invoices,
             (select count(*) from invoices where org_id = ${org.orgId} and status = 'posted')::int as posted,
             (select count(*) from subscription_billings b join subscriptions s on s.id = b.subscription_id
               where s.org_id = ${org.orgId})::int as billings,
             (select count(distinct invoice_id) from subscription_billings b join subscriptions s on s.id = b.subscription_id
               where s.org_id = ${org.orgId})::int as billed_invoices,
             (select count(*) from subscriptions where org_id = ${org.orgId} and billed_through = '2026-01-31')::int as billed,
             (select count(distinct number) from invoices where org_id = ${org.orgId})::int as numbers`)) as unknown as {
      rows: Record<string, number>[];
    }
  ).rows;
  expect(counts).toEqual({ invoices: N, posted: N, billings: N, billed_invoices: N, billed: N, numbers: N });

  const rerun = await billRun(org, { target_date: '2026-01-31' }, 540_000);
  expect(rerun).toMatchObject({ status: 'completed', processed: 0, invoices_created: 0 });
  const next = await billRun(org, { target_date: '2026-02-01' }, 540_000);
  expect(next.invoices_created).toBe(N);
});
