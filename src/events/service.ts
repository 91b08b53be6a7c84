import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { RequestContext } from '../platform/context';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { events } from '../platform/tables';

export type EventRow = typeof events.$inferSelect;

export async function listEvents(
  ctx: RequestContext,
  query: PageQuery & { type?: string | undefined; object?: string | undefined },
) {
  const cursor = await afterCursor(ctx.db, events, ctx.orgId, query.starting_after);
  const conditions: (SQL | undefined)[] = [eq(events.orgId, ctx.orgId), cursor];
  if (query.type) conditions.push(eq(events.type, query.type));
  if (query.object) conditions.push(eq(events.objectId, query.object));
  const rows = await ctx.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}
