import { defineBillRunJobs } from './bill-runs/jobs';
import { defineReminderJobs } from './collections/jobs';
import type { Delivery } from './email/delivery-worker';
import { DELIVER_JOB } from './email/routes';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import type { Jobs } from './platform/jobs';

export interface JobDeps {
  db: Db;
  config: Config;
  jobs: Jobs;
  delivery: Delivery;
}

/** Every capability's background jobs, defined on the process's job runner. */
export function defineJobs(deps: JobDeps): void {
  deps.jobs.define(DELIVER_JOB, async () => {
    await deps.delivery.drain();
  });
  defineReminderJobs(deps);
  defineBillRunJobs(deps);
}
