import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { type Database, openDatabase } from './db';
import { buildApp } from './http';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, starts HTTP; stop() closes both in order. */
export async function startServer(config: Config, opts: { logger?: boolean | object } = {}): Promise<RunningServer> {
  const database = await openDatabase(config);
  try {
    const app = await buildApp({ database, config, ...(opts.logger !== undefined ? { logger: opts.logger } : {}) });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    let stopped = false;
    return {
      app,
      database,
      url: `http://127.0.0.1:${port}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
