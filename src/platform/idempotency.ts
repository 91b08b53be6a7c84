import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from './db';
import { DomainError, invalid } from './errors';
import { sha256 } from './secrets';
import { idempotencyKeys } from './tables';

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
// A request still marked running after this long died with its process; its key may be used again.
const ABANDONED_MS = 5 * 60 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

/** JSON with object keys sorted, so that two bodies that mean the same compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * The request's database, whose transactions also mark the key's record in the same commit: a crash between the
 * work's commit and the stored answer leaves a record that says the work happened, so a retry never does it twice.
 */
function markingWork(db: Db, orgId: string, key: string): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'transaction') return Reflect.get(target, prop, target);
      return (<T>(fn: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<T>) =>
        target.transaction(async (tx) => {
          const result = await fn(tx);
          await tx
            .update(idempotencyKeys)
            .set({ workCommitted: true })
            .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)));
          return result;
        })) as Db['transaction'];
    },
  });
}

/** Idempotency-Key on any POST: replay the first response, refuse another body (422) or a concurrent retry (409). */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotencyKey', null);

  // Before validation, so that a 400 for a bad body is stored and replayed like any other 4xx.
  app.addHook('preValidation', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.ctx) return;
    if (key.length === 0 || key.length > 255)
      throw invalid('idempotency_key_invalid', 'Idempotency-Key must be 1 to 255 characters.', 'Idempotency-Key');
    const orgId = req.ctx.orgId;
    const requestHash = sha256(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`);
    const now = req.ctx.clock.now();
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.orgId, orgId),
          eq(idempotencyKeys.key, key),
          lt(idempotencyKeys.createdAt, new Date(now.getTime() - KEY_LIFETIME_MS)),
        ),
      );
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ orgId, key, requestHash, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      req.idempotencyKey = key;
      req.ctx = { ...req.ctx, db: markingWork(req.ctx.db, orgId, key) };
      return;
    }
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)));
    if (!row)
      throw new DomainError(
        'idempotency_in_progress',
        'idempotency_key_in_use',
        'Retry: the first request with this Idempotency-Key just finished.',
      );
    if (row.requestHash !== requestHash)
      throw new DomainError(
        'idempotency_mismatch',
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request body.',
        'Idempotency-Key',
      );
    if (row.statusCode === null) {
      const abandoned = now.getTime() - row.createdAt.getTime() > ABANDONED_MS;
      // The work committed but its process died before the answer was stored: never run it again.
      if (abandoned && row.workCommitted)
        throw new DomainError(
          'idempotency_in_progress',
          'idempotency_answer_lost',
          'The first request with this Idempotency-Key was carried out, but its answer was lost; look the result up instead of retrying.',
          'Idempotency-Key',
        );
      if (abandoned) {
        await db
          .delete(idempotencyKeys)
          .where(
            and(
              eq(idempotencyKeys.orgId, orgId),
              eq(idempotencyKeys.key, key),
              sql`${idempotencyKeys.statusCode} is null`,
            ),
          );
        throw new DomainError(
          'idempotency_in_progress',
          'idempotency_key_in_use',
          'The first request with this Idempotency-Key did not finish; retry.',
        );
      }
      throw new DomainError(
        'idempotency_in_progress',
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed.',
        'Idempotency-Key',
      );
    }
    reply.header('idempotent-replayed', 'true').code(row.statusCode).type('application/json');
    return reply.send(row.responseBody);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key) return payload;
    req.idempotencyKey = null;
    const where = and(eq(idempotencyKeys.orgId, req.ctx.orgId), eq(idempotencyKeys.key, key));
    if (reply.statusCode >= 500) await db.delete(idempotencyKeys).where(where);
    else
      await db
        .update(idempotencyKeys)
        .set({ statusCode: reply.statusCode, responseBody: typeof payload === 'string' ? payload : '' })
        .where(where);
    return payload;
  });
}
