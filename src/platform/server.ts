import type { FastifyInstance } from 'fastify';
import { Delivery } from '../email/delivery-worker';
import { attachmentRenderer } from '../email/service';
import { defineJobs, resumeJobs } from '../job-handlers';
import { WebhookDeliverer } from '../webhooks/delivery-worker';
import { type Clock, clockFor } from './clock';
import type { Config } from './config';
import { type Database, openDatabase } from './db';
import { buildApp } from './http';
import { type Jobs, LocalJobs, PgBossJobs } from './jobs';
import { Outbox } from './outbox';

export interface RunningServer {
  app: FastifyInstance;
  clock: Clock;
  database: Database;
  jobs: Jobs;
  outbox: Outbox;
  delivery: Delivery;
  /** Webhook deliveries: `drain()` makes every due attempt now. */
  webhooks: WebhookDeliverer;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, starts HTTP; stop() closes both in order. */
/** The job runner for this process: pg-boss on PostgreSQL, in process on the embedded database. */
export function createJobs(config: Config, opts: { schedule: boolean; work: boolean }): Jobs {
  return config.databaseUrl ? new PgBossJobs(config.databaseUrl, opts) : new LocalJobs({ schedule: opts.schedule });
}

export async function startServer(
  config: Config,
  opts: {
    logger?: boolean | object;
    schedule?: boolean;
    jobs?: Jobs;
    clock?: Clock;
    /** false: queue jobs but leave their work to `arbor worker` processes (PostgreSQL). */
    work?: boolean;
  } = {},
): Promise<RunningServer> {
  const clock = opts.clock ?? clockFor(config.now);
  const database = await openDatabase(config);
  const jobs =
    opts.jobs ??
    createJobs(config, {
      schedule: opts.schedule ?? true,
      // The embedded database has no separate workers: its one process always works its jobs.
      work: opts.work !== false || !config.databaseUrl,
    });
  try {
    const site = { db: database.db, clock, publicUrl: config.publicUrl };
    const outbox = new Outbox(site, jobs);
    const delivery = new Delivery(site, config, attachmentRenderer(site), outbox);
    const webhooks = new WebhookDeliverer(site, config, outbox);
    defineJobs({ db: database.db, clock, config, jobs });
    await jobs.start();
    if (!config.databaseUrl) await resumeJobs({ db: database.db, jobs });
    // Commits wake the outbox's workers; retries and messages left by a crash are picked up by a periodic drain.
    await outbox.start(database, { pollMs: opts.schedule === false ? null : 5_000 });
    const app = await buildApp({
      database,
      config,
      jobs,
      clock,
      ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    let stopped = false;
    return {
      app,
      clock,
      database,
      jobs,
      outbox,
      delivery,
      webhooks,
      url: `http://127.0.0.1:${port}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        await outbox.stop();
        await jobs.stop();
        delivery.close();
        await database.close();
      },
    };
  } catch (err) {
    await jobs.stop().catch(() => {});
    await database.close();
    throw err;
  }
}
