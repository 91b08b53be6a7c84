import type { Command } from 'commander';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db';
import { startServer } from '../platform/server';
import { startWorker } from '../platform/worker';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the server (API, web app, hosted pages, background jobs)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--no-jobs', 'queue background jobs but leave their work to `arbor worker` processes (PostgreSQL)')
    .action(async (opts: { port?: string; jobs: boolean }) => {
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const server = await startServer(config, { work: opts.jobs });
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
    .command('worker')
    .description(
      'Work background jobs only, no HTTP (PostgreSQL): run as many as the jobs need, apart from API servers',
    )
    .action(async () => {
      const config = loadConfig();
      const worker = await startWorker(config);
      console.log(JSON.stringify({ level: 30, msg: 'Arbor worker is running: background jobs from PostgreSQL' }));
      const shutdown = async (signal: string) => {
        console.log(JSON.stringify({ level: 30, msg: `${signal}: worker shutting down` }));
        await worker.stop();
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
