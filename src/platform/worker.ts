import { Delivery } from '../email/delivery-worker';
import { attachmentRenderer } from '../email/service';
import { defineJobs } from '../job-handlers';
import { WebhookDeliverer } from '../webhooks/delivery-worker';
import { type Clock, clockFor } from './clock';
import type { Config } from './config';
import { type Database, openDatabase } from './db';
import { Outbox } from './outbox';
import { createJobs } from './server';

/** A process that works background jobs only (`arbor worker`): no HTTP. */
export interface RunningWorker {
  clock: Clock;
  database: Database;
  stop(): Promise<void>;
}

/**
 * Opens the database and works every queued job (bill run chunks, reminders, deliveries when SMTP_URL is set) from
 * the pg-boss queues that API servers fill: workers and API servers scale apart. PostgreSQL only: the embedded
 * database belongs to one process, which works its jobs itself.
 */
export async function startWorker(
  config: Config,
  opts: { clock?: Clock; schedule?: boolean } = {},
): Promise<RunningWorker> {
  if (!config.databaseUrl)
    throw new Error(
      'arbor worker needs PostgreSQL (DATABASE_URL): the embedded database belongs to one process, and `arbor serve` works its jobs.',
    );
  const clock = opts.clock ?? clockFor(config.now);
  const database = await openDatabase(config);
  const jobs = createJobs(config, { schedule: opts.schedule ?? true, work: true });
  const site = { db: database.db, clock, publicUrl: config.publicUrl };
  const outbox = new Outbox(site, jobs);
  const delivery = new Delivery(site, config, attachmentRenderer(site), outbox);
  new WebhookDeliverer(site, config, outbox);
  try {
    defineJobs({ db: database.db, clock, config, jobs });
    await jobs.start();
    // The outbox (email delivery, later webhooks) is worked here too: commits wake it, a periodic drain retries.
    await outbox.start(database, { pollMs: opts.schedule === false ? null : 5_000 });
  } catch (err) {
    await outbox.stop().catch(() => {});
    await jobs.stop().catch(() => {});
    delivery.close();
    await database.close();
    throw err;
  }
  let stopped = false;
  return {
    clock,
    database,
    async stop() {
      if (stopped) return;
      stopped = true;
      await outbox.stop();
      await jobs.stop();
      delivery.close();
      await database.close();
    },
  };
}
