import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { setupOrganization } from '../src/organizations/service';
import type { Config } from '../src/platform/config';
import { buildApp } from '../src/platform/http';
import type { Jobs } from '../src/platform/jobs';
import { figure, type Workload } from './harness';

// DESIGN.md: GET one invoice and POST a payment through the whole HTTP stack (auth, validation, database,
// serialization) against fastify's hello world on the same machine; and the p99 latency at 70 % of our throughput.

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const idleJobs: Jobs = { define() {}, async send() {}, async start() {}, async stop() {} };

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode && res.statusCode < 300
          ? resolve(performance.now() - start)
          : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests per second with `concurrency` requests always in flight. */
async function throughput(send: () => Promise<number>, seconds: number, concurrency = 16): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await send();
        done++;
      }
    }),
  );
  return done / seconds;
}

/** p99 latency in ms when requests arrive at a fixed rate (open loop). */
async function p99At(send: () => Promise<number>, rate: number, seconds: number): Promise<number> {
  const latencies: Promise<number>[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    latencies.push(send());
  }
  const sorted = (await Promise.all(latencies)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.99)]!;
}

export const api: Workload = {
  name: 'api',
  async run(ctx) {
    const seconds = Math.max(1, Math.round(3 * Math.min(1, ctx.scale * 2)));
    const config: Config = {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: 'memory',
      publicUrl: 'http://localhost:3000',
      smtpUrl: null,
      logLevel: 'silent',
    };
    const app = await buildApp({ database: ctx.database, config, jobs: idleJobs, clock: ctx.clock, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const hello = Fastify({ logger: false });
    hello.get('/', async () => ({ hello: 'world' }));
    hello.post('/', async () => ({ hello: 'world' }));
    await hello.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as AddressInfo).port;
      const helloPort = (hello.server.address() as AddressInfo).port;
      const { apiKey } = await setupOrganization(ctx, {
        orgName: 'Bench API',
        currency: 'EUR',
        email: `bench-api-${Date.now()}@bench.arbor`,
        password: 'bench password',
        add: true,
      });
      const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(body),
        });
        return (await res.json()) as { id: string };
      };
      const rate = await post('/tax_rates', { name: 'VAT', percentage: '19' });
      const customer = await post('/customers', { name: 'Bench Customer', currency: 'EUR' });
      const draft = await post('/invoices', {
        customer: customer.id,
        lines: Array.from({ length: 5 }, (_, i) => ({
          description: `Line ${i}`,
          quantity: '2',
          unit_price: '10.50',
          tax_rate: rate.id,
        })),
      });
      await post(`/invoices/${draft.id}/post`, {});
      const paymentBody = JSON.stringify({ customer: customer.id, amount: '1.00', method: 'bank_transfer' });

      const getOurs = () => call(port, 'GET', `/api/v1/invoices/${draft.id}`, auth);
      const getHello = () => call(helloPort, 'GET', '/', {});
      const postOurs = () => call(port, 'POST', '/api/v1/payments', auth, paymentBody);
      const postHello = () => call(helloPort, 'POST', '/', { 'content-type': 'application/json' }, paymentBody);
      for (const warm of [getOurs, getHello, postOurs, postHello]) await throughput(warm, 0.5);

      const getRps = await throughput(getOurs, seconds);
      const helloGetRps = await throughput(getHello, seconds);
      const postRps = await throughput(postOurs, seconds);
      const helloPostRps = await throughput(postHello, seconds);
      const getP99 = await p99At(getOurs, Math.max(10, Math.round(getRps * 0.7)), seconds);
      const postP99 = await p99At(postOurs, Math.max(10, Math.round(postRps * 0.7)), seconds);
      ctx.log(
        `api: p99 at 70% load: GET ${getP99.toFixed(2)} ms, POST payment ${postP99.toFixed(2)} ms (goal < 10 ms)`,
      );
      return [
        figure({
          workload: 'api_get_invoice',
          ours: Math.round(getRps),
          baseline: Math.round(helloGetRps),
          unit: 'req/s',
          goal: '>= 0.5',
        }),
        figure({
          workload: 'api_post_payment',
          ours: Math.round(postRps),
          baseline: Math.round(helloPostRps),
          unit: 'req/s',
          goal: '>= 0.5',
        }),
        {
          workload: 'api_get_invoice_p99_at_70pct',
          ours: Number(getP99.toFixed(2)),
          baseline: 10,
          unit: 'ms',
          ratio: Number((getP99 / 10).toFixed(3)),
          goal: '<= 1',
        },
        {
          workload: 'api_post_payment_p99_at_70pct',
          ours: Number(postP99.toFixed(2)),
          baseline: 10,
          unit: 'ms',
          ratio: Number((postP99 / 10).toFixed(3)),
          goal: '<= 1',
        },
      ];
    } finally {
      await app.close();
      await hello.close();
      agent.destroy();
    }
  },
};
