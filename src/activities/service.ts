import { and, desc, eq, gte, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { leads } from '../leads/tables';
import { opportunities } from '../pipeline/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { users } from '../platform/tables';
import type { ActivityIn, ActivityListQuery, ActivityPatch, ActivityRow, RelatedType } from './schemas';
import { activities } from './tables';

type Ctx = Pick<RequestContext, 'orgId' | 'actor' | 'clock'>;

/** Sales reps change only their own activities (a sales API key, acting for no user, owns none); finance and admin all. */
function assertMayChange(ctx: RequestContext, activity: Pick<ActivityRow, 'ownerId'>): void {
  if (ctx.role === 'sales' && (ctx.userId === null || activity.ownerId !== ctx.userId))
    throw forbidden('Sales reps may change only their own activities.');
}

async function assertOwnerInOrg(q: Queryable, orgId: string, owner: string | null | undefined): Promise<void> {
  if (!owner) return;
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, owner), eq(users.orgId, orgId)));
  if (!row) throw unprocessable('owner_not_found', `No user ${owner} in this organization.`, 'owner');
}

/** The records an activity can be about: each table has `id` and `org_id`. */
const RELATED_TABLES = { customer: customers, invoice: invoices, lead: leads, opportunity: opportunities } as const;

async function assertRelatedInOrg(
  q: Queryable,
  orgId: string,
  related: { type: RelatedType; id: string } | null | undefined,
): Promise<void> {
  if (!related) return;
  const table = RELATED_TABLES[related.type];
  const found = await q
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, related.id), eq(table.orgId, orgId)));
  if (found.length === 0)
    throw unprocessable('related_not_found', `No ${related.type} ${related.id} in this organization.`, 'related.id');
}

export async function getActivity(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), eq(activities.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('activity', id);
  return row;
}

export async function createActivity(ctx: RequestContext, input: ActivityIn): Promise<ActivityRow> {
  return ctx.db.transaction((tx) => createActivityIn(tx, ctx, input));
}

/** createActivity, in the caller's transaction. The owner defaults to the creating user; an API key owns nothing. */
export async function createActivityIn(tx: Tx, ctx: RequestContext, input: ActivityIn): Promise<ActivityRow> {
  const owner = input.owner === undefined ? ctx.userId : input.owner;
  if (ctx.role === 'sales' && owner !== null && owner !== ctx.userId)
    throw forbidden('Sales reps create activities for themselves; a sales API key, acting for no user, owns none.');
  return insertActivity(tx, ctx, { ...input, owner }, ctx.userId);
}

/** An activity Arbor gives someone (a broken promise's task): no role check, the owner as given. */
export async function assignTaskIn(
  tx: Queryable,
  ctx: Ctx,
  input: {
    subject: string;
    body?: string | null;
    due_date: string;
    owner: string | null;
    related: ActivityIn['related'];
  },
): Promise<ActivityRow> {
  return insertActivity(tx, ctx, { type: 'task', ...input }, null);
}

async function insertActivity(
  tx: Queryable,
  ctx: Ctx,
  input: ActivityIn & { owner: string | null },
  createdBy: string | null,
): Promise<ActivityRow> {
  await assertOwnerInOrg(tx, ctx.orgId, input.owner);
  await assertRelatedInOrg(tx, ctx.orgId, input.related);
  const [row] = await tx
    .insert(activities)
    .values({
      id: newId('act'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      type: input.type,
      subject: input.subject,
      body: input.body ?? null,
      dueDate: input.due_date ?? null,
      ownerId: input.owner,
      relatedType: input.related?.type ?? null,
      relatedId: input.related?.id ?? null,
      createdBy: createdBy ?? (ctx.actor.type === 'api_key' ? ctx.actor.id : null),
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'activity.created',
    { type: 'activity', id: row!.id },
    { type: row!.type, owner: row!.ownerId, related: input.related ?? null, due_date: row!.dueDate },
  );
  return row!;
}

export async function updateActivity(ctx: RequestContext, id: string, patch: ActivityPatch): Promise<ActivityRow> {
  return ctx.db.transaction((tx) => updateActivityIn(tx, ctx, id, patch));
}

/** updateActivity, in the caller's transaction. `done` true completes it (activity.completed), false reopens it. */
export async function updateActivityIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: ActivityPatch,
): Promise<ActivityRow> {
  const before = await getActivity(tx, ctx, id, true);
  assertMayChange(ctx, before);
  if (patch.owner !== undefined && patch.owner !== before.ownerId) {
    if (ctx.role === 'sales') throw forbidden('Sales reps may not give an activity away.');
    await assertOwnerInOrg(tx, ctx.orgId, patch.owner);
  }
  if (patch.related !== undefined) await assertRelatedInOrg(tx, ctx.orgId, patch.related);
  const set: Partial<typeof activities.$inferInsert> = {};
  if (patch.type !== undefined) set.type = patch.type;
  if (patch.subject !== undefined) set.subject = patch.subject;
  if (patch.body !== undefined) set.body = patch.body;
  if (patch.due_date !== undefined) set.dueDate = patch.due_date;
  if (patch.owner !== undefined) set.ownerId = patch.owner;
  if (patch.related !== undefined) {
    set.relatedType = patch.related?.type ?? null;
    set.relatedId = patch.related?.id ?? null;
  }
  const completes = patch.done === true && before.doneAt === null;
  if (completes) set.doneAt = ctx.clock.now();
  if (patch.done === false && before.doneAt !== null) set.doneAt = null;
  if (Object.keys(set).length === 0) return before; // an empty patch changes nothing
  const [row] = await tx.update(activities).set(set).where(eq(activities.id, id)).returning();
  if (completes && Object.keys(set).length === 1)
    await recordEvent(tx, ctx, 'activity.completed', { type: 'activity', id }, { owner: row!.ownerId });
  else await recordEvent(tx, ctx, 'activity.updated', { type: 'activity', id }, { changed: Object.keys(set) });
  return row!;
}

export async function completeActivity(ctx: RequestContext, id: string): Promise<ActivityRow> {
  return ctx.db.transaction((tx) => completeActivityIn(tx, ctx, id));
}

/** completeActivity, in the caller's transaction; an activity is done once (409 after). */
export async function completeActivityIn(tx: Tx, ctx: RequestContext, id: string): Promise<ActivityRow> {
  const before = await getActivity(tx, ctx, id, true);
  assertMayChange(ctx, before);
  if (before.doneAt !== null)
    throw conflict('activity_already_done', `This activity was done at ${before.doneAt.toISOString()}.`);
  const [row] = await tx.update(activities).set({ doneAt: ctx.clock.now() }).where(eq(activities.id, id)).returning();
  await recordEvent(tx, ctx, 'activity.completed', { type: 'activity', id }, { owner: row!.ownerId });
  return row!;
}

/** `related` is an id or `type:id`. `owner=me` is the signed-in user (an API key: nobody, so an empty list). */
export async function listActivities(ctx: RequestContext, query: ActivityListQuery) {
  const cursor = await afterCursor(ctx.db, activities, ctx.orgId, query.starting_after);
  const c: (SQL | undefined)[] = [eq(activities.orgId, ctx.orgId), cursor];
  if (query.owner === 'me') c.push(ctx.userId ? eq(activities.ownerId, ctx.userId) : sql`false`);
  else if (query.owner) c.push(eq(activities.ownerId, query.owner));
  if (query.related) {
    const colon = query.related.indexOf(':');
    if (colon >= 0) {
      c.push(eq(activities.relatedType, query.related.slice(0, colon)));
      c.push(eq(activities.relatedId, query.related.slice(colon + 1)));
    } else c.push(eq(activities.relatedId, query.related));
  }
  if (query.type) c.push(eq(activities.type, query.type));
  if (query.done === 'true') c.push(isNotNull(activities.doneAt));
  if (query.done === 'false') c.push(isNull(activities.doneAt));
  if (query['due_date[lte]']) c.push(lte(activities.dueDate, query['due_date[lte]']));
  if (query['due_date[gte]']) c.push(gte(activities.dueDate, query['due_date[gte]']));
  const rows = await ctx.db
    .select()
    .from(activities)
    .where(and(...c))
    .orderBy(desc(activities.createdAt), desc(activities.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}
