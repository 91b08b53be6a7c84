import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { startServer } from '../../src/platform/server';
import { eventually, TEST_NOW, TestServer, testClock } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';
import { subscribe, v1, waitForRun } from '../quote-to-cash/helpers';
import { ownDatabase } from './own-database';

// `arbor worker` works the jobs an API server queues (`arbor serve --no-jobs`): on a database of its own, so that no
// other test's server takes the jobs. PostgreSQL only (the embedded database has no separate workers).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const base = process.env.DATABASE_URL;

if (base)
  describe('arbor worker', () => {
    test('an API server without jobs queues a bill run; a worker process bills it', async () => {
      const database = await ownDatabase(base);
      let server: TestServer | null = null;
      let worker: ChildProcess | null = null;
      try {
        const config = {
          port: 0,
          host: '127.0.0.1',
          databaseUrl: database.url,
          dataDir: 'memory',
          publicUrl: 'http://localhost:3000',
          smtpUrl: null,
          logLevel: 'silent',
        };
        server = new TestServer(
          await startServer(config, { logger: false, schedule: false, work: false, clock: testClock }),
        );
        const org = await server.newOrg();
        const { customer, vat19 } = await billingSetup(org);
        await subscribe(org, customer.id, vat19.id);
        const started = await org.post(v1('/bill_runs'), { target_date: '2026-02-01' });
        expect(started.status).toBe(202);

        // Queued, and nobody works it: the API server does not take jobs.
        const queue = new pg.Client({ connectionString: database.url });
        await queue.connect();
        try {
          const jobs = await queue.query(`select state from pgboss.job where name = 'bill-run.start'`);
          expect(jobs.rows.map((r) => r.state)).toEqual(['created']);
        } finally {
          await queue.end();
        }
        expect((await org.get(v1(`/bill_runs/${started.body.id}`))).body.invoices_created).toBe(0);

        const output: string[] = [];
        worker = spawn(process.execPath, [path.join(ROOT, 'bin/arbor.js'), 'worker'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: database.url, ARBOR_NOW: TEST_NOW, LOG_LEVEL: 'warn' },
        });
        worker.stdout?.on('data', (d) => output.push(String(d)));
        worker.stderr?.on('data', (d) => output.push(String(d)));
        await eventually(() => output.join('').includes('worker is running'));
        const run = await waitForRun(org, started.body.id);
        expect(run).toMatchObject({ status: 'completed', invoices_created: 2 });
        const invoices = (await org.get(v1(`/invoices?customer=${customer.id}`))).body.data;
        expect(invoices.map((i: { status: string }) => i.status)).toEqual(['posted', 'posted']);

        const exited = new Promise((resolve) => worker!.once('exit', (code) => resolve(code)));
        worker.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
        await server?.stop();
        await database.drop();
      }
    });
  });
