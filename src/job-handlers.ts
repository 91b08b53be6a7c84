import type { Config } from './platform/config';
import type { Db } from './platform/db';
import type { Jobs } from './platform/jobs';

export interface JobDeps {
  db: Db;
  config: Config;
  jobs: Jobs;
}

/** Every capability's background jobs, defined on the process's job runner. */
export function defineJobs(_deps: JobDeps): void {}
