import { Command, CommanderError } from 'commander';
import { loadConfig } from '../platform/config';
import { DataDirLockedError } from '../platform/lock';
import { registerWebhookQueue } from '../webhooks/queue-store';
import { registerBackupCommands } from './backup';
import { registerBillRunCommand } from './bill-run';
import { registerCheckCommand } from './check';
import { registerReminderCommands } from './reminders';
import { registerServeCommand } from './serve';
import { registerSetupCommands } from './setup';

const program = new Command('arbor')
  .description('Arbor: sales invoicing and receivables')
  .showHelpAfterError()
  .exitOverride();

// Events written by commands (bill runs, reminders, imports) queue their webhook deliveries like the server's do.
registerWebhookQueue({ publicUrl: loadConfig().publicUrl });

registerServeCommand(program);
registerSetupCommands(program);
registerBackupCommands(program);
registerReminderCommands(program);
registerCheckCommand(program);
registerBillRunCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof DataDirLockedError) {
    console.error(`arbor: ${err.message}`);
    process.exit(3);
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`arbor: ${message}`);
  process.exit(1);
}
