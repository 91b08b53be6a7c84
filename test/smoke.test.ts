import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

test('a new organization creates and lists a customer', async () => {
  const org = await server.newOrg();
  const created = await org.post('/api/v1/customers', { name: 'Globex', currency: 'EUR' });
  expect(created.status).toBe(201);
  const list = await org.get('/api/v1/customers');
  expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
});
