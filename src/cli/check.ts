import type { Command } from 'commander';
import { organizationIds, runChecks } from '../checks/service';
import { systemContext } from '../organizations/service';
import { clockFor } from '../platform/clock';
import { loadConfig } from '../platform/config';
import { withDatabase } from './setup';

/** `arbor check`: verifies the integrity invariants of every organization (or one); exit 1 on any violation. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('Verify the ledger, aging, credit balance, numbering and invoice balance invariants')
    .option('--org <id>', 'check only this organization')
    .option('--json', 'print {ok, violations} as JSON')
    .action(async (opts: { org?: string; json?: boolean }) => {
      const violations = await withDatabase(async (database) => {
        const ids = opts.org ? [opts.org] : await organizationIds(database.db);
        const found = [];
        const site = { db: database.db, clock: clockFor(loadConfig().now), publicUrl: '' };
        for (const orgId of ids) {
          const { today } = await systemContext(site, orgId);
          for (const v of await runChecks(database.db, orgId, today)) found.push({ organization: orgId, ...v });
        }
        return found;
      });
      if (opts.json) console.log(JSON.stringify({ ok: violations.length === 0, violations }));
      else if (violations.length === 0) console.log('ok');
      else for (const v of violations) console.log(`${v.organization} ${v.check}: ${v.message}`);
      if (violations.length > 0) process.exitCode = 1;
    });
}
