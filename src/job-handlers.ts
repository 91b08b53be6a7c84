import { defineBillRunJobs, resumeBillRuns } from './bill-runs/jobs';
import { definePromiseJobs, defineReminderJobs } from './collections/jobs';
import { settlePromise } from './collections/promise-store';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import type { Jobs } from './platform/jobs';
import { onBalanceChange } from './receivables/balance-hooks';

// Promises to pay follow the money: collections listens to receivables, which may not import it (that would be a cycle
// through payments and email). Every process that moves money (API server, worker) loads this root.
onBalanceChange(settlePromise);

export interface JobDeps {
  db: Db;
  clock: Clock;
  config: Config;
  jobs: Jobs;
}

/** Every capability's background jobs, defined on the process's job runner. */
export function defineJobs(deps: JobDeps): void {
  defineReminderJobs(deps);
  definePromiseJobs(deps);
  defineBillRunJobs(deps);
}

/** Work an embedded process left unfinished when it stopped, queued again at start (its jobs lived in memory). */
export async function resumeJobs(deps: Pick<JobDeps, 'db' | 'jobs'>): Promise<void> {
  await resumeBillRuns(deps.jobs, deps.db);
}
