import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { conflict, invalid, notFound } from '../platform/errors';
import { EVENT_TYPES, type EventType } from '../platform/event-catalog';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { events } from '../platform/tables';
import { disableEndpoint, type EndpointRow } from './endpoint-store';
import { isLocalName, resolveHost } from './http-transport';
import { eventBody, queueAttempt, queueDelivery } from './queue-store';
import { addressAllowed, literalIp, subscribes, unknownFilters } from './rules';
import type { DeliveryListQuery, ReplayIn, WebhookEndpointIn, WebhookEndpointPatch } from './schemas';
import { webhookDeliveries, webhookEndpoints } from './tables';

export type { DeliveryRow } from './view';

import type { DeliveryRow } from './view';
export interface WebhookOptions {
  allowPrivate: boolean;
}

/** The old secret keeps signing beside the new one this long after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export { deliveryOut, endpointOut } from './view';

/** "whsec_" + base64 of 32 random bytes (Standard Webhooks). */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const notAllowed = (message: string) => invalid('url_not_allowed', message, 'url');

/**
 * Refuses a URL that is not http(s) or points at a non-public address: a literal IP, `localhost`, or a name whose DNS
 * answer holds one. A name that does not resolve is accepted (it is checked again at every delivery).
 */
export async function checkUrl(url: string, opts: WebhookOptions): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('invalid_url', 'Give a full URL, like "https://example.com/webhooks".', 'url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw notAllowed('Webhook URLs must start with https:// (or http://).');
  if (u.username || u.password) throw invalid('invalid_url', 'Put no user name or password in the URL.', 'url');
  if (opts.allowPrivate) return u.toString();
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const refused = () =>
    notAllowed(`${host} is not a public address: webhooks cannot reach loopback, private or link-local addresses.`);
  if (isLocalName(host)) throw refused();
  if (literalIp(host)) {
    if (!addressAllowed(literalIp(host)!)) throw refused();
    return u.toString();
  }
  const resolved = await resolveHost(host);
  if (resolved?.some((a) => !addressAllowed(a.address))) throw refused();
  return u.toString();
}

function checkEvents(filters: string[]): string[] {
  const unknown = unknownFilters(filters, EVENT_TYPES);
  if (unknown.length > 0)
    throw invalid(
      'unknown_event_type',
      `Unknown event type ${unknown.map((u) => `"${u}"`).join(', ')}: use a type like "invoice.paid", a prefix like "invoice.*", or "*".`,
      'events',
    );
  return [...new Set(filters)];
}

async function findEndpoint(q: Queryable, orgId: string, id: string, lock = false): Promise<EndpointRow> {
  const query = q
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('webhook_endpoint', id);
  return row;
}

export async function createEndpoint(ctx: RequestContext, input: WebhookEndpointIn, opts: WebhookOptions) {
  const url = await checkUrl(input.url, opts);
  const filters = checkEvents(input.events);
  const secret = newSecret();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id: newId('we'),
        orgId: ctx.orgId,
        url,
        description: input.description ?? null,
        events: filters,
        status: 'enabled',
        secret,
        createdAt: ctx.clock.now(),
      })
      .returning();
    await recordEvent(
      tx,
      ctx,
      'webhook_endpoint.created',
      { type: 'webhook_endpoint', id: row!.id },
      {
        url,
        events: filters,
      },
    );
    return { row: row!, secret };
  });
}

export async function listEndpoints(ctx: RequestContext, q: PageQuery) {
  const cursor = await afterCursor(ctx.db, webhookEndpoints, ctx.orgId, q.starting_after);
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), cursor))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}

export function getEndpoint(ctx: RequestContext, id: string) {
  return findEndpoint(ctx.db, ctx.orgId, id);
}

export async function updateEndpoint(
  ctx: RequestContext,
  id: string,
  patch: WebhookEndpointPatch,
  opts: WebhookOptions,
) {
  await findEndpoint(ctx.db, ctx.orgId, id);
  const url = patch.url !== undefined ? await checkUrl(patch.url, opts) : undefined;
  const filters = patch.events !== undefined ? checkEvents(patch.events) : undefined;
  return ctx.db.transaction(async (tx) => {
    const before = await findEndpoint(tx, ctx.orgId, id, true);
    const set: Partial<typeof webhookEndpoints.$inferInsert> = {};
    if (url !== undefined && url !== before.url) set.url = url;
    if (patch.description !== undefined && (patch.description ?? null) !== before.description)
      set.description = patch.description ?? null;
    if (filters !== undefined && JSON.stringify(filters) !== JSON.stringify(before.events)) set.events = filters;
    if (patch.status === 'enabled' && before.status !== 'enabled')
      Object.assign(set, { status: 'enabled', disabledReason: null, failingSince: null });
    const disabling = patch.status === 'disabled' && before.status !== 'disabled';
    const changed = Object.keys(set);
    if (changed.length > 0) {
      await tx.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id));
      await recordEvent(
        tx,
        ctx,
        'webhook_endpoint.updated',
        { type: 'webhook_endpoint', id },
        {
          changed: changed.map((k) => ({ disabledReason: 'disabled_reason', failingSince: 'failing_since' })[k] ?? k),
        },
      );
    }
    if (disabling) await disableEndpoint(tx, ctx, { ...before, ...set } as EndpointRow, 'disabled_by_user', null);
    return findEndpoint(tx, ctx.orgId, id);
  });
}

export async function deleteEndpoint(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await findEndpoint(tx, ctx.orgId, id, true);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    await recordEvent(tx, ctx, 'webhook_endpoint.deleted', { type: 'webhook_endpoint', id }, { url: row.url });
  });
}

/** A new secret; the current one keeps signing beside it for 24 h (a second `v1,` in `webhook-signature`). */
export async function rotateSecret(ctx: RequestContext, id: string) {
  const secret = newSecret();
  return ctx.db.transaction(async (tx) => {
    const before = await findEndpoint(tx, ctx.orgId, id, true);
    const expires = new Date(ctx.clock.now().getTime() + ROTATION_OVERLAP_MS);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: before.secret, previousSecretExpiresAt: expires })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordEvent(
      tx,
      ctx,
      'webhook_endpoint.secret_rotated',
      { type: 'webhook_endpoint', id },
      {
        previous_expires_at: expires.toISOString(),
      },
    );
    return { row: row!, secret };
  });
}

/** A `webhook_endpoint.test` event to this endpoint only, through the normal delivery; not written to `events`. */
export async function testEndpoint(ctx: RequestContext, id: string): Promise<DeliveryRow> {
  return ctx.db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, ctx.orgId, id);
    if (endpoint.status !== 'enabled')
      throw conflict('webhook_endpoint_disabled', 'Enable the endpoint before sending it a test event.', 'id');
    const event = {
      id: newId('evt'),
      type: 'webhook_endpoint.test' as EventType,
      at: ctx.clock.now(),
      object: { type: 'webhook_endpoint', id },
      data: {},
    };
    const body = await eventBody(tx, ctx, event);
    return queueDelivery(tx, ctx, {
      orgId: ctx.orgId,
      endpointId: id,
      eventId: event.id,
      type: event.type,
      body,
      replay: false,
    });
  });
}

/**
 * Queues again every event of [from, to] (inclusive) that the endpoint subscribes to, with the event's id as
 * `webhook-id`. The body is the one queued when the event was written, if any endpoint got it; else built now.
 */
export async function replay(ctx: RequestContext, id: string, input: ReplayIn): Promise<number> {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (to < from) throw invalid('invalid_window', '`to` must not be before `from`.', 'to');
  return ctx.db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, ctx.orgId, id);
    const rows = await tx
      .select()
      .from(events)
      .where(and(eq(events.orgId, ctx.orgId), gte(events.createdAt, from), lte(events.createdAt, to)))
      .orderBy(events.createdAt, events.id)
      .limit(10_001);
    if (rows.length > 10_000)
      throw invalid('replay_window_too_large', 'Replay at most 10,000 events at a time; shorten the window.', 'to');
    let queued = 0;
    for (const e of rows) {
      if (!subscribes(endpoint.events, e.type)) continue;
      const [stored] = await tx
        .select({ body: webhookDeliveries.body })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.eventId, e.id), eq(webhookDeliveries.orgId, ctx.orgId)))
        .orderBy(webhookDeliveries.createdAt)
        .limit(1);
      const body =
        stored?.body ??
        (await eventBody(tx, ctx, {
          id: e.id,
          type: e.type as EventType,
          at: e.createdAt,
          object: { type: e.objectType, id: e.objectId },
          data: e.data as Record<string, unknown>,
        }));
      await queueDelivery(tx, ctx, {
        orgId: ctx.orgId,
        endpointId: id,
        eventId: e.id,
        type: e.type,
        body,
        replay: true,
      });
      queued++;
    }
    return queued;
  });
}

export async function listDeliveries(ctx: RequestContext, q: DeliveryListQuery) {
  const cursor = await afterCursor(ctx.db, webhookDeliveries, ctx.orgId, q.starting_after);
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, ctx.orgId),
        q.endpoint ? eq(webhookDeliveries.endpointId, q.endpoint) : undefined,
        q.event ? eq(webhookDeliveries.eventId, q.event) : undefined,
        q.status ? eq(webhookDeliveries.status, q.status) : undefined,
        cursor,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}

async function findDelivery(q: Queryable, orgId: string, id: string): Promise<DeliveryRow> {
  const [row] = await q
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.orgId, orgId)));
  if (!row) throw notFound('webhook_delivery', id);
  return row;
}

export function getDelivery(ctx: RequestContext, id: string) {
  return findDelivery(ctx.db, ctx.orgId, id);
}

/** Attempts a delivery again at once (the endpoint must be enabled); the same body and `webhook-id`. */
export async function retryDelivery(ctx: RequestContext, id: string): Promise<DeliveryRow> {
  return ctx.db.transaction(async (tx) => {
    const row = await findDelivery(tx, ctx.orgId, id);
    const endpoint = await findEndpoint(tx, ctx.orgId, row.endpointId);
    if (endpoint.status !== 'enabled')
      throw conflict('webhook_endpoint_disabled', 'Enable the endpoint before retrying its deliveries.', 'id');
    const now = ctx.clock.now();
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: now, lockedUntil: null })
      .where(eq(webhookDeliveries.id, id))
      .returning();
    await queueAttempt(tx, ctx, { orgId: ctx.orgId, id, attempt: row.attempts.length + 1, at: now });
    return updated!;
  });
}
