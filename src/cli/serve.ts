import type { Command } from 'commander';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db';
import { startServer } from '../platform/server';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the server (API, web app, hosted pages, background jobs)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const server = await startServer(config);
      const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
      server.app.log.info(`Arbor is running at ${config.publicUrl} on ${where}`);
      const shutdown = async (signal: string) => {
        server.app.log.info(`${signal}: shutting down`);
        await server.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });

  program
    .command('migrate')
    .description('Apply database migrations (the server also does this at start)')
    .action(async () => {
      const database = await openDatabase(loadConfig());
      await database.close();
      console.log('Migrations applied.');
    });
}
