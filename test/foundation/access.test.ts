import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiRequest, type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import {
  addUser,
  createCustomer,
  expectError,
  ids,
  listAll,
  login,
  newKey,
  PASSWORD,
  sessionCookie,
  signedInUser,
  uniqueEmail,
} from './helpers';

// Who may see and do what: organizations are isolated, roles are enforced, sessions behave. One server for the file.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('isolation between organizations', () => {
  async function populate(org: OrgClient, name: string) {
    const customer = await createCustomer(org, {
      name,
      email: `${name.toLowerCase()}@example.com`,
      owner: org.adminUserId,
    });
    const contact = await org.post(`/api/v1/customers/${customer.id}/contacts`, { name: `${name} contact` });
    const taxRate = await org.post('/api/v1/tax_rates', { name: `${name} VAT`, percentage: '21' });
    const product = await org.post('/api/v1/products', {
      name: `${name} product`,
      sku: `${name}-SKU`,
      unit_price: '9.99',
      currency: 'EUR',
      tax_rate: taxRate.body.id,
    });
    const key = await org.post('/api/v1/api_keys', { name: `${name} key`, role: 'viewer' });
    for (const r of [contact, taxRate, product, key]) expect(r.status).toBe(201);
    return { customer, contact: contact.body, taxRate: taxRate.body, product: product.body, key: key.body };
  }

  test('another organization\u2019s objects are 404 for GET, PATCH and DELETE, and stay unchanged', async () => {
    const a = await server.newOrg();
    const b = await server.newOrg();
    const theirs = await populate(b, 'Bravo');
    const eventsOfB = await listAll(b, '/api/v1/events');

    const attempts: [method: string, path: string, body?: unknown][] = [
      ['GET', `/api/v1/customers/${theirs.customer.id}`],
      ['PATCH', `/api/v1/customers/${theirs.customer.id}`, { name: 'Hijacked' }],
      ['DELETE', `/api/v1/customers/${theirs.customer.id}`],
      ['GET', `/api/v1/customers/${theirs.customer.id}/contacts`],
      ['POST', `/api/v1/customers/${theirs.customer.id}/contacts`, { name: 'Intruder' }],
      ['PATCH', `/api/v1/contacts/${theirs.contact.id}`, { name: 'Hijacked' }],
      ['DELETE', `/api/v1/contacts/${theirs.contact.id}`],
      ['GET', `/api/v1/products/${theirs.product.id}`],
      ['PATCH', `/api/v1/products/${theirs.product.id}`, { name: 'Hijacked' }],
      ['GET', `/api/v1/tax_rates/${theirs.taxRate.id}`],
      ['PATCH', `/api/v1/tax_rates/${theirs.taxRate.id}`, { name: 'Hijacked', active: false }],
      ['PATCH', `/api/v1/users/${b.adminUserId}`, { role: 'viewer' }],
      ['DELETE', `/api/v1/api_keys/${theirs.key.id}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await a.request(method, path, body);
      expectError(res, 404, 'not_found', 'resource_missing', 'id');
      // The answer is the one for an id that never existed: nothing reveals that it exists.
      const unknownPath = path.replace(/(cus|con|prod|txr|usr|key)_[0-9a-f]+/, '$1_0000000000000000');
      const unknown = await a.request(method, unknownPath, body);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe(res.body.error.code);
    }

    // B still sees everything as it was.
    expect((await b.get(`/api/v1/customers/${theirs.customer.id}`)).body).toEqual(theirs.customer);
    expect((await b.get(`/api/v1/products/${theirs.product.id}`)).body).toEqual(theirs.product);
    expect((await b.get(`/api/v1/tax_rates/${theirs.taxRate.id}`)).body).toEqual(theirs.taxRate);
    expect(await listAll(b, `/api/v1/customers/${theirs.customer.id}/contacts`)).toEqual([theirs.contact]);
    expect(await listAll(b, '/api/v1/events')).toEqual(eventsOfB);
    const keysOfB = await listAll(b, '/api/v1/api_keys');
    expect(keysOfB.find((k) => k.id === theirs.key.id)?.revoked_at).toBeNull();
    expect((await b.get('/api/v1/auth/me')).body.user).toBeNull();
    expect((await b.get('/api/v1/users')).body.data.find((u: { id: string }) => u.id === b.adminUserId)).toMatchObject({
      role: 'admin',
      active: true,
    });
  });

  test('lists, searches and filters never show another organization\u2019s objects', async () => {
    const a = await server.newOrg();
    const b = await server.newOrg();
    const mine = await populate(a, 'Alpha');
    const theirs = await populate(b, 'Bravo');

    expect(ids(await listAll(a, '/api/v1/customers'))).toEqual([mine.customer.id]);
    expect(ids(await listAll(a, '/api/v1/products'))).toEqual([mine.product.id]);
    expect(ids(await listAll(a, '/api/v1/tax_rates'))).toEqual([mine.taxRate.id]);
    expect(await listAll(a, '/api/v1/customers?search=Bravo')).toEqual([]);
    expect(await listAll(a, '/api/v1/products?search=Bravo')).toEqual([]);
    expect(await listAll(a, `/api/v1/customers?owner=${b.adminUserId}`)).toEqual([]);
    expect(await listAll(a, `/api/v1/events?object=${theirs.customer.id}`)).toEqual([]);

    const users = await listAll(a, '/api/v1/users');
    expect(ids(users)).toEqual([a.adminUserId]);
    const keys = await listAll(a, '/api/v1/api_keys');
    expect(ids(keys)).not.toContain(theirs.key.id);

    const theirIds = new Set([
      theirs.customer.id,
      theirs.contact.id,
      theirs.product.id,
      theirs.taxRate.id,
      theirs.key.id,
      b.orgId,
      b.adminUserId,
    ]);
    const events = await listAll(a, '/api/v1/events');
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((e) => theirIds.has(e.object.id) || theirIds.has(e.actor.id))).toEqual([]);
  });

  test('another organization\u2019s ids in a body are refused as unknown (422), never used', async () => {
    const a = await server.newOrg();
    const b = await server.newOrg();
    const theirs = await populate(b, 'Bravo');
    expectError(
      await a.post('/api/v1/products', { name: 'X', unit_price: '1', currency: 'EUR', tax_rate: theirs.taxRate.id }),
      422,
      'invalid_request',
      'tax_rate_not_found',
      'tax_rate',
    );
    expectError(
      await a.post('/api/v1/customers', { name: 'X', currency: 'EUR', owner: b.adminUserId }),
      422,
      'invalid_request',
      'owner_not_found',
      'owner',
    );
    expect(await listAll(a, '/api/v1/products')).toEqual([]);
    expect(await listAll(a, '/api/v1/customers')).toEqual([]);
  });
});

describe('roles', () => {
  type Role = 'admin' | 'finance' | 'sales' | 'viewer';
  const ROLES: Role[] = ['admin', 'finance', 'sales', 'viewer'];
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );

  describe('API key roles', () => {
    test('each role may do what it should and is refused (403 permission) what it should not', async () => {
      const org = await server.newOrg();
      // Fixtures, owned by the admin user so that a sales key owns none of them.
      const customer = await createCustomer(org, { owner: org.adminUserId });
      const taxRate = (await org.post('/api/v1/tax_rates', { name: 'VAT', percentage: '19' })).body;
      const product = (await org.post('/api/v1/products', { name: 'P', unit_price: '1', currency: 'EUR' })).body;
      const someUser = await addUser(org, 'viewer');

      type Case = { name: string; allowed: Role[]; run: (c: ReturnType<typeof org.withKey>) => Promise<any> };
      const cases: Case[] = [
        { name: 'GET /customers', allowed: ROLES, run: (c) => c.get('/api/v1/customers') },
        { name: 'GET /customers/:id', allowed: ROLES, run: (c) => c.get(`/api/v1/customers/${customer.id}`) },
        {
          name: 'GET /customers/:id/contacts',
          allowed: ROLES,
          run: (c) => c.get(`/api/v1/customers/${customer.id}/contacts`),
        },
        { name: 'GET /products', allowed: ROLES, run: (c) => c.get('/api/v1/products') },
        { name: 'GET /products/:id', allowed: ROLES, run: (c) => c.get(`/api/v1/products/${product.id}`) },
        { name: 'GET /tax_rates', allowed: ROLES, run: (c) => c.get('/api/v1/tax_rates') },
        { name: 'GET /tax_rates/:id', allowed: ROLES, run: (c) => c.get(`/api/v1/tax_rates/${taxRate.id}`) },
        { name: 'GET /events', allowed: ROLES, run: (c) => c.get('/api/v1/events') },
        { name: 'GET /settings', allowed: ROLES, run: (c) => c.get('/api/v1/settings') },
        { name: 'GET /auth/me', allowed: ROLES, run: (c) => c.get('/api/v1/auth/me') },
        {
          name: 'POST /customers (a sales key acts for no user, so it cannot own one)',
          allowed: ['admin', 'finance'],
          run: (c) => c.post('/api/v1/customers', { name: 'New', currency: 'EUR' }),
        },
        {
          name: 'PATCH /customers/:id (not owned by the caller)',
          allowed: ['admin', 'finance'],
          run: (c) => c.patch(`/api/v1/customers/${customer.id}`, { phone: '+49 30 1234' }),
        },
        {
          name: 'POST /customers/:id/contacts (not owned by the caller)',
          allowed: ['admin', 'finance'],
          run: (c) => c.post(`/api/v1/customers/${customer.id}/contacts`, { name: 'Contact' }),
        },
        {
          name: 'DELETE /customers/:id (not owned by the caller)',
          allowed: ['admin', 'finance'],
          run: async (c) => {
            const victim = await createCustomer(org, { owner: org.adminUserId });
            return c.delete(`/api/v1/customers/${victim.id}`);
          },
        },
        {
          name: 'POST /tax_rates',
          allowed: ['admin', 'finance'],
          run: (c) => c.post('/api/v1/tax_rates', { name: 'VAT 7', percentage: '7' }),
        },
        {
          name: 'PATCH /tax_rates/:id',
          allowed: ['admin', 'finance'],
          run: (c) => c.patch(`/api/v1/tax_rates/${taxRate.id}`, { name: 'VAT renamed' }),
        },
        {
          name: 'POST /products',
          allowed: ['admin', 'finance'],
          run: (c) => c.post('/api/v1/products', { name: 'Q', unit_price: '2', currency: 'EUR' }),
        },
        {
          name: 'PATCH /products/:id',
          allowed: ['admin', 'finance'],
          run: (c) => c.patch(`/api/v1/products/${product.id}`, { unit_price: '3' }),
        },
        { name: 'GET /users', allowed: ['admin'], run: (c) => c.get('/api/v1/users') },
        {
          name: 'POST /users',
          allowed: ['admin'],
          run: (c) => c.post('/api/v1/users', { email: uniqueEmail(), password: PASSWORD, role: 'viewer' }),
        },
        {
          name: 'PATCH /users/:id',
          allowed: ['admin'],
          run: (c) => c.patch(`/api/v1/users/${someUser.id}`, { name: 'Renamed' }),
        },
        { name: 'GET /api_keys', allowed: ['admin'], run: (c) => c.get('/api/v1/api_keys') },
        {
          name: 'POST /api_keys',
          allowed: ['admin'],
          run: (c) => c.post('/api/v1/api_keys', { name: 'k', role: 'admin' }),
        },
        {
          name: 'DELETE /api_keys/:id',
          allowed: ['admin'],
          run: async (c) => c.delete(`/api/v1/api_keys/${(await newKey(org, 'viewer')).id}`),
        },
        {
          name: 'PATCH /settings',
          allowed: ['admin'],
          run: (c) => c.patch('/api/v1/settings', { payment_terms_days: 14 }),
        },
        {
          name: 'PUT /settings/logo',
          allowed: ['admin'],
          run: (c) => c.request('PUT', '/api/v1/settings/logo', PNG, { 'content-type': 'image/png' }),
        },
      ];

      const keys = new Map<Role, { id: string; client: ReturnType<typeof org.withKey> }>();
      for (const role of ROLES) keys.set(role, await newKey(org, role));
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const c of cases) {
        for (const role of ROLES) {
          const res = await c.run(keys.get(role)!.client);
          const allowed = c.allowed.includes(role);
          expected.push(`${c.name} as ${role}: ${allowed ? 'allowed' : '403 permission'}`);
          if (res.status >= 200 && res.status < 300) outcomes.push(`${c.name} as ${role}: allowed`);
          else if (res.status === 403 && res.body.error?.type === 'permission')
            outcomes.push(`${c.name} as ${role}: 403 permission`);
          else outcomes.push(`${c.name} as ${role}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect(outcomes).toEqual(expected);

      // Refused requests changed nothing: no event was written by a refused key where it was refused.
      const events = await listAll(org, '/api/v1/events');
      const byViewer = events.filter((e) => e.actor.id === keys.get('viewer')!.id);
      expect(byViewer).toEqual([]);
      const bySales = events.filter((e) => e.actor.id === keys.get('sales')!.id).map((e) => e.type);
      expect(bySales).toEqual([]);
      expect((await org.get(`/api/v1/customers/${customer.id}/contacts`)).body.data).toHaveLength(2);
    });

    test('no credentials, an unknown key and a revoked key are 401 authentication', async () => {
      const org = await server.newOrg();
      expectError(
        await apiRequest(org.baseUrl, 'GET', '/api/v1/customers'),
        401,
        'authentication',
        'not_authenticated',
      );
      expectError(
        await apiRequest(org.baseUrl, 'POST', '/api/v1/customers', { name: 'X', currency: 'EUR' }),
        401,
        'authentication',
        'not_authenticated',
      );
      expectError(
        await apiRequest(org.baseUrl, 'GET', '/api/v1/customers', undefined, { authorization: 'Bearer arb_not_a_key' }),
        401,
        'authentication',
        'invalid_api_key',
      );
      expectError(
        await apiRequest(org.baseUrl, 'GET', '/api/v1/customers', undefined, { authorization: `Basic ${org.apiKey}` }),
        401,
        'authentication',
      );
      const { id, client } = await newKey(org, 'finance');
      expect((await client.get('/api/v1/customers')).status).toBe(200);
      expect((await org.delete(`/api/v1/api_keys/${id}`)).status).toBe(204);
      expectError(await client.get('/api/v1/customers'), 401, 'authentication', 'invalid_api_key');
      expectError(
        await client.post('/api/v1/customers', { name: 'After revoke', currency: 'EUR' }),
        401,
        'authentication',
        'invalid_api_key',
      );
      expect(await listAll(org, '/api/v1/customers')).toEqual([]);
      // Revoking twice: the key is gone.
      expectError(await org.delete(`/api/v1/api_keys/${id}`), 404, 'not_found', 'resource_missing');
      const listed = (await listAll(org, '/api/v1/api_keys')).find((k) => k.id === id);
      expect(listed.revoked_at).not.toBeNull();
      expect(listed.key).toBeUndefined();
    });
  });

  describe('sales user with a session', () => {
    test('reads all customers but changes only the ones it owns', async () => {
      const org = await server.newOrg();
      const othersCustomer = await createCustomer(org, { name: 'Not yours', owner: org.adminUserId });
      const unowned = await createCustomer(org, { name: 'Nobody\u2019s' });
      const sales = await signedInUser(org, 'sales');
      expect(sales.user.role).toBe('sales');

      const me = await sales.get('/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        role: 'sales',
        user: { id: sales.user.id },
        actor: { type: 'user', id: sales.user.id },
      });
      expect((await sales.get('/api/v1/auth/csrf')).body.csrf_token).toBe(sales.csrfToken);

      // A state change with the cookie needs the CSRF token.
      expectError(
        await sales.withoutCsrf('POST', '/api/v1/customers', { name: 'Mine', currency: 'EUR' }),
        403,
        'permission',
        'csrf_token_invalid',
      );
      expectError(
        await sales.request(
          'POST',
          '/api/v1/customers',
          { name: 'Mine', currency: 'EUR' },
          { 'x-csrf-token': 'wrong' },
        ),
        403,
        'permission',
        'csrf_token_invalid',
      );
      expect((await listAll(org, '/api/v1/customers')).map((c) => c.name).sort()).toEqual([
        'Nobody\u2019s',
        'Not yours',
      ]);

      const created = await sales.post('/api/v1/customers', { name: 'Mine', currency: 'EUR' });
      expect(created.status).toBe(201);
      expect(created.body.owner).toBe(sales.user.id);
      const mine = created.body;

      // Reads everything.
      const seen = await listAll(sales, '/api/v1/customers');
      expect(ids(seen).sort()).toEqual([mine.id, othersCustomer.id, unowned.id].sort());
      expect((await sales.get(`/api/v1/customers/${othersCustomer.id}`)).status).toBe(200);
      expect(ids(await listAll(sales, `/api/v1/customers?owner=${sales.user.id}`))).toEqual([mine.id]);

      // Changes its own.
      const patched = await sales.patch(`/api/v1/customers/${mine.id}`, { name: 'Mine, renamed' });
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe('Mine, renamed');
      const contact = await sales.post(`/api/v1/customers/${mine.id}/contacts`, { name: 'Buyer' });
      expect(contact.status).toBe(201);
      expect((await sales.patch(`/api/v1/contacts/${contact.body.id}`, { role: 'CFO' })).status).toBe(200);

      // Not the others'.
      for (const target of [othersCustomer, unowned]) {
        expectError(
          await sales.patch(`/api/v1/customers/${target.id}`, { name: 'Taken' }),
          403,
          'permission',
          'forbidden',
        );
        expectError(await sales.delete(`/api/v1/customers/${target.id}`), 403, 'permission', 'forbidden');
        expectError(
          await sales.post(`/api/v1/customers/${target.id}/contacts`, { name: 'Sneaky' }),
          403,
          'permission',
          'forbidden',
        );
      }
      const adminContact = await org.post(`/api/v1/customers/${othersCustomer.id}/contacts`, { name: 'Theirs' });
      expectError(
        await sales.patch(`/api/v1/contacts/${adminContact.body.id}`, { name: 'X' }),
        403,
        'permission',
        'forbidden',
      );
      expectError(await sales.delete(`/api/v1/contacts/${adminContact.body.id}`), 403, 'permission', 'forbidden');
      expect((await org.get(`/api/v1/customers/${othersCustomer.id}`)).body).toEqual(othersCustomer);
      expect((await org.get(`/api/v1/customers/${unowned.id}`)).body).toEqual(unowned);

      // May not create for, or give away to, someone else.
      expectError(
        await sales.post('/api/v1/customers', { name: 'For the boss', currency: 'EUR', owner: org.adminUserId }),
        403,
        'permission',
        'forbidden',
      );
      expectError(
        await sales.patch(`/api/v1/customers/${mine.id}`, { owner: org.adminUserId }),
        403,
        'permission',
        'forbidden',
      );
      expect((await org.get(`/api/v1/customers/${mine.id}`)).body.owner).toBe(sales.user.id);

      // Not catalog, users, keys or settings.
      expectError(
        await sales.post('/api/v1/products', { name: 'P', unit_price: '1', currency: 'EUR' }),
        403,
        'permission',
        'forbidden',
      );
      expectError(await sales.get('/api/v1/users'), 403, 'permission', 'forbidden');
      expectError(await sales.patch('/api/v1/settings', { phone: '1' }), 403, 'permission', 'forbidden');

      // The events name the user as actor.
      const events = await listAll(org, `/api/v1/events?object=${mine.id}`);
      expect(events.map((e) => [e.type, e.actor])).toEqual([
        ['customer.updated', { type: 'user', id: sales.user.id }],
        ['customer.created', { type: 'user', id: sales.user.id }],
      ]);

      // Deleting its own customer works.
      expect((await sales.delete(`/api/v1/customers/${mine.id}`)).status).toBe(204);
    });

    test('role changes apply at once; a deactivated user\u2019s session stops working', async () => {
      const org = await server.newOrg();
      const user = await addUser(org, 'finance');
      const session = await login(org.baseUrl, user.email);
      expect((await session.post('/api/v1/tax_rates', { name: 'VAT', percentage: '19' })).status).toBe(201);

      expect((await org.patch(`/api/v1/users/${user.id}`, { role: 'viewer' })).body.role).toBe('viewer');
      expectError(
        await session.post('/api/v1/tax_rates', { name: 'VAT 2', percentage: '7' }),
        403,
        'permission',
        'forbidden',
      );
      expect((await session.get('/api/v1/tax_rates')).status).toBe(200);

      const deactivated = await org.patch(`/api/v1/users/${user.id}`, { active: false });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.active).toBe(false);
      expectError(await session.get('/api/v1/auth/me'), 401, 'authentication', 'not_authenticated');
      expectError(await session.get('/api/v1/customers'), 401, 'authentication');
      const again = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/login', {
        email: user.email,
        password: PASSWORD,
      });
      expectError(again, 401, 'authentication', 'invalid_credentials');

      // Reactivated, the user signs in again (the old session stays dead).
      expect((await org.patch(`/api/v1/users/${user.id}`, { active: true })).body.active).toBe(true);
      expect((await session.get('/api/v1/auth/me')).status).toBe(401);
      const fresh = await login(org.baseUrl, user.email);
      expect((await fresh.get('/api/v1/auth/me')).body.role).toBe('viewer');
    });
  });

  describe('users and keys (admin)', () => {
    test('users: created without exposing the password, unique email, the last admin stays', async () => {
      const org = await server.newOrg();
      const email = uniqueEmail('Mixed.Case');
      const res = await org.post('/api/v1/users', { email, password: PASSWORD, role: 'finance' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['active', 'created_at', 'email', 'id', 'name', 'role']);
      expect(res.body).toMatchObject({ email: email.toLowerCase(), role: 'finance', active: true });
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);

      expectError(
        await org.post('/api/v1/users', { email: email.toUpperCase(), password: PASSWORD, role: 'viewer' }),
        409,
        'conflict',
        'email_taken',
        'email',
      );
      expectError(
        await org.post('/api/v1/users', { email: uniqueEmail(), password: 'short', role: 'viewer' }),
        400,
        'invalid_request',
        'parameter_invalid',
        'password',
      );
      expectError(
        await org.post('/api/v1/users', { email: uniqueEmail(), password: PASSWORD, role: 'owner' }),
        400,
        'invalid_request',
        'parameter_invalid',
        'role',
      );
      expect(ids(await listAll(org, '/api/v1/users')).sort()).toEqual([org.adminUserId, res.body.id].sort());

      expectError(
        await org.patch(`/api/v1/users/${org.adminUserId}`, { active: false }),
        409,
        'conflict',
        'last_admin',
        'active',
      );
      expectError(
        await org.patch(`/api/v1/users/${org.adminUserId}`, { role: 'viewer' }),
        409,
        'conflict',
        'last_admin',
        'role',
      );
      // With a second admin, the first may step down.
      expect((await org.patch(`/api/v1/users/${res.body.id}`, { role: 'admin' })).status).toBe(200);
      expect((await org.patch(`/api/v1/users/${org.adminUserId}`, { role: 'finance' })).body.role).toBe('finance');
    });

    test('API keys: shown once, listed with a hint, work with their role', async () => {
      const org = await server.newOrg();
      const res = await org.post('/api/v1/api_keys', { name: 'Integration', role: 'viewer' });
      expect(res.status).toBe(201);
      expect(res.body.key).toMatch(/^\S{20,}$/);
      expect(res.body.hint).toBe(res.body.key.slice(-4));
      expect(res.body.revoked_at).toBeNull();
      const listed = (await listAll(org, '/api/v1/api_keys')).find((k) => k.id === res.body.id);
      expect(listed).toMatchObject({ name: 'Integration', role: 'viewer', hint: res.body.hint });
      expect(listed.key).toBeUndefined();
      expect(JSON.stringify(await listAll(org, '/api/v1/api_keys'))).not.toContain(res.body.key);
      const viewer = org.withKey(res.body.key);
      expect((await viewer.get('/api/v1/auth/me')).body).toMatchObject({
        role: 'viewer',
        user: null,
        actor: { type: 'api_key', id: res.body.id },
      });
      expectError(
        await org.post('/api/v1/api_keys', { name: 'Bad', role: 'root' }),
        400,
        'invalid_request',
        'parameter_invalid',
        'role',
      );
    });
  });
});

describe('sessions', () => {
  const LOGIN = '/api/v1/auth/login';

  test('login sets an HttpOnly, SameSite session cookie and returns the user and a CSRF token', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'finance');
    const res = await apiRequest(org.baseUrl, 'POST', LOGIN, { email: user.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, role: 'finance', active: true });
    expect(res.body.csrf_token).toMatch(/^\S{16,}$/);
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);

    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('arbor_session='));
    expect(setCookie).toBeDefined();
    const attributes = setCookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes.some((a) => a === 'samesite=strict' || a === 'samesite=lax')).toBe(true);
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('expires=') || a.startsWith('max-age='))).toBe(true);
    const value = sessionCookie(res)!.split('=')[1]!;
    expect(value.length).toBeGreaterThanOrEqual(32);

    const me = await apiRequest(org.baseUrl, 'GET', '/api/v1/auth/me', undefined, { cookie: sessionCookie(res)! });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: user.id }, role: 'finance', organization: { id: org.orgId } });
  });

  test('a wrong password or an unknown email is 401 with the same answer and no cookie', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'viewer');
    const wrong = await apiRequest(org.baseUrl, 'POST', LOGIN, { email: user.email, password: 'not the password' });
    expectError(wrong, 401, 'authentication', 'invalid_credentials');
    expect(sessionCookie(wrong)).toBeUndefined();
    const unknown = await apiRequest(org.baseUrl, 'POST', LOGIN, {
      email: `nobody-${user.id}@test.arbor`,
      password: PASSWORD,
    });
    expectError(unknown, 401, 'authentication', 'invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
    expect(sessionCookie(unknown)).toBeUndefined();
    expectError(
      await apiRequest(org.baseUrl, 'POST', LOGIN, { email: 'not-an-email', password: PASSWORD }),
      400,
      'invalid_request',
      'parameter_invalid',
      'email',
    );
  });

  test('a forged or missing cookie is 401; logout ends the session', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'viewer');
    expectError(
      await apiRequest(org.baseUrl, 'GET', '/api/v1/auth/me', undefined, { cookie: 'arbor_session=forged' }),
      401,
      'authentication',
      'not_authenticated',
    );
    const session = await login(org.baseUrl, user.email);
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
    // Logging out is a state change: it needs the CSRF token too.
    expectError(await session.withoutCsrf('POST', '/api/v1/auth/logout'), 403, 'permission', 'csrf_token_invalid');
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
    const out = await session.request('POST', '/api/v1/auth/logout');
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('arbor_session='));
    expect(cleared).toBeDefined();
    expectError(await session.get('/api/v1/auth/me'), 401, 'authentication', 'not_authenticated');
    // A second session of the same user is independent.
    const other = await login(org.baseUrl, user.email);
    expect((await other.get('/api/v1/auth/me')).status).toBe(200);
  });

  test('login is rate limited per email: 429 after 10 tries a minute, other emails still sign in', async () => {
    const org = await server.newOrg();
    const target = await addUser(org, 'viewer');
    const bystander = await addUser(org, 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await apiRequest(org.baseUrl, 'POST', LOGIN, { email: target.email, password: `guess ${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await apiRequest(org.baseUrl, 'POST', LOGIN, { email: target.email, password: 'guess 11' });
    expectError(limited, 429, 'rate_limit', 'rate_limited');
    // Even the right password is refused while limited: guessing cannot continue.
    const right = await apiRequest(org.baseUrl, 'POST', LOGIN, { email: target.email, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(sessionCookie(right)).toBeUndefined();
    // Changing the case of the email does not open a new window.
    const upper = await apiRequest(org.baseUrl, 'POST', LOGIN, {
      email: target.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(upper.status).toBe(429);
    // Another user from the same address is not locked out.
    const session = await login(org.baseUrl, bystander.email);
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
  });

  test('first-run setup is refused once an organization exists', async () => {
    const org = await server.newOrg();
    const needed = await apiRequest(org.baseUrl, 'GET', '/api/v1/setup');
    expect(needed.status).toBe(200);
    expect(needed.body).toEqual({ needed: false });
    const res = await apiRequest(org.baseUrl, 'POST', '/api/v1/setup', {
      org_name: 'Second',
      currency: 'EUR',
      email: `setup-${org.orgId}@test.arbor`,
      password: PASSWORD,
    });
    expectError(res, 409, 'conflict', 'organization_exists');
    expect(sessionCookie(res)).toBeUndefined();
  });
});

describe('sales API keys', () => {
  test('a sales API key acts for no user: it reads customers but owns none to change or create', async () => {
    const org = await server.newOrg();
    const customer = (await org.post('/api/v1/customers', { name: 'Unowned Ltd', currency: 'EUR' })).body;
    const sales = await org.keyWithRole('sales');
    expect((await sales.get(`/api/v1/customers/${customer.id}`)).status).toBe(200);
    expect((await sales.patch(`/api/v1/customers/${customer.id}`, { name: 'Taken' })).status).toBe(403);
    expect((await sales.post('/api/v1/customers', { name: 'Mine?', currency: 'EUR' })).status).toBe(403);
    expect((await org.get(`/api/v1/customers/${customer.id}`)).body.name).toBe('Unowned Ltd');
  });
});
