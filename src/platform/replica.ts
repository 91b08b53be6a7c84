import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pg from 'pg';
import type { RequestContext } from './context';
import type { Db } from './db';

declare module 'fastify' {
  interface FastifyInstance {
    /** DATABASE_READ_URL's streaming replica, when configured. */
    readReplica: ReadReplica | null;
  }
}

/** The header a report served by the replica carries: how far (ms) the replica was behind the primary. */
export const REPLICA_LAG_HEADER = 'x-arbor-replica-lag-ms';

/**
 * A streaming replica of the primary (DATABASE_READ_URL) for reports. Its lag is measured on each use: 0 when it
 * has replayed all the WAL the primary has written, else the time since the last transaction it replayed was
 * committed. Above maxLagMs, or when it cannot be reached, the primary serves.
 */
export class ReadReplica {
  readonly db: Db;
  private readonly pool: pg.Pool;

  constructor(
    url: string,
    private readonly primary: pg.Pool,
    readonly maxLagMs: number,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
    this.pool.on('error', (err) =>
      console.error(JSON.stringify({ level: 40, msg: 'idle replica connection lost', err: err.message })),
    );
    this.db = drizzlePg(this.pool) as unknown as Db;
  }

  /** The replica's lag in ms, or null when either side cannot tell (replica down, not a replica). */
  async lagMs(): Promise<number | null> {
    try {
      const { rows: p } = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      const { rows: r } = await this.pool.query<{ behind: string | null; since: number | null }>(
        `select pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text as behind,
                (extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 as since`,
        [p[0]!.lsn],
      );
      const behind = r[0]?.behind;
      if (behind === null || behind === undefined) return null;
      if (Number(behind) <= 0) return 0;
      return Math.max(1, Math.round(r[0]?.since ?? Number.POSITIVE_INFINITY));
    } catch (err) {
      console.error(JSON.stringify({ level: 40, msg: 'replica lag unknown', err: String(err) }));
      return null;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The context a report route reads with: the replica's when it is within its lag (the reply then carries
 * x-arbor-replica-lag-ms), else the request's own (the primary). Writes and exports never come here.
 */
export async function reportContext(req: FastifyRequest, reply: FastifyReply): Promise<RequestContext> {
  const replica = req.server.readReplica;
  if (!replica) return req.ctx;
  const lag = await replica.lagMs();
  if (lag === null || lag > replica.maxLagMs) return req.ctx;
  reply.header(REPLICA_LAG_HEADER, String(lag));
  return { ...req.ctx, db: replica.db };
}
