import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { addUser, createCustomer, expectError, ids, listAll, signedInUser } from './helpers';

// Customers, their contacts, and the events every change writes. One server for the file.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('customers and contacts', () => {
  test('a customer is created with every field and read back the same', async () => {
    const org = await server.newOrg();
    const body = {
      name: 'Globex Corporation',
      email: 'ap@globex.example',
      phone: '+1 555 0100',
      billing_address: { line1: '1 Globex Way', city: 'Springfield', postal_code: '12345', country: 'US' },
      tax_id: 'US123456789',
      peppol_id: { scheme: '0088', id: '1234567890123' },
      currency: 'USD',
      payment_terms_days: 45,
      locale: 'en-US',
      reminders_paused: true,
      metadata: { crm_id: 'A-17' },
    };
    const res = await org.post('/api/v1/customers', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      billing_address: { ...body.billing_address, line2: null, region: null },
      owner: null,
      credit_balance: '0.00',
    });
    expect(res.body.id).toMatch(/^cus_/);
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
    expect((await org.get(`/api/v1/customers/${res.body.id}`)).body).toEqual(res.body);

    const jpy = await createCustomer(org, { currency: 'JPY' });
    expect(jpy.credit_balance).toBe('0');
    expect(jpy).toMatchObject({
      email: null,
      billing_address: null,
      peppol_id: null,
      metadata: {},
      reminders_paused: false,
    });
  });

  test('PATCH changes only the given fields; null clears', async () => {
    const org = await server.newOrg();
    const c = await createCustomer(org, { name: 'Initech', email: 'a@initech.example', phone: '123' });
    const res = await org.patch(`/api/v1/customers/${c.id}`, { phone: null, payment_terms_days: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...c, phone: null, payment_terms_days: 10 });
    expect((await org.get(`/api/v1/customers/${c.id}`)).body).toEqual(res.body);
    // An empty patch is allowed and changes nothing.
    const empty = await org.patch(`/api/v1/customers/${c.id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(res.body);
    expect(await listAll(org, `/api/v1/events?object=${c.id}&type=customer.updated`)).toHaveLength(1);
  });

  test('search matches name or email, case-insensitively, with % and _ taken literally', async () => {
    const org = await server.newOrg();
    const acme = await createCustomer(org, { name: 'Acme GmbH' });
    const byEmail = await createCustomer(org, { name: 'Road Runner', email: 'orders@ACME.example' });
    const percent = await createCustomer(org, { name: '100% Organic' });
    const under = await createCustomer(org, { name: 'snake_case Ltd' });
    await createCustomer(org, { name: 'Globex' });
    await createCustomer(org, { name: 'Snakecase Co' });

    const search = async (q: string) => ids(await listAll(org, `/api/v1/customers?search=${encodeURIComponent(q)}`));
    expect((await search('acme')).sort()).toEqual([acme.id, byEmail.id].sort());
    expect(await search('ACME GMBH')).toEqual([acme.id]);
    expect(await search('%')).toEqual([percent.id]);
    expect(await search('_')).toEqual([under.id]);
    expect(await search('nothing like this')).toEqual([]);
    expect(await listAll(org, '/api/v1/customers')).toHaveLength(6);
  });

  test('owner filter returns the customers of that user', async () => {
    const org = await server.newOrg();
    const rep = await addUser(org, 'sales');
    const a = await createCustomer(org, { owner: rep.id });
    const b = await createCustomer(org, { owner: rep.id });
    const admins = await createCustomer(org, { owner: org.adminUserId });
    await createCustomer(org);
    expect(ids(await listAll(org, `/api/v1/customers?owner=${rep.id}`))).toEqual([b.id, a.id]);
    expect(ids(await listAll(org, `/api/v1/customers?owner=${org.adminUserId}`))).toEqual([admins.id]);
    expect(await listAll(org, '/api/v1/customers?owner=usr_unknown')).toEqual([]);
    // Owner and search combine.
    const named = await createCustomer(org, { name: 'Zeta Rep Customer', owner: rep.id });
    expect(ids(await listAll(org, `/api/v1/customers?owner=${rep.id}&search=zeta`))).toEqual([named.id]);
    // Reassigning moves it between owners.
    await org.patch(`/api/v1/customers/${a.id}`, { owner: org.adminUserId });
    expect(ids(await listAll(org, `/api/v1/customers?owner=${rep.id}`))).toEqual([named.id, b.id]);
    await org.patch(`/api/v1/customers/${b.id}`, { owner: null });
    expect(ids(await listAll(org, `/api/v1/customers?owner=${rep.id}`))).toEqual([named.id]);
  });

  test('DELETE removes a customer without documents, with its contacts', async () => {
    const org = await server.newOrg();
    const keep = await createCustomer(org, { name: 'Keep' });
    const gone = await createCustomer(org, { name: 'Gone' });
    const contact = await org.post(`/api/v1/customers/${gone.id}/contacts`, { name: 'Will go too' });
    expect(contact.status).toBe(201);
    const res = await org.delete(`/api/v1/customers/${gone.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expectError(await org.get(`/api/v1/customers/${gone.id}`), 404, 'not_found', 'resource_missing');
    expectError(await org.delete(`/api/v1/customers/${gone.id}`), 404, 'not_found', 'resource_missing');
    expectError(await org.patch(`/api/v1/contacts/${contact.body.id}`, { name: 'x' }), 404, 'not_found');
    expect(ids(await listAll(org, '/api/v1/customers'))).toEqual([keep.id]);
    const events = await listAll(org, `/api/v1/events?type=customer.deleted`);
    expect(events.map((e) => e.object)).toEqual([{ type: 'customer', id: gone.id }]);
  });

  test('contacts: create, list, change, delete', async () => {
    const org = await server.newOrg();
    const customer = await createCustomer(org);
    const otherCustomer = await createCustomer(org);
    const ann = await org.post(`/api/v1/customers/${customer.id}/contacts`, {
      name: 'Ann Accounts',
      email: 'ann@example.com',
      phone: '+49 1',
      role: 'Accounts payable',
      receives_invoices: true,
    });
    expect(ann.status).toBe(201);
    expect(ann.body).toMatchObject({
      customer: customer.id,
      name: 'Ann Accounts',
      email: 'ann@example.com',
      phone: '+49 1',
      role: 'Accounts payable',
      receives_invoices: true,
    });
    expect(ann.body.id).toMatch(/^con_/);
    const bob = await org.post(`/api/v1/customers/${customer.id}/contacts`, { name: 'Bob' });
    expect(bob.body).toMatchObject({ email: null, phone: null, role: null, receives_invoices: false });
    await org.post(`/api/v1/customers/${otherCustomer.id}/contacts`, { name: 'Elsewhere' });

    expect(await listAll(org, `/api/v1/customers/${customer.id}/contacts`)).toEqual([bob.body, ann.body]);
    const paged = await org.get(`/api/v1/customers/${customer.id}/contacts?limit=1`);
    expect(paged.body).toEqual({ data: [bob.body], has_more: true });

    const changed = await org.patch(`/api/v1/contacts/${ann.body.id}`, { receives_invoices: false, phone: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...ann.body, receives_invoices: false, phone: null });
    expectError(
      await org.patch(`/api/v1/contacts/${ann.body.id}`, { email: 'bad' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'email',
    );

    expect((await org.delete(`/api/v1/contacts/${bob.body.id}`)).status).toBe(204);
    expect(await listAll(org, `/api/v1/customers/${customer.id}/contacts`)).toEqual([changed.body]);
    expectError(await org.delete(`/api/v1/contacts/${bob.body.id}`), 404, 'not_found', 'resource_missing');
    expect(await listAll(org, `/api/v1/customers/${otherCustomer.id}/contacts`)).toHaveLength(1);
  });
});

describe('events', () => {
  test('creating and changing writes one event each, with the actor', async () => {
    const org = await server.newOrg();
    const actor = (await org.get('/api/v1/auth/me')).body.actor;
    expect(actor).toMatchObject({ type: 'api_key', id: expect.any(String) });
    const startedAt = server.clock.now().getTime();

    const customer = await createCustomer(org, { name: 'Evented' });
    await org.patch(`/api/v1/customers/${customer.id}`, { name: 'Evented, renamed', email: 'e@example.com' });
    const contact = (await org.post(`/api/v1/customers/${customer.id}/contacts`, { name: 'C' })).body;
    const rate = (await org.post('/api/v1/tax_rates', { name: 'VAT', percentage: '19' })).body;
    const product = (await org.post('/api/v1/products', { name: 'P', unit_price: '1', currency: 'EUR' })).body;
    await org.patch(`/api/v1/products/${product.id}`, { tax_rate: rate.id });

    const events = await listAll(org, '/api/v1/events');
    const mine = events.filter((e) => e.actor.type === 'api_key');
    expect(mine.map((e) => [e.type, e.object])).toEqual([
      ['product.updated', { type: 'product', id: product.id }],
      ['product.created', { type: 'product', id: product.id }],
      ['tax_rate.created', { type: 'tax_rate', id: rate.id }],
      ['contact.created', { type: 'contact', id: contact.id }],
      ['customer.updated', { type: 'customer', id: customer.id }],
      ['customer.created', { type: 'customer', id: customer.id }],
    ]);
    for (const e of mine) {
      expect(e.actor).toEqual(actor);
      expect(e.id).toMatch(/^evt_/);
      expect(new Date(e.at).toISOString()).toBe(e.at);
      // Events are stamped by the server's clock, not the database's.
      expect(new Date(e.at).getTime()).toBeGreaterThanOrEqual(startedAt);
      expect(new Date(e.at).getTime()).toBeLessThanOrEqual(server.clock.now().getTime());
    }
    const updated = mine.find((e) => e.type === 'customer.updated');
    expect(updated.data.changed).toEqual(expect.arrayContaining(['name', 'email']));
    expect(mine.find((e) => e.type === 'customer.created').data).toMatchObject({ name: 'Evented' });
    // The organization's own setup events are there, by the system.
    expect(events.filter((e) => e.type === 'organization.created').map((e) => e.actor)).toEqual([
      { type: 'system', id: null },
    ]);
  });

  test('GET /events?type= and ?object= filter', async () => {
    const org = await server.newOrg();
    const a = await createCustomer(org);
    const b = await createCustomer(org);
    await org.patch(`/api/v1/customers/${a.id}`, { phone: '1' });
    await org.patch(`/api/v1/customers/${a.id}`, { phone: '2' });
    await org.patch(`/api/v1/customers/${b.id}`, { phone: '3' });

    const updated = await listAll(org, '/api/v1/events?type=customer.updated');
    expect(updated.map((e) => e.object.id)).toEqual([b.id, a.id, a.id]);
    expect(updated.every((e) => e.type === 'customer.updated')).toBe(true);
    const created = await listAll(org, '/api/v1/events?type=customer.created');
    expect(created.map((e) => e.object.id)).toEqual([b.id, a.id]);
    expect(await listAll(org, '/api/v1/events?type=invoice.posted')).toEqual([]);
    expect(await listAll(org, '/api/v1/events?type=customer')).toEqual([]);

    const ofA = await listAll(org, `/api/v1/events?object=${a.id}`);
    expect(ofA.map((e) => e.type)).toEqual(['customer.updated', 'customer.updated', 'customer.created']);
    const both = await listAll(org, `/api/v1/events?object=${b.id}&type=customer.updated`);
    expect(both).toHaveLength(1);
  });

  test('a signed-in user is the actor of what they do; refused requests write nothing', async () => {
    const org = await server.newOrg();
    const user = await signedInUser(org, 'finance');
    const rate = await user.post('/api/v1/tax_rates', { name: 'Reduced', percentage: '7' });
    expect(rate.status).toBe(201);
    const [event] = await listAll(org, `/api/v1/events?object=${rate.body.id}`);
    expect(event).toMatchObject({
      type: 'tax_rate.created',
      actor: { type: 'user', id: user.user.id },
      data: { category: 'S', percentage: '7' },
    });

    const before = await listAll(org, '/api/v1/events');
    await user.post('/api/v1/users', { email: 'x@example.com', password: 'long enough', role: 'admin' }); // 403
    await user.post('/api/v1/tax_rates', { name: 'Bad', percentage: '0' }); // 400
    await user.withoutCsrf('POST', '/api/v1/tax_rates', { name: 'No CSRF', percentage: '5' }); // 403
    expect(await listAll(org, '/api/v1/events')).toEqual(before);
  });
});
