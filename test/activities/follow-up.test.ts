import { afterAll, beforeAll, expect, test } from 'vitest';
import { addUser, expectError, login, newKey, signedInUser } from '../foundation/helpers';
import type { OrgClient } from '../helpers/server';
import { startTestServer, type TestServer } from '../helpers/server';
import { eventTypes, invoiceOf, zeroRatedCustomer } from './fixtures';

// One server for the whole capability: activities, promises to pay and the worklist.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

test('a rep logs activities on a customer and an invoice, works "my day" and marks them done', async () => {
  const org = await server.newOrg();
  const rep = await signedInUser(org, 'sales');
  const { zero, customer } = await zeroRatedCustomer(org);
  const inv = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-12-01');

  const call = await rep.post('/api/v1/activities', {
    type: 'call',
    subject: 'Call about renewal',
    due_date: '2026-11-16',
    related: { type: 'customer', id: customer.id },
  });
  expect(call.status, JSON.stringify(call.body)).toBe(201);
  expect(call.body).toMatchObject({
    type: 'call',
    owner: rep.user.id,
    done_at: null,
    related: { type: 'customer', id: customer.id },
    due_date: '2026-11-16',
  });
  const later = await rep.post('/api/v1/activities', {
    type: 'task',
    subject: 'Send the contract',
    due_date: '2026-11-30',
    related: { type: 'invoice', id: inv.id },
  });
  const overdue = await rep.post('/api/v1/activities', { type: 'email', subject: 'Follow up', due_date: '2026-11-02' });
  expect(overdue.body.related).toBeNull();
  // Someone else's activity, due today: not in my day.
  await org.post('/api/v1/activities', { type: 'note', subject: 'Admin note', due_date: '2026-11-16' });

  const myDay = await rep.get('/api/v1/activities?owner=me&done=false&due_date[lte]=2026-11-16');
  expect(myDay.body.data.map((a: { id: string }) => a.id).sort()).toEqual([call.body.id, overdue.body.id].sort());
  const byOwner = await org.get(`/api/v1/activities?owner=${rep.user.id}&done=false&due_date[lte]=2026-11-16`);
  expect(byOwner.body.data).toHaveLength(2);
  // `related` as the id or as type:id.
  expect((await org.get(`/api/v1/activities?related=${inv.id}`)).body.data.map((a: any) => a.id)).toEqual([
    later.body.id,
  ]);
  expect((await org.get(`/api/v1/activities?related=customer:${customer.id}`)).body.data).toHaveLength(1);
  expect((await org.get(`/api/v1/activities?related=invoice:${customer.id}`)).body.data).toHaveLength(0);

  const done = await rep.post(`/api/v1/activities/${call.body.id}/done`);
  expect(done.status).toBe(200);
  expect(done.body.done_at).not.toBeNull();
  expectError(await rep.post(`/api/v1/activities/${call.body.id}/done`), 409, 'conflict', 'activity_already_done');
  const patched = await rep.patch(`/api/v1/activities/${later.body.id}`, { subject: 'Send the signed contract' });
  expect(patched.body.subject).toBe('Send the signed contract');
  const after = await rep.get('/api/v1/activities?owner=me&done=false&due_date[lte]=2026-11-16');
  expect(after.body.data.map((a: { id: string }) => a.id)).toEqual([overdue.body.id]);
  expect((await org.get('/api/v1/activities?done=true')).body.data.map((a: any) => a.id)).toEqual([call.body.id]);

  const types = (await org.get(`/api/v1/events?object=${call.body.id}`)).body.data.map((e: any) => e.type);
  expect(types.sort()).toEqual(['activity.completed', 'activity.created']);
  const updated = (await org.get('/api/v1/events?type=activity.updated')).body.data;
  expect(updated.map((e: any) => e.object.id)).toEqual([later.body.id]);
});

test('sales reps change only their own activities; a sales key owns nothing; viewers read', async () => {
  const org = await server.newOrg();
  const alice = await signedInUser(org, 'sales');
  const bob = await signedInUser(org, 'sales');
  const finance = await newKey(org, 'finance');
  const salesKey = await newKey(org, 'sales');
  const viewer = await newKey(org, 'viewer');

  const mine = (await alice.post('/api/v1/activities', { type: 'meeting', subject: 'Demo' })).body;
  expectError(await bob.patch(`/api/v1/activities/${mine.id}`, { subject: 'Mine now' }), 403, 'permission');
  expectError(await bob.post(`/api/v1/activities/${mine.id}/done`), 403, 'permission');
  expectError(await salesKey.client.post(`/api/v1/activities/${mine.id}/done`), 403, 'permission');
  expectError(await alice.patch(`/api/v1/activities/${mine.id}`, { owner: bob.user.id }), 403, 'permission');
  expectError(
    await bob.post('/api/v1/activities', { type: 'call', subject: 'For Alice', owner: alice.user.id }),
    403,
    'permission',
  );
  expectError(await viewer.client.post('/api/v1/activities', { type: 'call', subject: 'x' }), 403, 'permission');
  expect((await viewer.client.get(`/api/v1/activities/${mine.id}`)).body.subject).toBe('Demo');

  // A sales key creates unowned activities (owner given: 403), and cannot change them afterwards.
  const unowned = await salesKey.client.post('/api/v1/activities', { type: 'note', subject: 'From the key' });
  expect([unowned.status, unowned.body.owner]).toEqual([201, null]);
  expectError(
    await salesKey.client.post('/api/v1/activities', { type: 'note', subject: 'x', owner: alice.user.id }),
    403,
    'permission',
  );
  expectError(
    await salesKey.client.patch(`/api/v1/activities/${unowned.body.id}`, { subject: 'y' }),
    403,
    'permission',
  );

  // Finance changes any and may give it away.
  const moved = await finance.client.patch(`/api/v1/activities/${mine.id}`, {
    owner: bob.user.id,
    due_date: '2026-11-20',
  });
  expect([moved.status, moved.body.owner, moved.body.due_date]).toEqual([200, bob.user.id, '2026-11-20']);
  expect((await bob.post(`/api/v1/activities/${mine.id}/done`)).status).toBe(200);
  expect((await org.get(`/api/v1/activities/${mine.id}`)).body.subject).toBe('Demo');
});

test('refusals name their field and write nothing; another organization sees 404', async () => {
  const org = await server.newOrg();
  const other = await server.newOrg();
  const user = await addUser(org, 'finance');
  const finance = await login(org.baseUrl, user.email);
  const { customer } = await zeroRatedCustomer(other);
  const a = (await finance.post('/api/v1/activities', { type: 'call', subject: 'Hello' })).body;
  expect(a.owner).toBe(user.id);
  const eventsBefore = (await org.get('/api/v1/events?limit=200')).body.data.length;

  expectError(
    await org.post('/api/v1/activities', {
      type: 'call',
      subject: 'x',
      related: { type: 'customer', id: customer.id },
    }),
    422,
    'invalid_request',
    'related_not_found',
    'related.id',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'call', subject: 'x', related: { type: 'invoice', id: 'inv_nope' } }),
    422,
    'invalid_request',
    'related_not_found',
    'related.id',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'call', subject: 'x', related: { type: 'deal', id: 'x' } }),
    400,
    'invalid_request',
    undefined,
    'related.type',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'visit', subject: 'x' }),
    400,
    'invalid_request',
    undefined,
    'type',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'call', subject: ' ' }),
    400,
    'invalid_request',
    undefined,
    'subject',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'call', subject: 'x', due_date: '2026-02-30' }),
    400,
    'invalid_request',
    undefined,
    'due_date',
  );
  expectError(
    await org.post('/api/v1/activities', { type: 'call', subject: 'x', owner: other.adminUserId }),
    422,
    'invalid_request',
    'owner_not_found',
    'owner',
  );
  expectError(
    await org.patch(`/api/v1/activities/${a.id}`, { related: { type: 'customer', id: customer.id } }),
    422,
    'invalid_request',
    'related_not_found',
    'related.id',
  );
  expect((await org.get('/api/v1/activities')).body.data).toHaveLength(1);
  expect((await org.get('/api/v1/events?limit=200')).body.data.length).toBe(eventsBefore);

  expectError(await other.get(`/api/v1/activities/${a.id}`), 404, 'not_found');
  expectError(await other.patch(`/api/v1/activities/${a.id}`, { subject: 'x' }), 404, 'not_found');
  expectError(await other.post(`/api/v1/activities/${a.id}/done`), 404, 'not_found');
  expect((await other.get('/api/v1/activities')).body.data).toHaveLength(0);
});

// The test clock's today is 2026-11-16.
const policy = {
  enabled: true,
  steps: [
    { offset_days: 1, subject: 'Overdue: {{ invoice.number }}', body: 'Please pay {{ invoice.amount_due }}' },
    { offset_days: 7, subject: 'Second: {{ invoice.number }}', body: 'Please pay' },
  ],
};

const promises = async (org: OrgClient, invoice: string) =>
  (await org.get(`/api/v1/invoices/${invoice}/promises`)).body.data;
const run = async (org: OrgClient, asOf: string) => {
  const res = await org.post('/api/v1/reminders/run', { as_of: asOf });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

test('a promise holds reminders back; broken once when its date passes, with a task for the owner; reminders resume', async () => {
  const org = await server.newOrg();
  const rep = await signedInUser(org, 'sales');
  const { zero, customer } = await zeroRatedCustomer(org, { owner: rep.user.id });
  expect((await org.put('/api/v1/settings/reminder_policy', policy)).status).toBe(200);
  const promised = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-11-10');
  const other = await invoiceOf(org, customer.id, zero.id, '40.00', '2026-11-10');

  const made = await org.post(`/api/v1/invoices/${promised.id}/promises`, {
    amount: '60',
    date: '2026-11-20',
    note: 'Will pay on Friday',
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body).toMatchObject({ amount: '60.00', date: '2026-11-20', status: 'open', note: 'Will pay on Friday' });
  expectError(
    await org.post(`/api/v1/invoices/${promised.id}/promises`, { amount: '10', date: '2026-11-21' }),
    409,
    'conflict',
    'promise_already_open',
  );

  // While open: neither sent nor skipped (the other invoice is reminded as usual).
  const first = await run(org, '2026-11-18');
  expect(first.reminders.map((r: { invoice: string }) => r.invoice)).toEqual([other.id]);
  expect([first.sent, first.skipped, first.promises_broken]).toEqual([1, 1, 0]);
  expect((await run(org, '2026-11-20')).promises_broken).toBe(0); // due on its date, not broken yet

  const second = await run(org, '2026-11-21');
  expect(second.promises_broken).toBe(1);
  expect(second.reminders.map((r: { invoice: string; offset_days: number }) => [r.invoice, r.offset_days])).toEqual([
    [promised.id, 7],
  ]);
  expect(second.skipped).toBe(1); // its +1 step, never sent while promised
  expect((await promises(org, promised.id)).map((p: { status: string }) => p.status)).toEqual(['broken']);

  const tasks = (await org.get(`/api/v1/activities?related=${promised.id}`)).body.data;
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({
    type: 'task',
    due_date: '2026-11-21',
    owner: rep.user.id,
    done_at: null,
    related: { type: 'invoice', id: promised.id },
  });
  // The rep sees it in their day and can close it.
  const day = (await rep.get('/api/v1/activities?owner=me&done=false&due_date[lte]=2026-11-21')).body.data;
  expect(day.map((a: { id: string }) => a.id)).toEqual([tasks[0].id]);
  expect((await rep.post(`/api/v1/activities/${tasks[0].id}/done`)).status).toBe(200);

  const third = await run(org, '2026-11-25');
  expect(third.promises_broken).toBe(0);
  expect((await org.get(`/api/v1/activities?related=${promised.id}`)).body.data).toHaveLength(1);
  const types = await eventTypes(org, promised.id);
  expect(types.filter((t) => t === 'invoice.promise_broken')).toHaveLength(1);
  expect(types).toContain('invoice.promise_created');

  // A new promise may be made once the last one is settled.
  expect(
    (await org.post(`/api/v1/invoices/${promised.id}/promises`, { amount: '100', date: '2026-11-30' })).status,
  ).toBe(201);
});

test('kept by payments dated within its window, in that transaction; a later reversal does not reopen it', async () => {
  const org = await server.newOrg();
  const { zero, customer } = await zeroRatedCustomer(org);
  const inv = await invoiceOf(org, customer.id, zero.id, '200.00', '2026-11-10');
  const p = (await org.post(`/api/v1/invoices/${inv.id}/promises`, { amount: '60.00', date: '2026-11-25' })).body;
  const pay = (amount: string, date: string) =>
    org.post('/api/v1/payments', {
      customer: customer.id,
      amount,
      date,
      method: 'bank_transfer',
      allocations: [{ invoice: inv.id, amount }],
    });
  // Dated before the promise was made, or after its date: does not count.
  expect((await pay('50.00', '2026-11-12')).status).toBe(201);
  expect((await pay('30.00', '2026-11-16')).status).toBe(201);
  expect((await promises(org, inv.id))[0].status).toBe('open');
  // Unapplied money applied from the credit balance counts as well.
  expect(
    (await org.post('/api/v1/payments', { customer: customer.id, amount: '30.00', method: 'cash', date: '2026-11-16' }))
      .status,
  ).toBe(201);
  const applied = await org.post(`/api/v1/customers/${customer.id}/apply_credit`, { invoice: inv.id, amount: '30.00' });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const kept = (await promises(org, inv.id))[0];
  expect([kept.id, kept.status]).toEqual([p.id, 'kept']);
  expect(await eventTypes(org, inv.id)).toContain('invoice.promise_kept');

  const payments = (await org.get(`/api/v1/payments?customer=${customer.id}`)).body.data;
  const last = payments.find(
    (x: { amount: string; allocations: unknown[] }) => x.amount === '30.00' && x.allocations.length,
  );
  expect((await org.post(`/api/v1/payments/${last.id}/reverse`, { reason: 'bounced' })).status).toBe(200);
  expect((await promises(org, inv.id))[0].status).toBe('kept');
});

test('a payment dated after the window does not keep it: the promise breaks; a credit note that clears the invoice cancels one', async () => {
  const org = await server.newOrg();
  const { zero, customer } = await zeroRatedCustomer(org);
  const a = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-11-10');
  const b = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-11-10');
  await org.post(`/api/v1/invoices/${a.id}/promises`, { amount: '50', date: '2026-11-16' });
  await org.post(`/api/v1/invoices/${b.id}/promises`, { amount: '50', date: '2026-11-30' });

  const late = await org.post('/api/v1/payments', {
    customer: customer.id,
    amount: '50.00',
    date: '2026-11-17',
    method: 'bank_transfer',
    allocations: [{ invoice: a.id, amount: '50.00' }],
  });
  expect(late.status, JSON.stringify(late.body)).toBe(201);
  expect((await promises(org, a.id))[0].status).toBe('open');
  expect((await run(org, '2026-11-17')).promises_broken).toBe(1);
  expect((await promises(org, a.id))[0].status).toBe('broken');

  // Credit notes are corrections, not payments: 60 credited does not keep a promise of 50 ...
  const cn = await org.post('/api/v1/credit_notes', { invoice: b.id, amount: '60.00', credit_to: 'invoice' });
  expect(cn.status, JSON.stringify(cn.body)).toBe(201);
  expect((await promises(org, b.id))[0].status).toBe('open');
  // ... and once nothing is due the promise is cancelled.
  expect(
    (await org.post('/api/v1/credit_notes', { invoice: b.id, amount: '40.00', credit_to: 'invoice' })).status,
  ).toBe(201);
  expect((await promises(org, b.id))[0].status).toBe('cancelled');
  expect(await eventTypes(org, b.id)).toContain('invoice.promise_cancelled');
  expect((await run(org, '2026-12-31')).promises_broken).toBe(0);
});

test('promise refusals name their field and write nothing; roles; another organization sees 404', async () => {
  const org = await server.newOrg();
  const other = await server.newOrg();
  const rep = await signedInUser(org, 'sales');
  const viewer = await signedInUser(org, 'viewer');
  const { zero, customer } = await zeroRatedCustomer(org);
  const inv = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-11-10');
  const draft = (
    await org.post('/api/v1/invoices', {
      customer: customer.id,
      lines: [{ description: 'x', quantity: '1', unit_price: '5', tax_rate: zero.id }],
    })
  ).body;
  const path = `/api/v1/invoices/${inv.id}/promises`;
  const before = (await org.get('/api/v1/events?limit=200')).body.data.length;

  expectError(
    await org.post(path, { amount: '10', date: '2026-11-15' }),
    400,
    'invalid_request',
    'promise_date_in_past',
    'date',
  );
  expectError(await org.post(path, { amount: '10', date: '15.11.2026' }), 400, 'invalid_request', undefined, 'date');
  expectError(await org.post(path, { amount: 'ten', date: '2026-11-20' }), 400, 'invalid_request', undefined, 'amount');
  expectError(
    await org.post(path, { amount: '10.001', date: '2026-11-20' }),
    400,
    'invalid_request',
    'amount_precision',
    'amount',
  );
  expectError(
    await org.post(path, { amount: '100.01', date: '2026-11-20' }),
    409,
    'conflict',
    'promise_amount_out_of_range',
    'amount',
  );
  expectError(
    await org.post(path, { amount: '0', date: '2026-11-20' }),
    409,
    'conflict',
    'promise_amount_out_of_range',
    'amount',
  );
  expectError(await org.post(path, { date: '2026-11-20' }), 400, 'invalid_request', undefined, 'amount');
  expectError(
    await org.post(path, { amount: '10', date: '2026-11-20', extra: 1 }),
    400,
    'invalid_request',
    'unknown_field',
    'extra',
  );
  expectError(
    await org.post(`/api/v1/invoices/${draft.id}/promises`, { amount: '1', date: '2026-11-20' }),
    409,
    'conflict',
    'invoice_not_open',
  );
  // A sales rep only for customers they own; viewers read.
  expectError(await rep.post(path, { amount: '10', date: '2026-11-20' }), 403, 'permission');
  expectError(await viewer.post(path, { amount: '10', date: '2026-11-20' }), 403, 'permission');
  expectError(await other.post(path, { amount: '10', date: '2026-11-20' }), 404, 'not_found');
  expectError(await other.get(path), 404, 'not_found');
  expect(await promises(org, inv.id)).toEqual([]);
  expect((await org.get('/api/v1/events?limit=200')).body.data.length).toBe(before);

  await org.patch(`/api/v1/customers/${customer.id}`, { owner: rep.user.id });
  const mine = await rep.post(path, { amount: '100', date: '2026-11-16' });
  expect([mine.status, mine.body.created_by]).toEqual([201, rep.user.id]);
  expect((await viewer.get(path)).body.data).toHaveLength(1);
});

test('the worklist: base currency first, then amount due × days overdue, due date, number; with what a clerk needs', async () => {
  const org = await server.newOrg();
  const rep = await signedInUser(org, 'sales');
  const { zero, customer } = await zeroRatedCustomer(org, { owner: rep.user.id });
  const usd = (await org.post('/api/v1/customers', { name: 'Yankee', currency: 'USD' })).body;
  const chf = (await org.post('/api/v1/customers', { name: 'Zurich', currency: 'CHF' })).body;
  // as of 2026-11-16: weights 100 × 10 = 1000, 50 × 30 = 1500, 200 × 5 = 1000 (due later than the first).
  const e1 = await invoiceOf(org, customer.id, zero.id, '100.00', '2026-11-06');
  const e2 = await invoiceOf(org, customer.id, zero.id, '50.00', '2026-10-17');
  const e3 = await invoiceOf(org, customer.id, zero.id, '200.00', '2026-11-11');
  await invoiceOf(org, customer.id, zero.id, '999.00', '2026-11-16'); // due today: not overdue
  const u1 = await invoiceOf(org, usd.id, zero.id, '5000.00', '2026-11-15');
  const c1 = await invoiceOf(org, chf.id, zero.id, '10.00', '2026-11-15');
  await org.patch(`/api/v1/invoices/${e3.id}/flags`, { disputed: true });
  const promise = (await org.post(`/api/v1/invoices/${e1.id}/promises`, { amount: '20', date: '2026-11-30' })).body;
  const note = (
    await rep.post('/api/v1/activities', {
      type: 'call',
      subject: 'Called AP',
      related: { type: 'invoice', id: e2.id },
    })
  ).body;

  const list = (await org.get('/api/v1/collections/worklist?as_of=2026-11-16')).body;
  expect(list.data.map((r: { invoice: string }) => r.invoice)).toEqual([e2.id, e1.id, e3.id, c1.id, u1.id]);
  const [r2, r1, r3] = list.data;
  expect(r2).toMatchObject({
    number: e2.number,
    customer: customer.id,
    owner: rep.user.id,
    currency: 'EUR',
    amount_due: '50.00',
    days_overdue: 30,
    disputed: false,
    last_reminder_at: null,
    last_activity_at: note.created_at,
    open_promise: null,
    customer_total_overdue: '350.00',
  });
  expect(r1.open_promise).toEqual({ id: promise.id, amount: '20.00', date: '2026-11-30' });
  expect(r3.disputed).toBe(true);

  // Pages continue in the same order; filters by owner and currency.
  const page1 = (await org.get('/api/v1/collections/worklist?as_of=2026-11-16&limit=2')).body;
  const page2 = (
    await org.get(`/api/v1/collections/worklist?as_of=2026-11-16&limit=2&starting_after=${page1.data[1].invoice}`)
  ).body;
  expect([...page1.data, ...page2.data].map((r: { invoice: string }) => r.invoice)).toEqual([
    e2.id,
    e1.id,
    e3.id,
    c1.id,
  ]);
  expect([page1.has_more, page2.has_more]).toEqual([true, true]);
  const usdOnly = (await org.get('/api/v1/collections/worklist?as_of=2026-11-16&currency=USD')).body.data;
  expect(usdOnly.map((r: { invoice: string }) => r.invoice)).toEqual([u1.id]);
  const mine = (await rep.get('/api/v1/collections/worklist?as_of=2026-11-16&owner=me')).body.data;
  expect(mine.map((r: { invoice: string }) => r.invoice)).toEqual([e2.id, e1.id, e3.id]);
  // As of an earlier day fewer invoices are overdue and the weights change.
  const earlier = (await org.get('/api/v1/collections/worklist?as_of=2026-11-08')).body.data;
  expect(earlier.map((r: { invoice: string; days_overdue: number }) => [r.invoice, r.days_overdue])).toEqual([
    [e2.id, 22],
    [e1.id, 2],
  ]);
  expectError(
    await org.get('/api/v1/collections/worklist?as_of=2026-13-01'),
    400,
    'invalid_request',
    undefined,
    'as_of',
  );
});

test('activities on leads and opportunities: the record must exist in the organization', async () => {
  const org = await server.newOrg();
  const other = await server.newOrg();
  const { customer } = await zeroRatedCustomer(org);
  const lead = await org.post('/api/v1/leads', { name: 'Ada', company: 'Analytical Engines' });
  expect(lead.status, JSON.stringify(lead.body)).toBe(201);
  const deal = await org.post('/api/v1/opportunities', { name: 'Engine', customer: customer.id, amount: '1000' });
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  for (const related of [
    { type: 'lead', id: lead.body.id },
    { type: 'opportunity', id: deal.body.id },
  ]) {
    const made = await org.post('/api/v1/activities', { type: 'meeting', subject: 'Intro', related });
    expect([made.status, made.body.related]).toEqual([201, related]);
    expect((await org.get(`/api/v1/activities?related=${related.type}:${related.id}`)).body.data).toHaveLength(1);
    expectError(
      await other.post('/api/v1/activities', { type: 'call', subject: 'x', related }),
      422,
      'invalid_request',
      'related_not_found',
      'related.id',
    );
  }
});
