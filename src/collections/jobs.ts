import { DELIVER_JOB } from '../email/routes';
import type { JobDeps } from '../job-handlers';
import { readSettings } from '../organizations/settings';
import { dateInZone } from '../platform/context';
import { organizationsWithReminders, runReminders } from './service';

export const REMINDERS_JOB = 'reminders.daily';

/** Every morning: each organization with reminders on runs them as of its own today. Idempotent: a step is sent once. */
export function defineReminderJobs(deps: JobDeps): void {
  deps.jobs.define(
    REMINDERS_JOB,
    async () => {
      for (const org of await organizationsWithReminders(deps.db)) {
        const settings = readSettings(org.settings);
        const today = dateInZone(new Date(), settings.time_zone);
        const ctx = {
          db: deps.db,
          orgId: org.id,
          actor: { type: 'system' as const, id: null },
          role: 'admin' as const,
          userId: null,
          today,
          publicUrl: deps.config.publicUrl,
        };
        await runReminders(ctx, today, deps.config.smtpUrl !== null);
      }
      await deps.jobs.send(DELIVER_JOB);
    },
    { daily: '06:00' },
  );
}
