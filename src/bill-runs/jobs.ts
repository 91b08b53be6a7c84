import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { Site } from '../platform/context';
import type { Db } from '../platform/db';
import type { Jobs } from '../platform/jobs';
import { createScheduledRun, organizationIds, processChunk, splitRun, stalledChunks, unfinishedRuns } from './service';

export const BILL_RUN_START = 'bill-run.start';
export const BILL_RUN_CHUNK = 'bill-run.chunk';
export const BILL_RUN_DAILY = 'bill-run.daily';

/** A run is split once, then its chunks are queued: on PostgreSQL any number of worker processes take them. */
export async function startBillRun(jobs: Jobs, site: Pick<Site, 'db' | 'clock'>, runId: string): Promise<void> {
  for (const chunkNo of await splitRun(site, runId))
    await jobs.send(BILL_RUN_CHUNK, { runId, chunkNo }, { singletonKey: `${runId}:${chunkNo}` });
}

/** Bill runs as jobs: start (split), chunk (bill), and the daily run of every organization. */
export function defineBillRunJobs(deps: { db: Db; clock: Clock; config: Config; jobs: Jobs }): void {
  const { db, clock, config, jobs } = deps;
  const site = { db, clock, publicUrl: config.publicUrl };
  const chunkOptions = {
    // The embedded database runs one transaction at a time; PostgreSQL bills a few subscriptions at once.
    concurrency: config.databaseUrl ? 4 : 1,
    smtpConfigured: config.smtpUrl !== null,
    clock,
    publicUrl: config.publicUrl,
    stopping: () => jobs.stopping?.() ?? false,
  };
  jobs.define(BILL_RUN_START, async (data) => {
    await startBillRun(jobs, site, String(data.runId));
  });
  // Serial in process: the embedded database's chunks take turns, so a request waits for one transaction at most.
  jobs.define(
    BILL_RUN_CHUNK,
    async (data) => {
      await processChunk(db, String(data.runId), Number(data.chunkNo), chunkOptions);
    },
    { serial: true },
  );
  jobs.define(
    BILL_RUN_DAILY,
    async () => {
      for (const orgId of await organizationIds(db)) {
        const run = await createScheduledRun(site, orgId);
        if (run) await jobs.send(BILL_RUN_START, { runId: run.id }, { singletonKey: run.id });
      }
      // Chunks of runs that stopped (a crashed worker past its retries) are queued again.
      for (const c of await stalledChunks(db, new Date(clock.now().getTime() - 60 * 60 * 1000)))
        await jobs.send(BILL_RUN_CHUNK, c, { singletonKey: `${c.runId}:${c.chunkNo}` });
    },
    { daily: '01:00' },
  );
}

/**
 * On the embedded database jobs live in the process: a run cut off by a crash or a stop is queued again when the
 * next process starts (splitting and billing are idempotent, so nothing is billed twice). PostgreSQL keeps its jobs.
 */
export async function resumeBillRuns(jobs: Jobs, db: Db): Promise<void> {
  const { pending, chunks } = await unfinishedRuns(db);
  for (const runId of pending) await jobs.send(BILL_RUN_START, { runId }, { singletonKey: runId });
  for (const c of chunks) await jobs.send(BILL_RUN_CHUNK, c, { singletonKey: `${c.runId}:${c.chunkNo}` });
}
