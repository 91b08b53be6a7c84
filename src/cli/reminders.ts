import type { Command } from 'commander';
import { runReminders } from '../collections/service';
import { systemContext } from '../organizations/service';
import { clockFor } from '../platform/clock';
import { loadConfig } from '../platform/config';
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
          const site = { db, clock: clockFor(config.now), publicUrl: config.publicUrl };
          const ctx = await systemContext(site, org.id, opts.asOf);
          const asOf = ctx.today;
          const result = await runReminders(ctx, asOf, config.smtpUrl !== null);
          console.log(`${org.name}: ${result.sent} sent, ${result.skipped} skipped as of ${asOf}`);
        }
      });
      console.log('Queued mails are delivered by the running server (or the next start).');
    });
}
