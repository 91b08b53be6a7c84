import { expect, test } from 'vitest';
import { sql } from '../../src/platform/db';
import { startTestServer } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';
import { subscribe, v1 } from '../quote-to-cash/helpers';

// Issue 13, finding 11: the embedded database has one connection, and a bill run must not freeze the app. Proved by
// order, not by time: during a 5,000-subscription run, requests are answered while the run is still running, and
// between two answers the run gets at most a transaction or two per request in. Embedded only (vitest.config.ts).

const SUBSCRIPTIONS = 5000;

test('during a 5,000-subscription run on the embedded database, requests go between its transactions', async () => {
  const server = await startTestServer();
  try {
    const org = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    // One period due on the run's date per subscription: one billing transaction each.
    const first = await subscribe(org, customer.id, vat19.id, { start_date: '2026-11-01', auto_post: false });
    await server.db.execute(sql`
      insert into subscriptions (id, org_id, customer_id, currency, status, start_date, interval, interval_count,
        billing_day, timing, proration, items, next_billing_date, auto_post, auto_send, created_at)
      select 'sub_load_' || g, org_id, customer_id, currency, status, start_date, interval, interval_count,
        billing_day, timing, proration, items, next_billing_date, auto_post, auto_send, created_at
      from subscriptions cross join generate_series(2, ${SUBSCRIPTIONS}) g where id = ${first.id}`);

    const started = await org.post(v1('/bill_runs'), { target_date: '2026-11-01' });
    expect(started.status).toBe(202);
    const billed = async () => {
      const run = (await org.get(v1(`/bill_runs/${started.body.id}`))).body;
      return { status: run.status as string, invoices: run.invoices_created as number };
    };
    // Wait until the run is under way.
    let before = await billed();
    while (before.invoices === 0) before = await billed();

    for (let sample = 0; sample < 5; sample++) {
      const customers = await org.get(v1('/customers?limit=1'));
      expect(customers.status).toBe(200);
      const after = await billed();
      // Answered while the run goes on, and the run got only a few transactions in between the two answers.
      expect(after.status).toBe('running');
      expect(after.invoices - before.invoices).toBeLessThanOrEqual(6);
      before = after;
    }
    expect(before.invoices).toBeLessThan(SUBSCRIPTIONS);
  } finally {
    // Stopping does not wait for the rest of the run: it stops between two subscriptions and stays pending.
    await server.stop();
  }
});
