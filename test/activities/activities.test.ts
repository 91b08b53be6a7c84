import { afterAll, beforeAll, expect, test } from 'vitest';
import { addUser, expectError, login, newKey, signedInUser } from '../foundation/helpers';
import { startTestServer, type TestServer } from '../helpers/server';
import { invoiceOf, zeroRatedCustomer } from './fixtures';

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
