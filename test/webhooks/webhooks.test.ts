import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emails } from '../../src/email/tables';
import { ShiftedClock } from '../../src/platform/clock';
import { eventually, type OrgClient, startIsolatedServer, TEST_NOW, type TestServer } from '../helpers/server';
import { Receiver } from './receiver';

/** Verifies with the standardwebhooks package as of the attempt's own timestamp (its tolerance reads Date.now()). */
function verify(secret: string, r: { headers: Record<string, unknown>; body: string }): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000);
    return new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

const clock = new ShiftedClock(new Date(TEST_NOW));
let server: TestServer;
let org: OrgClient;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  server = await startIsolatedServer({ webhooksAllowPrivate: true }, { clock });
  org = await server.newOrg();
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
});

const tick = () => server.server.webhooks.drain();
async function deliveries(query: string) {
  const res = await org.get(`/api/v1/webhook_deliveries?${query}`);
  expect(res.status).toBe(200);
  return res.body.data as any[];
}
/** Runs due attempts until the delivery has `n` attempts (a commit may also wake the deliverer by itself). */
async function attempted(id: string, n: number) {
  return eventually(async () => {
    await tick();
    const res = await org.get(`/api/v1/webhook_deliveries/${id}`);
    return (res.body.attempts.length >= n && res.body.status !== 'pending') || res.body.attempts.length >= n
      ? res.body
      : undefined;
  });
}
async function endpoint(path: string, events: string[] = ['*']) {
  const res = await org.post('/api/v1/webhook_endpoints', { url: `${receiver.url}${path}`, events });
  expect(res.status).toBe(201);
  return res.body;
}

describe('webhook endpoints', () => {
  it('creates with a secret shown once, checks event filters, lists without the secret', async () => {
    const res = await org.post('/api/v1/webhook_endpoints', {
      url: `${receiver.url}/ok/created`,
      description: 'ERP',
      events: ['invoice.*', 'customer.created'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'enabled',
      disabled_reason: null,
      events: ['invoice.*', 'customer.created'],
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(res.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const got = await org.get(`/api/v1/webhook_endpoints/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    const list = await org.get('/api/v1/webhook_endpoints');
    expect(list.body.data.map((e: any) => e.id)).toContain(res.body.id);
    expect(list.body.data.every((e: any) => e.secret === undefined)).toBe(true);

    for (const events of [['invoice.nothing'], ['nothing.*'], []]) {
      const bad = await org.post('/api/v1/webhook_endpoints', { url: `${receiver.url}/ok`, events });
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toMatch(/^events/);
    }
    const ftp = await org.post('/api/v1/webhook_endpoints', { url: 'ftp://example.com/x', events: ['*'] });
    expect(ftp.body.error).toMatchObject({ code: 'url_not_allowed', param: 'url' });

    const sales = await org.keyWithRole('finance');
    expect((await sales.get('/api/v1/webhook_endpoints')).status).toBe(403);

    const patched = await org.patch(`/api/v1/webhook_endpoints/${res.body.id}`, { events: ['*'], status: 'disabled' });
    expect(patched.body).toMatchObject({ events: ['*'], status: 'disabled', disabled_reason: 'disabled_by_user' });
    const enabled = await org.patch(`/api/v1/webhook_endpoints/${res.body.id}`, { status: 'enabled' });
    expect(enabled.body).toMatchObject({ status: 'enabled', disabled_reason: null });
    expect((await org.delete(`/api/v1/webhook_endpoints/${res.body.id}`)).status).toBe(204);
    expect((await org.get(`/api/v1/webhook_endpoints/${res.body.id}`)).status).toBe(404);
  });

  it('delivers an event signed per Standard Webhooks, with the object as GET shows it', async () => {
    const ep = await endpoint('/ok/signed', ['customer.created']);
    const customer = await org.post('/api/v1/customers', { name: 'Signed GmbH', currency: 'EUR' });
    expect(customer.status).toBe(201);
    const [d] = await deliveries(`endpoint=${ep.id}`);
    expect(d).toMatchObject({ type: 'customer.created', status: 'pending', replay: false });
    const done = await attempted(d.id, 1);
    expect(done.status).toBe('succeeded');
    expect(done.attempts[0]).toMatchObject({ status_code: 200, error: null });
    const [r] = receiver.at('/ok/signed');
    expect(r!.headers['webhook-id']).toBe(d.event);
    const payload = verify(ep.secret, r!) as any;
    const event = (await org.get(`/api/v1/events?object=${customer.body.id}`)).body.data[0];
    expect(payload).toEqual({
      id: event.id,
      type: 'customer.created',
      timestamp: event.at,
      data: { object: (await org.get(`/api/v1/customers/${customer.body.id}`)).body },
    });
    expect(() => verify(`whsec_${Buffer.alloc(24, 7).toString('base64')}`, r!)).toThrow();
  });

  it('retries a failing receiver on the schedule with the same webhook-id and body', async () => {
    const url = receiver.script('flaky', [500, 503]);
    const res = await org.post('/api/v1/webhook_endpoints', { url, events: ['customer.*'] });
    await org.post('/api/v1/customers', { name: 'Flaky AG', currency: 'EUR' });
    const [d] = await deliveries(`endpoint=${res.body.id}`);
    let now = await attempted(d.id, 1);
    expect(now).toMatchObject({ status: 'pending', attempts: [{ status_code: 500, error: null }] });
    const first = Date.parse(now.attempts[0].at);
    const next = Date.parse(now.next_attempt_at);
    expect(next - first).toBeGreaterThanOrEqual(5_000);
    // Counted from the end of the failed attempt (its start + its duration), plus up to 10 % jitter.
    expect(next - first).toBeLessThanOrEqual(5_500 + now.attempts[0].duration_ms + 1);
    // Not due yet: nothing happens.
    await tick();
    expect((await org.get(`/api/v1/webhook_deliveries/${d.id}`)).body.attempts).toHaveLength(1);
    clock.set(new Date(next + 1));
    now = await attempted(d.id, 2);
    expect(now.status).toBe('pending');
    const gap = Date.parse(now.next_attempt_at) - Date.parse(now.attempts[1].at);
    expect(gap).toBeGreaterThanOrEqual(300_000);
    expect(gap).toBeLessThanOrEqual(330_000 + now.attempts[1].duration_ms + 1);
    clock.set(new Date(Date.parse(now.next_attempt_at) + 1));
    now = await attempted(d.id, 3);
    expect(now.status).toBe('succeeded');
    expect(now.attempts.map((a: any) => a.status_code)).toEqual([500, 503, 200]);
    expect(now.next_attempt_at).toBeNull();
    const got = receiver.at('/script/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.event]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    for (const r of got) verify(res.body.secret, r);
  });

  it('a 410 disables the endpoint and fails its pending deliveries; a 3xx is a failed attempt', async () => {
    const gone = await endpoint('/gone', ['customer.created']);
    await org.post('/api/v1/customers', { name: 'Gone 1', currency: 'EUR' });
    await org.post('/api/v1/customers', { name: 'Gone 2', currency: 'EUR' });
    const ds = await deliveries(`endpoint=${gone.id}`);
    expect(ds).toHaveLength(2);
    await eventually(async () => {
      await tick();
      const ep = (await org.get(`/api/v1/webhook_endpoints/${gone.id}`)).body;
      return ep.status === 'disabled' ? ep : undefined;
    });
    const after = await deliveries(`endpoint=${gone.id}`);
    expect(after.every((d) => d.status === 'failed')).toBe(true);
    expect((await org.get(`/api/v1/webhook_endpoints/${gone.id}`)).body.disabled_reason).toBe('gone');
    expect(await deliveries(`endpoint=${gone.id}&status=pending`)).toHaveLength(0);

    const redirect = await endpoint('/redirect', ['customer.created']);
    await org.post('/api/v1/customers', { name: 'Moved', currency: 'EUR' });
    const [d] = await deliveries(`endpoint=${redirect.id}`);
    const now = await attempted(d.id, 1);
    expect(now).toMatchObject({ status: 'pending', attempts: [{ status_code: 302 }] });
    expect(receiver.received.filter((r) => r.path === '/ok')).toHaveLength(0);
  });

  it('rotation signs with both secrets for 24 h; test events and replays; manual retry', async () => {
    const ep = await endpoint('/ok/rotate', ['customer.created']);
    const rotated = await org.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);

    const test = await org.post(`/api/v1/webhook_endpoints/${ep.id}/test`);
    expect(test.status).toBe(201);
    expect(test.body.type).toBe('webhook_endpoint.test');
    await attempted(test.body.id, 1);
    const [r] = receiver.at('/ok/rotate');
    expect(String(r!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect((verify(rotated.body.secret, r!) as any).type).toBe('webhook_endpoint.test');
    expect((verify(ep.secret, r!) as any).data.object.id).toBe(ep.id);
    const events = await org.get('/api/v1/events?type=webhook_endpoint.test');
    expect(events.body.data).toHaveLength(0);

    // Replay: a window of the events written so far; the same event ids, marked replay.
    const from = clock.now().toISOString();
    const draft = await org.post('/api/v1/customers', { name: 'Replay KG', currency: 'EUR' });
    expect(draft.status).toBe(201);
    const original = (await deliveries(`endpoint=${ep.id}`)).filter((d) => d.type === 'customer.created');
    expect(original).toHaveLength(1);
    const to = clock.now().toISOString();
    const replayed = await org.post(`/api/v1/webhook_endpoints/${ep.id}/replay`, { from, to });
    expect(replayed.status).toBe(200);
    expect(replayed.body.queued).toBe(1);
    const all = await deliveries(`endpoint=${ep.id}`);
    const again = all.filter((d) => d.replay);
    expect(again.map((d) => d.event)).toEqual(original.map((d) => d.event));

    // Manual retry of a failed delivery (the endpoint fails every attempt for 5 days and is disabled).
    const failing = await endpoint('/fail/days', ['customer.updated']);
    await org.patch(`/api/v1/customers/${draft.body.id}`, { name: 'Replay KG 2' });
    const [d] = await deliveries(`endpoint=${failing.id}`);
    await attempted(d.id, 1);
    clock.set(new Date(clock.now().getTime() + 5 * 24 * 3600 * 1000 + 60_000));
    const last = await attempted(d.id, 2);
    expect(last.status).toBe('failed');
    const disabled = (await org.get(`/api/v1/webhook_endpoints/${failing.id}`)).body;
    expect(disabled).toMatchObject({ status: 'disabled', disabled_reason: 'failing' });
    const mail = await server.db.select().from(emails).where(eq(emails.orgId, org.orgId));
    const notice = mail.filter((m) => m.kind === 'webhook_endpoint_disabled' && m.subject.includes('/fail/days'));
    expect(notice.map((m) => m.to)).toEqual([[org.adminEmail]]);

    expect((await org.post(`/api/v1/webhook_deliveries/${d.id}/retry`)).status).toBe(409);
    await org.patch(`/api/v1/webhook_endpoints/${failing.id}`, {
      url: `${receiver.url}/ok/recovered`,
      status: 'enabled',
    });
    const retried = await org.post(`/api/v1/webhook_deliveries/${d.id}/retry`);
    expect(retried.body.status).toBe('pending');
    const ok = await attempted(d.id, 3);
    expect(ok.status).toBe('succeeded');
    expect(receiver.at('/ok/recovered')[0]!.headers['webhook-id']).toBe(d.event);
  });
});
