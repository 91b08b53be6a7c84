import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import { events } from '../platform/tables';

/** The events of an import's rows, written in batches in the import's transaction. */
export async function insertEvents(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  list: { type: string; object: { type: string; id: string }; data: Record<string, unknown> }[],
): Promise<void> {
  const now = ctx.clock.now();
  const values = list.map((e) => ({
    id: newId('evt'),
    orgId: ctx.orgId,
    createdAt: now,
    type: e.type,
    objectType: e.object.type,
    objectId: e.object.id,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    data: e.data,
  }));
  for (let i = 0; i < values.length; i += 500) await tx.insert(events).values(values.slice(i, i + 500));
}
