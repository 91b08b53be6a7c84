import type { JobDeps } from '../job-handlers';
import { systemContext } from '../organizations/service';
import { breakPromises, organizationsWithOpenPromises, organizationsWithReminders, runReminders } from './service';

export const REMINDERS_JOB = 'reminders.daily';
export const PROMISES_JOB = 'promises.daily';

/** Every morning: each organization with reminders on runs them as of its own today. Idempotent: a step is sent once. */
export function defineReminderJobs(deps: JobDeps): void {
  deps.jobs.define(
    REMINDERS_JOB,
    async () => {
      for (const org of await organizationsWithReminders(deps.db)) {
        const ctx = await systemContext({ db: deps.db, clock: deps.clock, publicUrl: deps.config.publicUrl }, org.id);
        await runReminders(ctx, ctx.today, deps.config.smtpUrl !== null);
      }
    },
    { daily: '06:00' },
  );
}

/** Every day, for every organization whatever its reminder policy: open promises dated before its today are broken. */
export function definePromiseJobs(deps: JobDeps): void {
  deps.jobs.define(
    PROMISES_JOB,
    async () => {
      for (const orgId of await organizationsWithOpenPromises(deps.db)) {
        const ctx = await systemContext({ db: deps.db, clock: deps.clock, publicUrl: deps.config.publicUrl }, orgId);
        await breakPromises(ctx, ctx.today);
      }
    },
    { daily: '00:30' },
  );
}
