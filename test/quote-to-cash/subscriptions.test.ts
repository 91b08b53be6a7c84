import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ShiftedClock } from '../../src/platform/clock';
import { eventually, startIsolatedServer, startTestServer, type TestServer, testClock } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';
import { amounts, invoicesOf, subscribe, subscriptionSetup, v1, waitForRun } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/**
 * Does a request on a business day: the Clock reads that day while the request runs, then goes on from where it
 * was. Invoices the billing engine makes are dated no earlier than the day the run or action started (API.md's
 * bill-run rule), so a test that expects an invoice dated on its billing date starts the run on that date.
 */
async function onDay<T>(date: string, request: () => Promise<T>): Promise<T> {
  const before = testClock.now();
  const started = performance.now();
  testClock.set(new Date(`${date}T09:00:00Z`));
  try {
    return await request();
  } finally {
    testClock.set(new Date(before.getTime() + (performance.now() - started)));
  }
}

/** POST /bill_runs started on its target date, then waits until the run is completed. */
async function billRun(
  org: Awaited<ReturnType<TestServer['newOrg']>>,
  body: { target_date: string } & Record<string, unknown>,
) {
  const started = await onDay(body.target_date, () => org.post(v1('/bill_runs'), body));
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return waitForRun(org, started.body.id);
}

/** Invoices of a customer in number order: the order they were posted, whichever process's clock stamped them. */
async function postedInOrder(org: Awaited<ReturnType<TestServer['newOrg']>>, customer: string) {
  return (await invoicesOf(org, customer)).sort((a, b) => String(a.number).localeCompare(String(b.number)));
}

async function setup() {
  const org = await server.newOrg();
  return { org, ...(await subscriptionSetup(org)) };
}

describe('subscription lifecycle through bill runs', () => {
  test('monthly 30.00 from 2026-01-15 in advance: 16.45, then 30.00 a month; a run repeated bills nothing', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, { start_date: '2026-01-15' });
    expect(sub).toMatchObject({ status: 'active', billed_through: null, next_billing_date: '2026-01-15' });

    const first = await billRun(org, { target_date: '2026-01-15' });
    expect(first).toMatchObject({ status: 'completed', processed: 1, invoices_created: 1, errors: [] });
    let invoices = await invoicesOf(org, customer.id);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      status: 'posted',
      issue_date: '2026-01-15',
      service_period: { start: '2026-01-15', end: '2026-01-31' },
      source: { type: 'subscription', id: sub.id },
      subtotal: '16.45',
      tax_total: '3.13',
      total: '19.58',
    });
    expect(invoices[0].number).toMatch(/^INV-2026-/);
    expect(invoices[0].lines[0]).toMatchObject({
      quantity: '1',
      unit_price: '16.45',
      amount: '16.45',
      period: { start: '2026-01-15', end: '2026-01-31' },
    });

    expect((await billRun(org, { target_date: '2026-02-01' })).invoices_created).toBe(1);
    expect((await billRun(org, { target_date: '2026-02-01' })).invoices_created).toBe(0);
    invoices = await invoicesOf(org, customer.id);
    expect(invoices.map(amounts)).toEqual([['16.45'], ['30.00']]);
    expect(invoices[1].lines[0]).toMatchObject({
      quantity: '1',
      unit_price: '30.00',
      period: { start: '2026-02-01', end: '2026-02-28' },
    });

    // The preview is the next invoice, by the same code: it equals what the run then bills.
    const preview = (await org.get(v1(`/subscriptions/${sub.id}/preview?as_of=2026-02-15`))).body;
    expect(preview).toMatchObject({
      billing_date: '2026-03-01',
      period: { start: '2026-03-01', end: '2026-03-31' },
      subtotal: '30.00',
      tax_total: '5.70',
      total: '35.70',
    });
    expect((await billRun(org, { target_date: '2026-04-01' })).invoices_created).toBe(2);
    invoices = await invoicesOf(org, customer.id);
    // The run of 04-01 catches up 03-01 too: both are dated the run's day, so neither is overdue when made.
    expect(invoices.map((i) => i.issue_date)).toEqual(['2026-01-15', '2026-02-01', '2026-04-01', '2026-04-01']);
    expect(invoices[2]).toMatchObject({ subtotal: preview.subtotal, total: preview.total });
    const after = (await org.get(v1(`/subscriptions/${sub.id}`))).body;
    expect(after).toMatchObject({ billed_through: '2026-04-30', next_billing_date: '2026-05-01' });

    const events = (await org.get(v1(`/events?object=${sub.id}`))).body.data.map((e: { type: string }) => e.type);
    // Events are stamped by the Clock, pinned to each run's day: compared as a set, not by time.
    expect(events.sort()).toEqual([
      'subscription.billed',
      'subscription.billed',
      'subscription.billed',
      'subscription.billed',
      'subscription.created',
    ]);
  });

  test('billing day 31 in arrears bills on the last day of short months: 02-28, 03-31, 04-30', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, {
      start_date: '2026-01-31',
      billing_day: 31,
      timing: 'in_arrears',
    });
    expect(sub.next_billing_date).toBe('2026-02-28');
    for (const day of ['2026-02-28', '2026-03-31', '2026-04-30'])
      expect((await billRun(org, { target_date: day })).invoices_created).toBe(1);
    const invoices = await invoicesOf(org, customer.id);
    expect(invoices.map((i) => [i.issue_date, i.service_period.start, i.service_period.end, i.subtotal])).toEqual([
      ['2026-02-28', '2026-01-31', '2026-02-27', '30.00'],
      ['2026-03-31', '2026-02-28', '2026-03-30', '30.00'],
      ['2026-04-30', '2026-03-31', '2026-04-29', '30.00'],
    ]);
  });

  test('quarterly, every 2 months and yearly intervals; invoice_date and auto_post of the run', async () => {
    const { org, customer, vat19 } = await setup();
    await subscribe(org, customer.id, vat19.id, { interval: 'quarter' });
    await subscribe(org, customer.id, vat19.id, { interval: 'month', interval_count: 2, auto_post: false });
    await subscribe(org, customer.id, vat19.id, { interval: 'year' });
    const run = await billRun(org, { target_date: '2026-06-30', invoice_date: '2026-07-01', auto_post: false });
    // Quarters: Jan, Apr; two months: Jan, Mar, May; year: Jan.
    expect(run.invoices_created).toBe(6);
    const invoices = await invoicesOf(org, customer.id);
    expect(invoices.every((i) => i.status === 'draft' && i.issue_date === '2026-07-01')).toBe(true);
    expect(invoices.map((i) => i.service_period.end).sort()).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-06-30',
      '2026-06-30',
      '2026-12-31',
    ]);
  });
});

describe('changes', () => {
  async function billedThroughMarch() {
    const s = await setup();
    const sub = await subscribe(s.org, s.customer.id, s.vat19.id);
    expect((await billRun(s.org, { target_date: '2026-03-01' })).invoices_created).toBe(3);
    return { ...s, sub };
  }

  test('create_prorations: 30.00 → 60.00 on 03-11 credits 20.32 and debits 40.65 on the April invoice', async () => {
    const { org, customer, sub } = await billedThroughMarch();
    const changed = await org.post(v1(`/subscriptions/${sub.id}/changes`), {
      effective_date: '2026-03-11',
      items: [{ id: sub.items[0].id, unit_price: '60.00' }],
      proration_behavior: 'create_prorations',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.items[0]).toMatchObject({ id: sub.items[0].id, unit_price: '60.00', description: 'Plan' });
    expect(changed.body.pending_lines.map((l: { amount: string }) => l.amount)).toEqual(['-20.32', '40.65']);
    expect(await invoicesOf(org, customer.id)).toHaveLength(3);
    const preview = (await org.get(v1(`/subscriptions/${sub.id}/preview`))).body;
    expect(preview.lines.map((l: { amount: string }) => l.amount)).toEqual(['60.00', '-20.32', '40.65']);
    expect((await billRun(org, { target_date: '2026-04-01' })).invoices_created).toBe(1);
    const april = (await invoicesOf(org, customer.id))[3];
    expect(amounts(april)).toEqual(['60.00', '-20.32', '40.65']);
    expect(april.lines[1]).toMatchObject({ quantity: '-1', period: { start: '2026-03-11', end: '2026-03-31' } });
    expect(april).toMatchObject({ subtotal: '80.33', total: preview.total, status: 'posted' });
    expect((await org.get(v1(`/subscriptions/${sub.id}`))).body.pending_lines).toEqual([]);
  });

  test('always_invoice bills the proration at once: 3 → 5 seats of 10.00 on 03-11 is −20.32 + 33.87', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, {}, [
      { description: 'Seats', quantity: '3', unit_price: '10.00', tax_rate: vat19.id },
    ]);
    await billRun(org, { target_date: '2026-03-01' });
    const changed = await onDay('2026-03-11', () =>
      org.post(v1(`/subscriptions/${sub.id}/changes`), {
        effective_date: '2026-03-11',
        items: [{ id: sub.items[0].id, quantity: '5' }],
        proration_behavior: 'always_invoice',
      }),
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.pending_lines).toEqual([]);
    const invoices = await postedInOrder(org, customer.id);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toMatchObject({ status: 'posted', subtotal: '13.55', issue_date: '2026-03-11' });
    expect(amounts(invoices[3])).toEqual(['-20.32', '33.87']);
    await billRun(org, { target_date: '2026-04-01' });
    expect(amounts((await postedInOrder(org, customer.id))[4])).toEqual(['50.00']);
  });

  test('none changes the price for the next period and bills nothing for the rest of this one', async () => {
    const { org, customer, sub } = await billedThroughMarch();
    const changed = await org.post(v1(`/subscriptions/${sub.id}/changes`), {
      effective_date: '2026-03-11',
      items: [{ id: sub.items[0].id, unit_price: '60.00' }],
      proration_behavior: 'none',
    });
    expect([changed.status, changed.body.pending_lines]).toEqual([200, []]);
    expect(await invoicesOf(org, customer.id)).toHaveLength(3);
    await billRun(org, { target_date: '2026-04-01' });
    expect(amounts((await invoicesOf(org, customer.id))[3])).toEqual(['60.00']);
    const event = (await org.get(v1(`/events?object=${sub.id}&type=subscription.changed`))).body.data[0];
    expect(event.data).toMatchObject({ proration_behavior: 'none', placement: 'none' });
  });
});

describe('cancellation', () => {
  test('a yearly 1,200.00 cancelled from 07-01 with prorate credits 604.93 (+ VAT) by a credit note', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, { interval: 'year' }, [
      { description: 'Plan', unit_price: '1200.00', tax_rate: vat19.id },
    ]);
    await billRun(org, { target_date: '2026-01-01' });
    const [invoice] = await invoicesOf(org, customer.id);
    expect(invoice.total).toBe('1428.00');
    const cancelled = await org.post(v1(`/subscriptions/${sub.id}/cancel`), {
      effective_date: '2026-07-01',
      prorate: true,
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', end_date: '2026-06-30', next_billing_date: null });
    const notes = (await org.get(v1(`/credit_notes?invoice=${invoice.id}`))).body.data;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ subtotal: '604.93', tax_total: '114.94', total: '719.87', credit_to: 'invoice' });
    expect((await org.get(v1(`/invoices/${invoice.id}`))).body.amount_due).toBe('708.13');
    expect((await billRun(org, { target_date: '2027-06-01' })).invoices_created).toBe(0);
    const again = await org.post(v1(`/subscriptions/${sub.id}/cancel`), { effective_date: '2026-08-01' });
    expect([again.status, again.body.error.code]).toEqual([409, 'subscription_cancelled']);
  });

  test('without prorate nothing is credited', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, { interval: 'year' });
    await billRun(org, { target_date: '2026-01-01' });
    await org.post(v1(`/subscriptions/${sub.id}/cancel`), { effective_date: '2026-07-01', prorate: false });
    expect((await org.get(v1(`/credit_notes?customer=${customer.id}`))).body.data).toEqual([]);
  });

  test('in arrears the last partial period is billed at cancellation: 03-01 to 03-10 is 9.68', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, { timing: 'in_arrears' });
    expect((await billRun(org, { target_date: '2026-03-01' })).invoices_created).toBe(2);
    const cancelled = await onDay('2026-03-11', () =>
      org.post(v1(`/subscriptions/${sub.id}/cancel`), { effective_date: '2026-03-11', prorate: true }),
    );
    expect(cancelled.body).toMatchObject({ status: 'cancelled', end_date: '2026-03-10', billed_through: '2026-03-10' });
    const invoices = await postedInOrder(org, customer.id);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toMatchObject({
      issue_date: '2026-03-11',
      subtotal: '9.68',
      service_period: { start: '2026-03-01', end: '2026-03-10' },
    });
    expect((await billRun(org, { target_date: '2026-12-31' })).invoices_created).toBe(0);
  });
});

describe('cancellation on a billing date', () => {
  test('in advance with usage, cancelled on a billed billing date: the period is credited, usage not billed twice', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, {}, [
      { description: 'Plan', unit_price: '30.00', tax_rate: vat19.id },
      { description: 'Calls', unit_price: '1.00', tax_rate: vat19.id, usage: true },
    ]);
    await org.post(v1(`/subscriptions/${sub.id}/usage`), { item: sub.items[1].id, quantity: '4', date: '2026-02-10' });
    expect((await billRun(org, { target_date: '2026-03-01' })).invoices_created).toBe(3);
    const march = (await invoicesOf(org, customer.id))[2];
    expect(amounts(march)).toEqual(['4.00', '30.00']);
    const res = await org.post(v1(`/subscriptions/${sub.id}/cancel`), { effective_date: '2026-03-01', prorate: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await invoicesOf(org, customer.id)).toHaveLength(3);
    const notes = (await org.get(v1(`/credit_notes?invoice=${march.id}`))).body.data;
    expect(notes.map((n: { subtotal: string }) => n.subtotal)).toEqual(['30.00']);
  });
});

describe('usage', () => {
  test('usage records are idempotent and billed in arrears at their unit price', async () => {
    const { org, customer, vat19 } = await setup();
    const sub = await subscribe(org, customer.id, vat19.id, {}, [
      { description: 'Plan', unit_price: '30.00', tax_rate: vat19.id },
      { description: 'API calls', unit_price: '0.015', tax_rate: vat19.id, usage: true },
    ]);
    const api = sub.items[1];
    expect(api).toMatchObject({ usage: true, quantity: null });
    await billRun(org, { target_date: '2026-01-01' });

    const body = { item: api.id, quantity: '1000', date: '2026-01-03' };
    const first = await org.post(v1(`/subscriptions/${sub.id}/usage`), body, { 'idempotency-key': 'u-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const replay = await org.post(v1(`/subscriptions/${sub.id}/usage`), body, { 'idempotency-key': 'u-1' });
    expect([replay.status, replay.body.id]).toEqual([201, first.body.id]);
    const other = await org.post(
      v1(`/subscriptions/${sub.id}/usage`),
      { ...body, quantity: '5' },
      { 'idempotency-key': 'u-1' },
    );
    expect(other.status).toBe(422);
    const second = await org.post(
      v1(`/subscriptions/${sub.id}/usage`),
      { item: api.id, quantity: '333', date: '2026-01-31' },
      { 'idempotency-key': 'u-2' },
    );
    expect(second.status).toBe(201);
    expect((await org.get(v1(`/subscriptions/${sub.id}/usage`))).body.data).toHaveLength(2);

    const notUsage = await org.post(v1(`/subscriptions/${sub.id}/usage`), {
      item: sub.items[0].id,
      quantity: '1',
      date: '2026-01-05',
    });
    expect([notUsage.status, notUsage.body.error.code]).toEqual([422, 'item_not_usage']);
    const before = await org.post(v1(`/subscriptions/${sub.id}/usage`), {
      item: api.id,
      quantity: '1',
      date: '2025-12-31',
    });
    expect([before.status, before.body.error.code]).toEqual([422, 'usage_outside_service']);

    expect((await billRun(org, { target_date: '2026-02-01' })).invoices_created).toBe(1);
    const feb = (await invoicesOf(org, customer.id))[1];
    // 1,333 × 0.015 = 19.995 → 20.00 for January's usage, with February's plan.
    expect(feb.lines.map((l: { quantity: string; amount: string }) => [l.quantity, l.amount])).toEqual([
      ['1333', '20.00'],
      ['1', '30.00'],
    ]);
    expect(feb.lines[0].period).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    const late = await org.post(v1(`/subscriptions/${sub.id}/usage`), {
      item: api.id,
      quantity: '1',
      date: '2026-01-20',
    });
    expect([late.status, late.body.error.code]).toEqual([409, 'usage_period_billed']);
  });
});

describe('bill run errors', () => {
  test('a subscription that cannot be billed is recorded and the run goes on', async () => {
    const { org, customer, vat19 } = await setup();
    const other = (await org.post(v1('/customers'), { name: 'Initech', currency: 'EUR' })).body;
    await subscribe(org, customer.id, vat19.id);
    const broken = await subscribe(org, other.id, vat19.id);
    await subscribe(org, customer.id, vat19.id);
    // The customer moves to another currency: its EUR subscription cannot be invoiced any more.
    expect((await org.patch(v1(`/customers/${other.id}`), { currency: 'USD' })).status).toBe(200);
    const run = await billRun(org, { target_date: '2026-01-01' });
    expect(run).toMatchObject({ status: 'completed_with_errors', processed: 3, invoices_created: 2 });
    expect(run.errors).toEqual([{ subscription: broken.id, code: 'currency_mismatch', message: expect.any(String) }]);
    const listed = (await org.get(v1('/bill_runs'))).body.data;
    expect(listed[0].id).toBe(run.id);
  });
});

describe('sending and the daily run', () => {
  test('auto_send emails each posted invoice through the outbox', async () => {
    const { org, customer, vat19 } = await setup();
    await subscribe(org, customer.id, vat19.id, { auto_send: true });
    expect((await billRun(org, { target_date: '2026-02-01' })).invoices_created).toBe(2);
    const invoices = await invoicesOf(org, customer.id);
    expect(invoices.every((i) => i.status === 'posted' && i.sent_at !== null)).toBe(true);
    for (const inv of invoices) {
      const mails = (await org.get(v1(`/emails?invoice=${inv.id}`))).body.data;
      expect(mails).toEqual([expect.objectContaining({ to: ['ap@globex.test'], status: 'local' })]);
    }
  });

  // The daily job runs for every organization of the database, so it gets a database of its own.
  test('the daily run bills what is due today, once a day', async () => {
    // Today is 2026-11-16 on the server's clock, whatever the machine's date: the period of 11-01 is due, 12-01 not.
    const own = await startIsolatedServer({}, { clock: new ShiftedClock(new Date('2026-11-16T01:00:00Z')) });
    try {
      const org = await own.newOrg();
      const { customer, vat19 } = await billingSetup(org);
      await subscribe(org, customer.id, vat19.id, { start_date: '2026-11-01' });
      await own.server.jobs.send('bill-run.daily');
      await own.server.jobs.send('bill-run.daily');
      const runs = await eventually(async () => {
        const data: { trigger: string; status: string; invoices_created: number; target_date: string }[] = (
          await org.get(v1('/bill_runs'))
        ).body.data;
        return data.length > 0 && data.every((r) => r.status.startsWith('completed')) ? data : undefined;
      });
      expect(runs).toEqual([
        expect.objectContaining({
          trigger: 'schedule',
          status: 'completed',
          invoices_created: 1,
          target_date: '2026-11-16',
        }),
      ]);
    } finally {
      await own.stop();
    }
  });
});
