import { and, eq } from 'drizzle-orm';
import type { Clock } from '../platform/clock';
import { dateInZone } from '../platform/context';
import type { Queryable } from '../platform/db';
import { type RecordedEvent, registerEventHook } from '../platform/events';
import { newId } from '../platform/ids';
import { enqueue } from '../platform/outbox';
import { subscribes } from './rules';
import { serializerFor } from './serializer-store';
import { webhookDeliveries, webhookEndpoints } from './tables';

export const DELIVER_TOPIC = 'webhook.deliver';

declare module '../platform/outbox' {
  interface OutboxTopics {
    /** One attempt of a delivery: `attempt` is its number (1 = the first), so a stale message does nothing. */
    'webhook.deliver': { delivery: string; attempt: number };
  }
}

let publicUrl = 'http://localhost:3000';

/**
 * Makes every `recordEvent` of this process queue a delivery, in the event's transaction, for each enabled endpoint
 * of the organization that subscribes to its type. Called by each composition root (server, worker, command line).
 */
export function registerWebhookQueue(site: { publicUrl: string }): void {
  publicUrl = site.publicUrl;
  registerEventHook('webhooks', queueForEvent);
}

type Subscribers = { id: string; events: string[] }[];
/**
 * The enabled endpoints of an organization, read once per transaction: an import writing thousands of events asks
 * once. (A transaction that changes an endpoint does so before its own event, so its first read is current.)
 */
const perTransaction = new WeakMap<object, Map<string, Promise<Subscribers>>>();

function subscribers(tx: Queryable, orgId: string): Promise<Subscribers> {
  const read = () =>
    tx
      .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.status, 'enabled')))
      .then((rows) => rows);
  // Outside a transaction (the database itself) nothing is remembered.
  if (!('rollback' in tx)) return read();
  let byOrg = perTransaction.get(tx);
  if (!byOrg) {
    byOrg = new Map();
    perTransaction.set(tx, byOrg);
  }
  let found = byOrg.get(orgId);
  if (!found) {
    found = read();
    byOrg.set(orgId, found);
  }
  return found;
}

async function queueForEvent(
  tx: Queryable,
  ctx: { orgId: string; clock: Clock; today?: string },
  event: RecordedEvent,
): Promise<void> {
  const endpoints = await subscribers(tx, event.orgId);
  const targets = endpoints.filter((e) => subscribes(e.events, event.type));
  if (targets.length === 0) return;
  const body = await eventBody(tx, { ...ctx, orgId: event.orgId }, event);
  for (const t of targets)
    await queueDelivery(tx, ctx, {
      orgId: event.orgId,
      endpointId: t.id,
      eventId: event.id,
      type: event.type,
      body,
      replay: false,
    });
}

/**
 * The body of an event's delivery, written once and sent byte for byte on every attempt: `data.object` is the object
 * as its GET endpoint shows it now (a registered serializer), else — no serializer, or the object is gone — the
 * object's type and id with the event's data.
 */
export async function eventBody(
  q: Queryable,
  ctx: { orgId: string; clock: Clock; today?: string },
  event: Pick<RecordedEvent, 'id' | 'type' | 'at' | 'object' | 'data'>,
): Promise<string> {
  let object: unknown;
  const serializer = serializerFor(event.object.type);
  if (serializer) {
    const today = ctx.today ?? dateInZone(ctx.clock.now(), 'UTC');
    object = await serializer(q, { orgId: ctx.orgId, today, publicUrl }, event.object.id).catch(() => undefined);
  }
  object ??= { id: event.object.id, object: event.object.type, ...event.data };
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.at.toISOString(), data: { object } });
}

/** A pending delivery and the outbox message of its first attempt (due at once), in the caller's transaction. */
export async function queueDelivery(
  tx: Queryable,
  ctx: { clock: Clock },
  d: { orgId: string; endpointId: string; eventId: string; type: string; body: string; replay: boolean },
): Promise<typeof webhookDeliveries.$inferSelect> {
  const now = ctx.clock.now();
  const id = newId('whd');
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({ id, ...d, status: 'pending', attempts: [], nextAttemptAt: now, createdAt: now })
    .returning();
  await enqueue(tx, ctx, { orgId: d.orgId, topic: DELIVER_TOPIC, key: id, payload: { delivery: id, attempt: 1 } });
  return row!;
}

/** Queues the next attempt of a delivery (`attempt` = attempts made + 1) at `at`. */
export async function queueAttempt(
  tx: Queryable,
  ctx: { clock: Clock },
  d: { orgId: string; id: string; attempt: number; at: Date },
): Promise<void> {
  await enqueue(tx, ctx, {
    orgId: d.orgId,
    topic: DELIVER_TOPIC,
    key: d.id,
    payload: { delivery: d.id, attempt: d.attempt },
    availableAt: d.at,
  });
}
