import type { Command } from 'commander';
import { runReminders } from '../collections/service';
import { readSettings } from '../organizations/settings';
import { loadConfig } from '../platform/config';
import { dateInZone } from '../platform/context';
import { organizations } from '../platform/tables';
import { withDatabase } from './setup';

export function registerReminderCommands(program: Command): void {
  const reminders = program.command('reminders').description('Reminders (dunning)');
  reminders
    .command('run')
    .description('Send the reminders due on a date for every organization (or one); mails go to the outbox')
    .option('--as-of <date>', 'YYYY-MM-DD (default: today in each organization\u2019s time zone)')
    .option('--org <id>', 'only this organization')
    .action(async (opts: { asOf?: string; org?: string }) => {
      if (opts.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error('--as-of must be a date as YYYY-MM-DD.');
      const config = loadConfig();
      await withDatabase(async ({ db }) => {
        const orgs = await db.select().from(organizations);
        for (const org of orgs.filter((o) => !opts.org || o.id === opts.org)) {
          const settings = readSettings(org.settings);
          const asOf = opts.asOf ?? dateInZone(new Date(), settings.time_zone);
          const ctx = {
            db,
            orgId: org.id,
            actor: { type: 'system' as const, id: null },
            role: 'admin' as const,
            userId: null,
            today: asOf,
            publicUrl: config.publicUrl,
          };
          const result = await runReminders(ctx, asOf, config.smtpUrl !== null);
          console.log(`${org.name}: ${result.sent} sent, ${result.skipped} skipped as of ${asOf}`);
        }
      });
      console.log('Queued mails are delivered by the running server (or the next start).');
    });
}
