import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiRequest, startTestServer, type TestServer } from '../helpers/server';
import { createCustomer, expectError, ids, listAll } from './helpers';

// API.md conventions: idempotent POSTs, list pagination, the served OpenAPI document. One server for the file.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('idempotency', () => {
  const key = () => `idem-${crypto.randomUUID()}`;

  test('same key and same body: the first response is replayed and only one customer exists', async () => {
    const org = await server.newOrg();
    const k = key();
    const body = { name: 'Once Ltd', currency: 'EUR', billing_address: { city: 'Berlin', country: 'DE' } };
    const first = await org.post('/api/v1/customers', body, { 'idempotency-key': k });
    expect(first.status).toBe(201);
    const second = await org.post('/api/v1/customers', body, { 'idempotency-key': k });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    // The same body with keys in another order is the same request (canonical JSON).
    const reordered = await org.post(
      '/api/v1/customers',
      { billing_address: { country: 'DE', city: 'Berlin' }, currency: 'EUR', name: 'Once Ltd' },
      { 'idempotency-key': k },
    );
    expect(reordered.status).toBe(201);
    expect(reordered.body).toEqual(first.body);

    const customers = await listAll(org, '/api/v1/customers');
    expect(customers.map((c) => c.id)).toEqual([first.body.id]);
    const created = await listAll(org, '/api/v1/events?type=customer.created');
    expect(created).toHaveLength(1);
  });

  test('same key, other body: 422 idempotency and nothing is created', async () => {
    const org = await server.newOrg();
    const k = key();
    const first = await org.post('/api/v1/customers', { name: 'First', currency: 'EUR' }, { 'idempotency-key': k });
    expect(first.status).toBe(201);
    const other = await org.post('/api/v1/customers', { name: 'Second', currency: 'EUR' }, { 'idempotency-key': k });
    expectError(other, 422, 'idempotency', 'idempotency_key_reused', 'Idempotency-Key');
    // Reusing the key on another endpoint is another request too.
    const product = await org.post(
      '/api/v1/products',
      { name: 'First', unit_price: '1', currency: 'EUR' },
      { 'idempotency-key': k },
    );
    expectError(product, 422, 'idempotency', 'idempotency_key_reused');
    expect((await listAll(org, '/api/v1/customers')).map((c) => c.name)).toEqual(['First']);
    expect(await listAll(org, '/api/v1/products')).toEqual([]);
  });

  test('a 4xx answer is stored and replayed too', async () => {
    const org = await server.newOrg();
    const k = key();
    const body = { name: 'Widget', unit_price: '5', currency: 'EUR', tax_rate: 'txr_missing' };
    const first = await org.post('/api/v1/products', body, { 'idempotency-key': k });
    expectError(first, 422, 'invalid_request', 'tax_rate_not_found', 'tax_rate');
    const replay = await org.post('/api/v1/products', body, { 'idempotency-key': k });
    expect(replay.status).toBe(422);
    expect(replay.body).toEqual(first.body);
    // The key is taken by the 4xx: a corrected body under the same key is refused, not executed.
    const corrected = await org.post(
      '/api/v1/products',
      { name: 'Widget', unit_price: '5', currency: 'EUR' },
      { 'idempotency-key': k },
    );
    expectError(corrected, 422, 'idempotency', 'idempotency_key_reused');
    expect(await listAll(org, '/api/v1/products')).toEqual([]);
    // A fresh key does the corrected request.
    const fresh = await org.post(
      '/api/v1/products',
      { name: 'Widget', unit_price: '5', currency: 'EUR' },
      { 'idempotency-key': key() },
    );
    expect(fresh.status).toBe(201);
  });

  test('a 404 answer is replayed as well', async () => {
    const org = await server.newOrg();
    const k = key();
    const first = await org.post('/api/v1/customers/cus_missing/contacts', { name: 'Ann' }, { 'idempotency-key': k });
    expectError(first, 404, 'not_found', 'resource_missing');
    const replay = await org.post('/api/v1/customers/cus_missing/contacts', { name: 'Ann' }, { 'idempotency-key': k });
    expect(replay.status).toBe(404);
    expect(replay.body).toEqual(first.body);
  });

  test('keys are scoped to the organization', async () => {
    const a = await server.newOrg();
    const b = await server.newOrg();
    const k = key();
    const body = { name: 'Shared Key GmbH', currency: 'EUR' };
    const inA = await a.post('/api/v1/customers', body, { 'idempotency-key': k });
    const inB = await b.post('/api/v1/customers', body, { 'idempotency-key': k });
    expect(inA.status).toBe(201);
    expect(inB.status).toBe(201);
    expect(inB.body.id).not.toBe(inA.body.id);
    expect((await listAll(a, '/api/v1/customers')).map((c) => c.id)).toEqual([inA.body.id]);
    expect((await listAll(b, '/api/v1/customers')).map((c) => c.id)).toEqual([inB.body.id]);
    // B's other body under the same key does not collide with A's.
    const inB2 = await b.post('/api/v1/customers', { name: 'Other', currency: 'EUR' }, { 'idempotency-key': key() });
    expect(inB2.status).toBe(201);
  });

  test('concurrent requests with one key create one object', async () => {
    const org = await server.newOrg();
    const k = key();
    const body = { name: 'Concurrent AG', currency: 'EUR' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => org.post('/api/v1/customers', body, { 'idempotency-key': k })),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === 201) expect(r.body).toEqual(created[0]!.body);
      else expectError(r, 409, 'idempotency', 'idempotency_key_in_use');
    }
    expect((await listAll(org, '/api/v1/customers')).map((c) => c.id)).toEqual([created[0]!.body.id]);
    // Once finished, a retry replays.
    const retry = await org.post('/api/v1/customers', body, { 'idempotency-key': k });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(created[0]!.body);
  });

  test('a key longer than 255 characters is 400; without a key every POST creates', async () => {
    const org = await server.newOrg();
    expectError(
      await org.post('/api/v1/customers', { name: 'Long', currency: 'EUR' }, { 'idempotency-key': 'k'.repeat(256) }),
      400,
      'invalid_request',
      'idempotency_key_invalid',
    );
    expect(await listAll(org, '/api/v1/customers')).toEqual([]);
    const ok = await org.post(
      '/api/v1/customers',
      { name: 'Max', currency: 'EUR' },
      { 'idempotency-key': 'k'.repeat(255) },
    );
    expect(ok.status).toBe(201);
    await org.post('/api/v1/customers', { name: 'Twice', currency: 'EUR' });
    await org.post('/api/v1/customers', { name: 'Twice', currency: 'EUR' });
    expect((await listAll(org, '/api/v1/customers')).filter((c) => c.name === 'Twice')).toHaveLength(2);
  });
});

describe('pagination', () => {
  test('customers page newest first with no duplicates or gaps', async () => {
    const org = await server.newOrg();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createCustomer(org, { name: `Page ${i}` })).id);
    const newestFirst = [...created].reverse();

    const pages: string[][] = [];
    const hasMore: boolean[] = [];
    let after: string | undefined;
    do {
      const res = await org.get(`/api/v1/customers?limit=3${after ? `&starting_after=${after}` : ''}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'has_more']);
      pages.push(ids(res.body.data));
      hasMore.push(res.body.has_more);
      after = res.body.has_more ? res.body.data.at(-1).id : undefined;
    } while (after && pages.length < 10);

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(hasMore).toEqual([true, true, false]);
    expect(pages.flat()).toEqual(newestFirst);
    expect(new Set(pages.flat()).size).toBe(7);

    // created_at never increases down the list.
    const all = (await org.get('/api/v1/customers?limit=200')).body.data as { created_at: string }[];
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.created_at >= all[i]!.created_at).toBe(true);

    // Exactly at the end: a full last page says has_more false.
    const six = await org.get(`/api/v1/customers?limit=6`);
    expect(six.body.has_more).toBe(true);
    const tail = await org.get(`/api/v1/customers?limit=1&starting_after=${six.body.data.at(-1).id}`);
    expect(ids(tail.body.data)).toEqual([created[0]]);
    expect(tail.body.has_more).toBe(false);
    const pastEnd = await org.get(`/api/v1/customers?starting_after=${created[0]}`);
    expect(pastEnd.body).toEqual({ data: [], has_more: false });
  });

  test('the default limit is 50 and 200 is allowed', async () => {
    const org = await server.newOrg();
    for (let i = 0; i < 3; i++) await createCustomer(org);
    const res = await org.get('/api/v1/customers');
    expect(res.body.data).toHaveLength(3);
    expect(res.body.has_more).toBe(false);
    expect((await org.get('/api/v1/customers?limit=200')).status).toBe(200);
    expect((await org.get('/api/v1/customers?limit=1')).body.data).toHaveLength(1);
  });

  test('limit out of range or not a number is 400 on every collection', async () => {
    const org = await server.newOrg();
    const customer = await createCustomer(org);
    const collections = [
      '/api/v1/customers',
      `/api/v1/customers/${customer.id}/contacts`,
      '/api/v1/products',
      '/api/v1/tax_rates',
      '/api/v1/events',
      '/api/v1/users',
      '/api/v1/api_keys',
    ];
    for (const path of collections) {
      for (const limit of ['0', '201', '-1', 'abc', '2.5']) {
        expectError(await org.get(`${path}?limit=${limit}`), 400, 'invalid_request', 'parameter_invalid', 'limit');
      }
      expect((await org.get(`${path}?limit=200`)).status).toBe(200);
    }
  });

  test('an unknown starting_after, or one from another organization, is 400', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    await createCustomer(org);
    const foreign = await createCustomer(other);
    for (const cursor of ['cus_unknown', foreign.id]) {
      expectError(
        await org.get(`/api/v1/customers?starting_after=${cursor}`),
        400,
        'invalid_request',
        'invalid_cursor',
        'starting_after',
      );
    }
    expectError(
      await org.get('/api/v1/products?starting_after=prod_unknown'),
      400,
      'invalid_request',
      'invalid_cursor',
      'starting_after',
    );
    expectError(
      await org.get('/api/v1/events?starting_after=evt_unknown'),
      400,
      'invalid_request',
      'invalid_cursor',
      'starting_after',
    );
  });

  test('products, tax rates and events page the same way', async () => {
    const org = await server.newOrg();
    const products: string[] = [];
    const rates: string[] = [];
    for (let i = 0; i < 5; i++) {
      const rate = await org.post('/api/v1/tax_rates', { name: `Rate ${i}`, percentage: String(10 + i) });
      rates.push(rate.body.id);
      const product = await org.post('/api/v1/products', { name: `P${i}`, unit_price: String(i), currency: 'EUR' });
      products.push(product.body.id);
    }
    expect(ids(await listAll(org, '/api/v1/products', 2))).toEqual([...products].reverse());
    expect(ids(await listAll(org, '/api/v1/tax_rates', 2))).toEqual([...rates].reverse());
    const events = await listAll(org, '/api/v1/events', 3);
    const all = (await org.get('/api/v1/events?limit=200')).body.data;
    expect(ids(events)).toEqual(ids(all));
    expect(new Set(ids(events)).size).toBe(events.length);
    const productEvents = await listAll(org, '/api/v1/events?type=product.created', 2);
    expect(productEvents.map((e) => e.object.id)).toEqual([...products].reverse());
  });
});

describe('OpenAPI', () => {
  /** "METHOD /path" of every route the server serves, read from fastify's route tree (full paths, no common prefix). */
  function servedRoutes(): Set<string> {
    const tree = server.server.app.printRoutes({ commonPrefix: false });
    const stack: string[] = [];
    const routes = new Set<string>();
    for (const line of tree.split('\n')) {
      const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
      if (!m) continue;
      const depth = m[1]!.length / 4;
      stack.length = depth;
      stack.push(m[2]!);
      const path = stack.join('');
      for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) if (method) routes.add(`${method} ${path}`);
    }
    return routes;
  }

  const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

  test('the route tree parser sees known routes (guards the comparison below)', () => {
    const routes = servedRoutes();
    expect(routes).toContain('GET /healthz');
    expect(routes).toContain('GET /api/v1/customers/:id');
    expect(routes).toContain('PATCH /api/v1/contacts/:id');
    expect(routes).toContain('PUT /api/v1/settings/logo');
    expect(routes).toContain('DELETE /api/v1/api_keys/:id');
  });

  test('openapi.json describes exactly the routes served under /api/v1', async () => {
    const res = await apiRequest(server.url, 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);

    const served = [...servedRoutes()]
      .filter((r) => r.split(' ')[1]!.startsWith('/api/v1/'))
      .filter((r) => !r.startsWith('HEAD ') && !r.startsWith('OPTIONS '))
      .filter((r) => r !== 'GET /api/v1/openapi.json')
      .map((r) => {
        const [method, path] = r.split(' ');
        return `${method} ${toOpenApiPath(path!)}`;
      })
      .sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(served);

    // The foundation's contract (API.md) is all there.
    const contract = [
      'POST /api/v1/setup',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'GET /api/v1/auth/me',
      'GET /api/v1/auth/csrf',
      'GET /api/v1/users',
      'POST /api/v1/users',
      'PATCH /api/v1/users/{id}',
      'GET /api/v1/api_keys',
      'POST /api/v1/api_keys',
      'DELETE /api/v1/api_keys/{id}',
      'GET /api/v1/settings',
      'PATCH /api/v1/settings',
      'PUT /api/v1/settings/logo',
      'POST /api/v1/customers',
      'GET /api/v1/customers',
      'GET /api/v1/customers/{id}',
      'PATCH /api/v1/customers/{id}',
      'DELETE /api/v1/customers/{id}',
      'POST /api/v1/customers/{id}/contacts',
      'GET /api/v1/customers/{id}/contacts',
      'PATCH /api/v1/contacts/{id}',
      'DELETE /api/v1/contacts/{id}',
      'POST /api/v1/tax_rates',
      'GET /api/v1/tax_rates',
      'GET /api/v1/tax_rates/{id}',
      'PATCH /api/v1/tax_rates/{id}',
      'POST /api/v1/products',
      'GET /api/v1/products',
      'GET /api/v1/products/{id}',
      'PATCH /api/v1/products/{id}',
      'GET /api/v1/events',
    ];
    expect(documented).toEqual(expect.arrayContaining(contract));
  });

  test('the document is generated from the validating schemas', async () => {
    const doc = (await apiRequest(server.url, 'GET', '/api/v1/openapi.json')).body;
    const create = doc.paths['/api/v1/customers'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'currency']));
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['name', 'email', 'billing_address', 'currency', 'owner', 'metadata']),
    );
    expect(Object.keys(create.responses)).toContain('201');
    const list = doc.paths['/api/v1/customers'].get;
    const params = list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(params).toEqual(
      expect.arrayContaining(['query:limit', 'query:starting_after', 'query:search', 'query:owner']),
    );
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 200 });
    const getOne = doc.paths['/api/v1/customers/{id}'].get;
    expect(getOne.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:id']);
    expect(doc.paths['/api/v1/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['type', 'object']),
    );
  });

  test('/api/docs answers 200 with the API reference page, without credentials', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/swagger/i);
  });
});

describe('idempotency of refused requests', () => {
  test('a 400 for a bad body is stored and replayed; the corrected body with the same key is refused as another request', async () => {
    const org = await server.newOrg();
    const key = { 'Idempotency-Key': 'bad-body-1' };
    const first = await org.post('/api/v1/customers', { name: 'X', currency: 'eur' }, key);
    expect(first.status).toBe(400);
    const replay = await org.post('/api/v1/customers', { name: 'X', currency: 'eur' }, key);
    expect([replay.status, replay.body]).toEqual([400, first.body]);
    const corrected = await org.post('/api/v1/customers', { name: 'X', currency: 'EUR' }, key);
    expect([corrected.status, corrected.body.error.type]).toEqual([422, 'idempotency']);
    expect((await org.get('/api/v1/customers')).body.data).toEqual([]);
  });
});
