import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { setupOrganization } from '../src/organizations/service';
import type { Config } from '../src/platform/config';
import { buildApp } from '../src/platform/http';
import { newId } from '../src/platform/ids';
import type { Jobs } from '../src/platform/jobs';
import { type BenchContext, figure, type Workload } from './harness';

// DESIGN.md: GET one invoice and POST a payment allocated to it through the whole HTTP stack (auth, validation,
// database, serialization) against a bare fastify server doing the same database work with plain SQL on the same
// database (issue 18): GET looks up the same API key hash and selects the same invoice row; POST writes the same
// payment, application, journal entries, invoice balances and event in one transaction. And the p99 latency at 70 %
// of our throughput.

/** Plain SQL on the bench's database: a pg pool of our pool's size on PostgreSQL, the PGlite instance when embedded. */
interface Plain {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  transaction(work: (q: Plain['query']) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function plainSql(ctx: BenchContext): Plain {
  const pglite = ctx.database.pglite;
  if (pglite)
    return {
      query: async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows,
      transaction: async (work) => {
        await pglite.transaction((tx) =>
          work(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows),
        );
      },
      close: async () => {},
    };
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl!, max: 10 });
  return {
    query: async (text, params) => (await pool.query(text, params)).rows,
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await work(async (text, params) => (await client.query(text, params)).rows);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The baseline server: fastify with a handler per route doing our route's database work in plain SQL. */
async function plainServer(ctx: BenchContext, plain: Plain) {
  const app = Fastify({ logger: false });
  const principal = async (authorization: string | undefined) => {
    const hash = createHash('sha256')
      .update((authorization ?? '').replace(/^Bearer /, ''))
      .digest('hex');
    const [key] = await plain.query(
      `select k.id, k.org_id, k.role, o.settings from api_keys k join organizations o on o.id = k.org_id
       where k.key_hash = $1 and k.revoked_at is null`,
      [hash],
    );
    if (!key) throw new Error('unknown key');
    return key as { id: string; org_id: string };
  };
  app.get<{ Params: { id: string } }>('/api/v1/invoices/:id', async (req) => {
    const key = await principal(req.headers.authorization);
    const [row] = await plain.query('select * from invoices where id = $1 and org_id = $2', [
      req.params.id,
      key.org_id,
    ]);
    return row;
  });
  app.post<{
    Body: { customer: string; amount: string; method: string; allocations: { invoice: string; amount: string }[] };
  }>('/api/v1/payments', async (req) => {
    const key = await principal(req.headers.authorization);
    const orgId = key.org_id;
    const { customer, amount, method } = req.body;
    const invoiceId = req.body.allocations[0]!.invoice;
    const now = ctx.clock.now();
    const id = newId('pay');
    const appId = newId('app');
    const [je1, je2] = [newId('je'), newId('je')];
    let payment: Record<string, unknown> | undefined;
    await plain.transaction(async (q) => {
      await q('select * from customers where id = $1 and org_id = $2 for update', [customer, orgId]);
      await q('select * from invoices where id = $1 and org_id = $2 for update', [invoiceId, orgId]);
      [payment] = await q(
        `insert into payments (id, org_id, created_at, customer_id, amount, currency, date, method, unapplied_amount)
           values ($1, $2, $3, $4, $5, 'EUR', $6, $7, 0) returning *`,
        [id, orgId, now, customer, amount, ctx.today, method],
      );
      await q(
        `insert into applications (id, org_id, created_at, invoice_id, source_type, source_id, amount, date)
           values ($1, $2, $3, $4, 'payment', $5, $6, $7)`,
        [appId, orgId, now, invoiceId, id, amount, ctx.today],
      );
      await q(
        `with entries as (
             insert into journal_entries (id, org_id, date, currency, source_type, source_id, memo, created_at)
             values ($1, $3, $4, 'EUR', 'payment', $5, 'Payment', $7), ($2, $3, $4, 'EUR', 'application', $6, 'Applied', $7))
           insert into journal_lines (entry_id, line_no, org_id, account, debit, credit, date, currency)
           values ($1, 0, $3, 'cash', $8, 0, $4, 'EUR'), ($1, 1, $3, 'customer_credit', 0, $8, $4, 'EUR'),
                  ($2, 0, $3, 'customer_credit', $8, 0, $4, 'EUR'), ($2, 1, $3, 'receivables', 0, $8, $4, 'EUR')`,
        [je1, je2, orgId, ctx.today, id, appId, now, amount],
      );
      await q(
        `update invoices set amount_paid = amount_paid + $2, amount_due = amount_due - $2 where id = $1 returning *`,
        [invoiceId, amount],
      );
      await q(
        `insert into events (id, org_id, created_at, type, object_type, object_id, actor_type, actor_id, data)
           values ($1, $2, $3, 'payment.created', 'payment', $4, 'api_key', $5, $6)`,
        [
          newId('evt'),
          orgId,
          now,
          id,
          key.id,
          JSON.stringify({ customer, amount, method, allocations: req.body.allocations }),
        ],
      );
    });
    return payment;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

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
    const plain = plainSql(ctx);
    const hello = await plainServer(ctx, plain);
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
          quantity: '100000',
          unit_price: '10.50',
          tax_rate: rate.id,
        })),
      });
      await post(`/invoices/${draft.id}/post`, {});
      // Each payment pays 0.01 of an invoice large enough never to be paid in full during the bench.
      const paymentBody = JSON.stringify({
        customer: customer.id,
        amount: '0.01',
        method: 'bank_transfer',
        allocations: [{ invoice: draft.id, amount: '0.01' }],
      });

      const getOurs = () => call(port, 'GET', `/api/v1/invoices/${draft.id}`, auth);
      const getHello = () => call(helloPort, 'GET', `/api/v1/invoices/${draft.id}`, auth);
      const postOurs = () => call(port, 'POST', '/api/v1/payments', auth, paymentBody);
      const postHello = () => call(helloPort, 'POST', '/api/v1/payments', auth, paymentBody);
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
      await plain.close();
      agent.destroy();
    }
  },
};
