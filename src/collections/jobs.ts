import type { JobDeps } from '../job-handlers';
import { systemContext } from '../organizations/service';
import { organizationsWithReminders, runReminders } from './service';

export const REMINDERS_JOB = 'reminders.daily';

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
