import type { RequestContext } from './context';
import type { Queryable } from './db';
import type { EventCatalog, EventData, EventType } from './event-catalog';
import { newId } from './ids';
import { events } from './tables';

export type { EventCatalog, EventData, EventType } from './event-catalog';

/** An event as written, handed to the hooks that act on it in the same transaction. */
export interface RecordedEvent {
  id: string;
  orgId: string;
  type: EventType;
  object: { type: string; id: string };
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Work that must happen in the transaction of every event (e.g. queueing webhook deliveries), registered by the
 * capability that owns it when the process is composed (server, worker, command line); platform knows none of them.
 */
export type EventHook = (
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'clock'>,
  event: RecordedEvent,
) => Promise<void>;
const hooks = new Map<string, EventHook>();

/** Registers (or replaces) the hook named `name`; every later `recordEvent` runs it. */
export function registerEventHook(name: string, hook: EventHook): void {
  hooks.set(name, hook);
}

type Args<T extends EventType> =
  EventData<T> extends Record<string, never> ? [data?: EventData<T>] : [data: EventData<T>];

/** Writes the one event of a state change, in the caller's transaction; type and payload come from the catalog. */
export async function recordEvent<T extends EventType>(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  type: T,
  object: { type: EventCatalog[T]['object']; id: string },
  ...[data]: Args<T>
): Promise<void> {
  const event: RecordedEvent = {
    id: newId('evt'),
    orgId: ctx.orgId,
    type,
    object,
    at: ctx.clock.now(),
    data: (data ?? {}) as Record<string, unknown>,
  };
  await tx.insert(events).values({
    id: event.id,
    orgId: ctx.orgId,
    createdAt: event.at,
    type,
    objectType: object.type,
    objectId: object.id,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    data: event.data,
  });
  for (const hook of hooks.values()) await hook(tx, ctx, event);
}
