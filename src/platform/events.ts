import type { RequestContext } from './context';
import type { Queryable } from './db';
import type { EventCatalog, EventData, EventType } from './event-catalog';
import { newId } from './ids';
import { events } from './tables';

export type { EventCatalog, EventData, EventType } from './event-catalog';

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
  await tx.insert(events).values({
    id: newId('evt'),
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    type,
    objectType: object.type,
    objectId: object.id,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    data: data ?? {},
  });
}
