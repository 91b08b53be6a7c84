import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { RequestContext } from '../platform/context';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { events } from '../platform/tables';

export type EventRow = typeof events.$inferSelect;

// Documents that belong to a customer: their events make up the customer's timeline.
const CUSTOMER_DOCUMENTS = ['invoices', 'payments', 'credit_notes', 'quotes', 'orders', 'subscriptions', 'contacts'];

/** Events of the customer itself and of every document that belongs to it. */
function concernsCustomer(orgId: string, customerId: string): SQL {
  const documents = sql.join(
    CUSTOMER_DOCUMENTS.map(
      (t) => sql`select id from ${sql.identifier(t)} where org_id = ${orgId} and customer_id = ${customerId}`,
    ),
    sql` union all `,
  );
  return sql`(${events.objectId} = ${customerId} or ${events.objectId} in (${documents}))`;
}

export async function listEvents(
  ctx: RequestContext,
  query: PageQuery & { type?: string | undefined; object?: string | undefined; customer?: string | undefined },
) {
  const cursor = await afterCursor(ctx.db, events, ctx.orgId, query.starting_after);
  const conditions: (SQL | undefined)[] = [eq(events.orgId, ctx.orgId), cursor];
  if (query.type) conditions.push(eq(events.type, query.type));
  if (query.object) conditions.push(eq(events.objectId, query.object));
  if (query.customer) conditions.push(concernsCustomer(ctx.orgId, query.customer));
  const rows = await ctx.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}
