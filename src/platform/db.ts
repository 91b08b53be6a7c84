import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './lock';
import { ReadReplica } from './replica';

export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** The PGlite instance, when embedded (for backups). */
  pglite: PGlite | null;
  /** Calls `onNotify` with the payload of each NOTIFY on `channel` (delivered on commit); returns the unsubscribe. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** DATABASE_READ_URL's streaming replica (PostgreSQL only), for reports. */
  replica: ReadReplica | null;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

// Business dates stay 'YYYY-MM-DD' strings and numerics stay exact strings, on both drivers.
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));
const pgliteParsers = { [DATE_OID]: (v: string) => v, [NUMERIC_OID]: (v: string) => v };

/** Opens the database: embedded PGlite in dataDir ('memory' for a throwaway one), or PostgreSQL at url. Migrates it. */
export async function openDatabase(opts: {
  databaseUrl: string | null;
  dataDir: string;
  readDatabaseUrl?: string | null | undefined;
  replicaMaxLagMs?: number | undefined;
}): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.readDatabaseUrl ?? null, opts.replicaMaxLagMs);
  return openEmbedded(opts.dataDir);
}

async function openPostgres(url: string, readUrl: string | null, maxLagMs = 5000): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover) is replaced by the pool; without a listener the
  // 'error' event would end the process.
  pool.on('error', (err) =>
    console.error(JSON.stringify({ level: 40, msg: 'idle database connection lost', err: err.message })),
  );
  const db = drizzlePg(pool) as unknown as Db;
  // Several processes may start at once: one migrates, the others wait.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7263541)');
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock(7263541)').catch(() => {});
    client.release();
  }
  const replica = readUrl ? new ReadReplica(readUrl, pool, maxLagMs) : null;
  return {
    db,
    kind: 'postgres',
    pglite: null,
    replica,
    listen: (ch, fn) => listenPostgres(url, ch, fn),
    close: async () => {
      await replica?.close();
      await pool.end();
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory';
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  try {
    const pglite = new PGlite(inMemory ? undefined : path.join(dataDir, 'pg'), { parsers: pgliteParsers });
    await pglite.waitReady;
    const db = drizzlePglite(pglite) as unknown as Db;
    await migratePglite(drizzlePglite(pglite), { migrationsFolder });
    return {
      db,
      kind: 'embedded',
      pglite,
      listen: async (channel, onNotify) => {
        const unsubscribe = await pglite.listen(channel, onNotify);
        return async () => unsubscribe();
      },
      replica: null,
      close: async () => {
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** A connection of its own that LISTENs on `channel`; a lost connection is replaced after a second. */
async function listenPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => n.channel === channel && onNotify(n.payload ?? ''));
    c.on('error', (err) => {
      console.error(JSON.stringify({ level: 40, msg: 'notification connection lost', err: err.message }));
      c.end().catch(() => {});
      if (client === c) client = null;
      if (!stopped) {
        retry = setTimeout(() => void connect().catch(() => {}), 1000);
        retry.unref();
      }
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}

/** Rows of a raw SQL query, the same on both drivers. */
export async function rows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export { sql };
