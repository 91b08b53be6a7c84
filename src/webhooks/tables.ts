import { boolean, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, organizations } from '../platform/tables';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
export interface Attempt {
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

/**
 * Where events are sent. The signing secret is stored as it was issued ("whsec_…"): HMAC needs the key itself, so it
 * cannot be hashed like an API key (the Stripe keys of online payments are kept the same way).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    url: text('url').notNull(),
    description: text('description'),
    events: jsonb('events').$type<string[]>().notNull(),
    status: text('status').$type<'enabled' | 'disabled'>().notNull(),
    disabledReason: text('disabled_reason'),
    secret: text('secret').notNull(),
    /** The secret before the last rotation: it signs beside the new one until `previousSecretExpiresAt`. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: instant('previous_secret_expires_at'),
    /** The first failed attempt after the last success (Clock time); null while the endpoint succeeds. */
    failingSince: instant('failing_since'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId, t.createdAt)],
);

/** One event for one endpoint: the body as queued (byte-identical on every attempt) and every attempt made. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (the `webhook-id`); the test event has no row in `events`. */
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    body: text('body').notNull(),
    replay: boolean('replay').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: jsonb('attempts').$type<Attempt[]>().notNull(),
    nextAttemptAt: instant('next_attempt_at'),
    /** The lease of the attempt in flight: another worker leaves the delivery alone until it expires. */
    lockedUntil: instant('locked_until'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_org_idx').on(t.orgId, t.createdAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.status),
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);
