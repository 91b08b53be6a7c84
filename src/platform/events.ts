import type { RequestContext } from './context';
import type { Queryable } from './db';
import { newId } from './ids';
import { events } from './tables';

/** Writes the one event of a state change, in the caller's transaction. */
export async function recordEvent(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  type: string,
  object: { type: string; id: string },
  data: Record<string, unknown> = {},
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
    data,
  });
}
