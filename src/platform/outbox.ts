import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from './clock';
import type { Database, Queryable, Tx } from './db';
import { newId } from './ids';
import type { Jobs } from './jobs';
import { outbox } from './tables';

/**
 * The transactional outbox: one way for work to leave the system after a change commits.
 *
 *   Producer, inside the use case's transaction:
 *     await enqueue(tx, ctx, { orgId, topic: 'email.deliver', key: email.id, payload: { email: email.id } });
 *   Consumer, once per process (see job-handlers.ts):
 *     outbox.define('email.deliver', { run: async (msg) => send(msg.payload), onState, isPermanent }, { work });
 *
 * A topic's payload type is declared by augmenting `OutboxTopics` next to its handler:
 *     declare module '../platform/outbox' { interface OutboxTopics { 'webhook.deliver': { endpoint: string } } }
 *
 * Commit wakes the worker (NOTIFY is delivered on commit, never for a rolled back change): nothing is sent by hand
 * after commit. A message is claimed (processing, attempt counted, locked) in its own transaction before the side
 * effect; a crash after that leaves it locked and it runs again once the lock expires, so a handler must tolerate
 * a second run of the same message (`key` identifies it). Failures are retried with backoff from the Clock.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by each topic's module
export interface OutboxTopics {}
export type Topic = keyof OutboxTopics & string;

export interface OutboxMessage<T extends Topic = Topic> {
  id: string;
  orgId: string;
  topic: T;
  key: string;
  payload: OutboxTopics[T];
  /** Attempts so far, this one included. */
  attempts: number;
}

export type OutboxState =
  | { status: 'processing'; attempts: number }
  | { status: 'done'; attempts: number; at: Date }
  | { status: 'retry'; attempts: number; error: string; availableAt: Date }
  | { status: 'failed'; attempts: number; error: string };

export interface OutboxHandler<T extends Topic> {
  /** The side effect, after the claim committed. Throws to be retried later. */
  run(msg: OutboxMessage<T>): Promise<void>;
  /** Mirrors the message's state into the topic's own rows, in the transaction that changes the message. */
  onState?(tx: Tx, msg: OutboxMessage<T>, state: OutboxState): Promise<void>;
  /** An error that retrying cannot fix: the message fails at once. */
  isPermanent?(err: unknown): boolean;
}

export interface TopicOptions {
  /** False: this process queues the topic's messages but leaves the work to processes that can do it. */
  work?: boolean;
  maxAttempts?: number;
  lockSeconds?: number;
}

const CHANNEL = 'arbor_outbox';
const jobName = (topic: string) => `outbox:${topic}`;

/** Backoff between attempts: 30 s, 1 min, 2 min, ... capped at 1 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

/** Queues a message in the caller's transaction; it becomes due at `availableAt` (default: now). */
export async function enqueue<T extends Topic>(
  tx: Queryable,
  ctx: { clock: Clock },
  msg: { orgId: string; topic: T; key: string; payload: OutboxTopics[T]; availableAt?: Date },
): Promise<void> {
  const now = ctx.clock.now();
  await tx.insert(outbox).values({
    id: newId('obx'),
    orgId: msg.orgId,
    topic: msg.topic,
    key: msg.key,
    payload: msg.payload,
    status: 'pending',
    availableAt: msg.availableAt ?? now,
    createdAt: now,
  });
  await tx.execute(sql`select pg_notify(${CHANNEL}, ${msg.topic})`);
}

interface Definition {
  handler: OutboxHandler<Topic>;
  maxAttempts: number;
  lockSeconds: number;
}

/** The worker side: handlers per topic, run through the process's job runner when a commit wakes them. */
export class Outbox {
  private readonly defs = new Map<string, Definition>();
  private unlisten: (() => Promise<void>) | null = null;
  private tick: NodeJS.Timeout | null = null;

  constructor(
    private readonly site: { db: Database['db']; clock: Clock },
    private readonly jobs: Jobs,
  ) {}

  define<T extends Topic>(topic: T, handler: OutboxHandler<T>, opts: TopicOptions = {}): void {
    this.defs.set(topic, {
      handler: handler as unknown as OutboxHandler<Topic>,
      maxAttempts: opts.maxAttempts ?? 8,
      lockSeconds: opts.lockSeconds ?? 120,
    });
    this.jobs.define(jobName(topic), async () => void (await this.drain(topic)), { work: opts.work ?? true });
  }

  /** Wakes the workers on commit (LISTEN), and every `pollMs` for retries and messages left by a crash. */
  async start(database: Pick<Database, 'listen'>, opts: { pollMs: number | null }): Promise<void> {
    this.unlisten = await database.listen(CHANNEL, (topic) => void this.wake(topic));
    if (opts.pollMs !== null) {
      this.tick = setInterval(() => {
        for (const topic of this.defs.keys()) void this.wake(topic, true);
      }, opts.pollMs);
      this.tick.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    await this.unlisten?.();
    this.unlisten = null;
  }

  private async wake(topic: string, coalesce = false): Promise<void> {
    if (!this.defs.has(topic)) return;
    await this.jobs.send(jobName(topic), {}, coalesce ? { singletonKey: 'drain' } : {}).catch(() => {});
  }

  /** Runs every due message of a topic; returns how many succeeded. */
  async drain(topic: Topic): Promise<number> {
    const def = this.defs.get(topic);
    if (!def) throw new Error(`No outbox handler for ${topic}.`);
    let done = 0;
    for (let msg = await this.claim(topic, def); msg; msg = await this.claim(topic, def)) {
      if (await this.run(msg, def)) done++;
    }
    return done;
  }

  private async claim(topic: string, def: Definition): Promise<OutboxMessage | null> {
    const { db, clock } = this.site;
    return db.transaction(async (tx) => {
      const now = clock.now();
      const lockedUntil = new Date(now.getTime() + def.lockSeconds * 1000);
      const [row] = await tx
        .update(outbox)
        .set({ status: 'processing', attempts: sql`${outbox.attempts} + 1`, lockedUntil })
        .where(
          eq(
            outbox.id,
            sql`(select id from outbox
                 where topic = ${topic}
                   and ((status = 'pending' and available_at <= ${now}) or (status = 'processing' and locked_until < ${now}))
                 order by available_at, id limit 1 for update skip locked)`,
          ),
        )
        .returning();
      if (!row) return null;
      const msg = toMessage(row);
      await def.handler.onState?.(tx, msg, { status: 'processing', attempts: msg.attempts });
      return msg;
    });
  }

  private async run(msg: OutboxMessage, def: Definition): Promise<boolean> {
    const { db, clock } = this.site;
    let failure: unknown = null;
    try {
      await def.handler.run(msg);
    } catch (err) {
      failure = err ?? new Error('failed');
    }
    await db.transaction(async (tx) => {
      const at = clock.now();
      let state: OutboxState;
      if (failure === null) {
        state = { status: 'done', attempts: msg.attempts, at };
        await tx
          .update(outbox)
          .set({ status: 'done', doneAt: at, lockedUntil: null, error: null })
          .where(and(eq(outbox.id, msg.id)));
      } else {
        const error = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
        const final = msg.attempts >= def.maxAttempts || (def.handler.isPermanent?.(failure) ?? false);
        const availableAt = new Date(at.getTime() + retryDelaySeconds(msg.attempts) * 1000);
        state = final
          ? { status: 'failed', attempts: msg.attempts, error }
          : { status: 'retry', attempts: msg.attempts, error, availableAt };
        await tx
          .update(outbox)
          .set({ status: final ? 'failed' : 'pending', error, lockedUntil: null, availableAt })
          .where(eq(outbox.id, msg.id));
      }
      await def.handler.onState?.(tx, msg, state);
    });
    return failure === null;
  }
}

function toMessage(row: typeof outbox.$inferSelect): OutboxMessage {
  return {
    id: row.id,
    orgId: row.orgId,
    topic: row.topic as Topic,
    key: row.key,
    payload: row.payload as OutboxTopics[Topic],
    attempts: row.attempts,
  };
}
