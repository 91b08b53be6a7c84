import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { billRunOut } from '../bill-runs/schemas';
import { createBillRun, getBillRun, organizationIds, processChunk, runSize, splitRun } from '../bill-runs/service';
import { isIsoDate } from '../billing/dates';
import { systemContext } from '../organizations/service';
import { clockFor } from '../platform/clock';
import { loadConfig } from '../platform/config';
import type { Db } from '../platform/db';
import { withDatabase } from './setup';

interface Options {
  date: string;
  org?: string;
  invoiceDate?: string;
  autoPost?: boolean;
  autoSend?: boolean;
  concurrency?: string;
  json?: boolean;
}

export function registerBillRunCommand(program: Command): void {
  program
    .command('bill-run')
    .description('Bill every subscription period due on or before a date (all organizations, or one)')
    .requiredOption('--date <date>', 'target date, YYYY-MM-DD')
    .option('--org <id>', 'only this organization')
    .option('--invoice-date <date>', 'issue date of the invoices (default: each billing date)')
    .option('--auto-post', 'post the invoices (default: each subscription\u2019s setting)')
    .option('--no-auto-post', 'leave the invoices as drafts')
    .option('--auto-send', 'email the posted invoices')
    .option('--concurrency <n>', 'subscriptions billed at once on PostgreSQL', '4')
    .option('--json', 'print the runs as JSON')
    .action(async (opts: Options) => {
      if (!isIsoDate(opts.date)) throw new Error('--date must be a date as YYYY-MM-DD.');
      if (opts.invoiceDate && !isIsoDate(opts.invoiceDate))
        throw new Error('--invoice-date must be a date as YYYY-MM-DD.');
      const config = loadConfig();
      const clock = clockFor(config.now);
      const site = (db: Db) => ({ db, clock, publicUrl: config.publicUrl });
      const concurrency = config.databaseUrl ? Math.max(1, Number(opts.concurrency) || 1) : 1;
      const runs = await withDatabase(async ({ db }) => {
        const orgs = (await organizationIds(db)).filter((id) => !opts.org || id === opts.org);
        if (opts.org && orgs.length === 0) throw new Error(`No organization ${opts.org}.`);
        // Split every run first, so that the bar knows the total.
        const planned: { orgId: string; runId: string; chunks: number[] }[] = [];
        for (const orgId of orgs) {
          const ctx = await systemContext(site(db), orgId);
          const run = await createBillRun(
            ctx,
            {
              target_date: opts.date,
              invoice_date: opts.invoiceDate,
              auto_post: opts.autoPost,
              auto_send: opts.autoSend,
            },
            'cli',
          );
          planned.push({ orgId, runId: run.id, chunks: await splitRun(site(db), run.id) });
        }
        let total = 0;
        for (const p of planned) total += await runSize(db, p.runId);
        const bar = new cliProgress.SingleBar(
          { format: 'Billing |{bar}| {value}/{total} subscriptions | {eta_formatted} left', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        if (!opts.json) bar.start(total, 0);
        try {
          for (const p of planned)
            for (const chunkNo of p.chunks)
              await processChunk(db, p.runId, chunkNo, {
                concurrency,
                smtpConfigured: config.smtpUrl !== null,
                clock,
                publicUrl: config.publicUrl,
                onSubscription: opts.json ? undefined : () => bar.increment(),
              });
        } finally {
          if (!opts.json) bar.stop();
        }
        return Promise.all(planned.map((p) => getBillRun(db, { orgId: p.orgId }, p.runId)));
      });
      if (opts.json) {
        console.log(JSON.stringify(runs.map(billRunOut)));
        return;
      }
      for (const d of runs) {
        console.log(
          `${d.run.orgId}: ${d.invoicesCreated} invoices from ${d.processed} subscriptions due by ${opts.date} (${d.run.status.replaceAll('_', ' ')}, run ${d.run.id})`,
        );
        for (const e of d.errors) console.log(`  ${e.subscriptionId}: ${e.code}: ${e.message}`);
      }
      if (opts.autoSend) console.log('Queued mails are delivered by the running server (or the next start).');
    });
}
