import { defineBillRunJobs } from './bill-runs/jobs';
import { defineReminderJobs } from './collections/jobs';
import type { Delivery } from './email/delivery-worker';
import { DELIVER_JOB } from './email/routes';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import type { Jobs } from './platform/jobs';

export interface JobDeps {
  db: Db;
  clock: Clock;
  config: Config;
  jobs: Jobs;
  delivery: Delivery;
}

/** Every capability's background jobs, defined on the process's job runner. */
export function defineJobs(deps: JobDeps): void {
  // Only a process that has SMTP takes delivery jobs; another (e.g. a worker without SMTP_URL) would drain nothing.
  deps.jobs.define(
    DELIVER_JOB,
    async () => {
      await deps.delivery.drain();
    },
    { work: deps.config.smtpUrl !== null },
  );
  defineReminderJobs(deps);
  defineBillRunJobs(deps);
}
