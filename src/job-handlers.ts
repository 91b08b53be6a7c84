import { defineBillRunJobs, resumeBillRuns } from './bill-runs/jobs';
import { defineReminderJobs } from './collections/jobs';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import type { Jobs } from './platform/jobs';

export interface JobDeps {
  db: Db;
  clock: Clock;
  config: Config;
  jobs: Jobs;
}

/** Every capability's background jobs, defined on the process's job runner. */
export function defineJobs(deps: JobDeps): void {
  defineReminderJobs(deps);
  defineBillRunJobs(deps);
}

/** Work an embedded process left unfinished when it stopped, queued again at start (its jobs lived in memory). */
export async function resumeJobs(deps: Pick<JobDeps, 'db' | 'jobs'>): Promise<void> {
  await resumeBillRuns(deps.jobs, deps.db);
}
