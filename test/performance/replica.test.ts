import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import type { Config } from '../../src/platform/config';
import type { Jobs } from '../../src/platform/jobs';
import { REPLICA_LAG_HEADER } from '../../src/platform/replica';
import { startServer } from '../../src/platform/server';
import { eventually, OrgClient, TestServer, testClock } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

// DATABASE_READ_URL: reports read from a streaming replica, writes go to the primary. The test makes both clusters
// itself (initdb, pg_basebackup -R, pg_ctl, as the postgres OS user when run as root) in a folder of its own and
// removes them at the end. It runs in the PostgreSQL run of the suite (where the server binaries are known to be).
const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const idleJobs: Jobs = { define() {}, async send() {}, async start() {}, async stop() {} };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

if (process.env.DATABASE_URL)
  describe('reports on a streaming replica', () => {
    test('reports read from the replica within its lag, else from the primary; writes never go to it', async () => {
      const root = process.getuid?.() === 0;
      const owner = root
        ? {
            uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
            gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
          }
        : {};
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-replica-'));
      if (root) fs.chownSync(dir, owner.uid!, owner.gid!);
      const pgRun = (cmd: string, args: string[]) => run(path.join(BIN, cmd), args, { ...owner, cwd: dir });
      const [primaryPort, replicaPort] = [await freePort(), await freePort()];
      const opts = (port: number) =>
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c shared_buffers=16MB`;
      const started: string[] = [];
      const servers: TestServer[] = [];
      try {
        await pgRun('initdb', ['-D', `${dir}/primary`, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
        await pgRun('pg_ctl', [
          '-D',
          `${dir}/primary`,
          '-o',
          opts(primaryPort),
          '-l',
          `${dir}/primary.log`,
          '-w',
          'start',
        ]);
        started.push('primary');
        const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
        const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
        const config = (maxLag: number): Config => ({
          port: 0,
          host: '127.0.0.1',
          databaseUrl: primaryUrl,
          readDatabaseUrl: replicaUrl,
          replicaMaxLagMs: maxLag,
          dataDir: 'memory',
          publicUrl: 'http://localhost:3000',
          smtpUrl: null,
          logLevel: 'silent',
        });
        // The first server migrates the primary; the replica is copied after that, then follows it.
        const tolerant = new TestServer(
          await startServer(config(600_000), { logger: false, jobs: idleJobs, clock: testClock }),
        );
        servers.push(tolerant);
        await pgRun('pg_basebackup', [
          '-h',
          '127.0.0.1',
          '-p',
          String(primaryPort),
          '-U',
          'postgres',
          '-D',
          `${dir}/replica`,
          '-R',
          '-X',
          'stream',
          '--no-sync',
        ]);
        await pgRun('pg_ctl', [
          '-D',
          `${dir}/replica`,
          '-o',
          opts(replicaPort),
          '-l',
          `${dir}/replica.log`,
          '-w',
          'start',
        ]);
        started.push('replica');
        const strict = new TestServer(
          await startServer(config(0), { logger: false, jobs: idleJobs, clock: testClock }),
        );
        servers.push(strict);

        const org = await tolerant.newOrg();
        const sameOrgOnStrict = new OrgClient(strict.url, org.apiKey, org.orgId, org.adminUserId, org.adminEmail);
        const { customer, vat19 } = await billingSetup(org);
        const invoice = await postedInvoice(org, {
          customer: customer.id,
          lines: [{ description: 'Work', quantity: '1', unit_price: '100.00', tax_rate: vat19.id }],
        });
        expect(invoice.total).toBe('119.00');
        const aging = (client: OrgClient) => client.get('/api/v1/reports/aging');

        // Caught up: the replica serves, and says how far behind it was.
        const caughtUp = await eventually(async () => {
          const res = await aging(org);
          return res.body.currencies[0]?.total === '119.00' ? res : undefined;
        });
        expect(caughtUp.headers.get(REPLICA_LAG_HEADER)).toMatch(/^\d+$/);

        const replica = new pg.Client({ connectionString: replicaUrl });
        await replica.connect();
        try {
          expect((await replica.query('select pg_is_in_recovery() as r')).rows[0].r).toBe(true);
          // Replay paused: a payment is written (to the primary: the replica refuses every write) ...
          await replica.query('select pg_wal_replay_pause()');
          const payment = await org.post('/api/v1/payments', {
            customer: customer.id,
            amount: '19.00',
            method: 'bank_transfer',
            allocations: [{ invoice: invoice.id, amount: '19.00' }],
          });
          expect(payment.status, JSON.stringify(payment.body)).toBe(201);
          // ... the replica does not have it, so a report it serves still shows 119.00: reports read from it.
          const stale = await aging(org);
          expect(stale.headers.get(REPLICA_LAG_HEADER)).toMatch(/^\d+$/);
          expect(stale.body.currencies[0].total).toBe('119.00');
          const statement = await org.get(`/api/v1/customers/${customer.id}/statement`);
          expect(statement.headers.get(REPLICA_LAG_HEADER)).toMatch(/^\d+$/);
          const summary = await org.get('/api/v1/reports/summary');
          expect(summary.headers.get(REPLICA_LAG_HEADER)).toMatch(/^\d+$/);
          // A server that allows no lag has the primary serve: the payment is there, and no lag header.
          const fresh = await aging(sameOrgOnStrict);
          expect(fresh.headers.get(REPLICA_LAG_HEADER)).toBeNull();
          expect(fresh.body.currencies[0].total).toBe('100.00');
          // Replay resumed, the replica has the payment from the primary's WAL, and serves it.
          await replica.query('select pg_wal_replay_resume()');
          const resumed = await eventually(async () => {
            const res = await aging(org);
            return res.body.currencies[0]?.total === '100.00' ? res : undefined;
          });
          expect(resumed.headers.get(REPLICA_LAG_HEADER)).toMatch(/^\d+$/);
          const onReplica = await replica.query('select count(*)::int as n from payments where id = $1', [
            payment.body.id,
          ]);
          expect(onReplica.rows[0].n).toBe(1);
          await expect(replica.query(`update organizations set name = name`)).rejects.toThrow(/read-only/);
        } finally {
          await replica.end();
        }
      } finally {
        for (const server of servers) await server.stop().catch(() => {});
        for (const name of started.reverse())
          await pgRun('pg_ctl', ['-D', `${dir}/${name}`, '-m', 'immediate', 'stop']).catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
