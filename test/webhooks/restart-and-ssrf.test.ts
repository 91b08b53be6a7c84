import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShiftedClock } from '../../src/platform/clock';
import { outbox } from '../../src/platform/tables';
import { postWebhook } from '../../src/webhooks/http-transport';
import { eventually, noJobs, type OrgClient, startTestServer, TEST_NOW, type TestServer } from '../helpers/server';
import { Receiver } from './receiver';

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

/** Storage that outlives a server: a data directory (embedded) or a database of its own (PostgreSQL). */
async function durableStorage(): Promise<{ overrides: object; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-webhooks-'));
    return {
      overrides: { databaseUrl: null, dataDir: dir },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { default: pg } = await import('pg');
  const name = `arbor_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    overrides: { databaseUrl: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

describe('a restart', () => {
  it('delivers what was queued before the server stopped, and retries an attempt a crash cut off within 60 s', async () => {
    const storage = await durableStorage();
    const clock = new ShiftedClock(new Date(TEST_NOW));
    const overrides = { ...storage.overrides, webhooksAllowPrivate: true };
    let server: TestServer | null = null;
    try {
      // A process that dies after the commit: its jobs never run, so nothing is delivered before it stops.
      server = await startTestServer(overrides, { jobs: noJobs, clock });
      const org: OrgClient = await server.newOrg();
      const ep = await org.post('/api/v1/webhook_endpoints', {
        url: `${receiver.url}/ok/restart`,
        events: ['customer.created'],
      });
      expect(ep.status).toBe(201);
      const queued = await org.post('/api/v1/customers', { name: 'Before the crash', currency: 'EUR' });
      expect(queued.status).toBe(201);
      // A second delivery whose attempt was claimed (message locked, delivery leased) when the process died.
      await org.post('/api/v1/customers', { name: 'Mid-attempt', currency: 'EUR' });
      const [cut, first] = (await org.get(`/api/v1/webhook_deliveries?endpoint=${ep.body.id}`)).body.data;
      const lock = new Date(clock.now().getTime() + 30_000);
      await server.db
        .update(outbox)
        .set({ status: 'processing', attempts: 1, lockedUntil: lock })
        .where(eq(outbox.key, cut.id));
      await server.db.execute(
        sql`update webhook_deliveries set locked_until = ${new Date(clock.now().getTime() + 40_000)} where id = ${cut.id}`,
      );
      await server.stop();
      expect(receiver.at('/ok/restart')).toHaveLength(0);

      server = await startTestServer(overrides, { clock });
      const restarted = server;
      await eventually(async () => {
        await restarted.server.webhooks.drain();
        return receiver.at('/ok/restart').some((r) => r.headers['webhook-id'] === first.event) || undefined;
      });
      expect(receiver.at('/ok/restart').map((r) => r.headers['webhook-id'])).toEqual([first.event]);
      // 60 s after the restart the cut-off attempt is made again.
      clock.set(new Date(clock.now().getTime() + 60_000));
      await eventually(async () => {
        await restarted.server.webhooks.drain();
        return receiver.at('/ok/restart').some((r) => r.headers['webhook-id'] === cut.event) || undefined;
      });
      const org2 = org;
      const after = await eventually(async () => {
        const res = await fetch(`${restarted.url}/api/v1/webhook_deliveries?endpoint=${ep.body.id}`, {
          headers: { authorization: `Bearer ${org2.apiKey}` },
        });
        const body = (await res.json()) as { data: { status: string }[] };
        return body.data.every((d) => d.status === 'succeeded') ? body.data : undefined;
      });
      expect(after).toHaveLength(2);
    } finally {
      await server?.stop();
      await storage.drop();
    }
  });
});

describe('private addresses without ARBOR_WEBHOOKS_ALLOW_PRIVATE', () => {
  let server: TestServer;
  let org: OrgClient;
  beforeAll(async () => {
    server = await startTestServer({ webhooksAllowPrivate: false });
    org = await server.newOrg();
  });
  afterAll(() => server?.stop());

  it('refuses metadata, private, loopback and names resolving to them at creation', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://10.0.0.1/hook',
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://localhost:3000/hook',
      'http://LOCALHOST./hook',
      'http://api.localhost/hook',
      'http://0x7f000001/hook',
      'http://[::ffff:10.0.0.1]/x',
    ]) {
      const res = await org.post('/api/v1/webhook_endpoints', { url, events: ['*'] });
      expect(res.status, url).toBe(400);
      expect(res.body.error, url).toMatchObject({ code: 'url_not_allowed', param: 'url' });
    }
    const listed = await org.get('/api/v1/webhook_endpoints');
    expect(listed.body.data).toHaveLength(0);
    // A public literal address is accepted; a name that does not resolve too (checked at each delivery).
    for (const url of ['https://93.184.215.14/hook', 'https://hooks.invalid/x']) {
      const res = await org.post('/api/v1/webhook_endpoints', { url, events: ['*'] });
      expect(res.status, url).toBe(201);
    }
  });

  it('refuses a private address at delivery, after resolving the name', async () => {
    for (const url of [`${receiver.url}/ok/private`, `http://localhost:${new URL(receiver.url).port}/ok/private`]) {
      const result = await postWebhook(url, '{}', {}, { allowPrivate: false });
      expect(result).toMatchObject({ statusCode: null, error: 'address_not_allowed' });
    }
    expect(receiver.at('/ok/private')).toHaveLength(0);
    const allowed = await postWebhook(`${receiver.url}/ok/private`, '{}', {}, { allowPrivate: true });
    expect(allowed).toMatchObject({ statusCode: 200, error: null });
    const unresolved = await postWebhook('https://hooks.invalid/x', '{}', {}, { allowPrivate: false });
    expect(unresolved.error).toBe('dns_failed');
  });

  it('an answer that does not come in time is a timeout', async () => {
    const http = await import('node:http');
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const result = await postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, { allowPrivate: true, timeoutMs: 100 });
      expect(result).toMatchObject({ statusCode: null, error: 'timeout' });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
