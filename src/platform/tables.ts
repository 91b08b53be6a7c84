import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// node-postgres returns a Buffer, PGlite a plain Uint8Array (which pdfkit would take for a file path):
// every reader gets a Buffer.
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) =>
    Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

// No database default: every timestamp Arbor writes comes from its Clock (tests pin it; the database's now() would not follow).
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull();

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  settings: jsonb('settings').notNull(),
  reminderPolicy: jsonb('reminder_policy'),
  emailTemplates: jsonb('email_templates'),
  logo: bytea('logo'),
  logoType: text('logo_type'),
  createdAt: createdAt(),
});

// A person may be a user of several organizations; within one, an email is one user.
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    email: text('email').notNull(),
    name: text('name'),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_org_email_unique').on(t.orgId, t.email), index('users_email_idx').on(t.email)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    role: text('role').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    hint: text('hint').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('api_keys_org_idx').on(t.orgId, t.createdAt)],
);

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    type: text('type').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('events_org_idx').on(t.orgId, t.createdAt), index('events_object_idx').on(t.orgId, t.objectId)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    orgId: text('org_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: text('response_body'),
    /** Set inside the transaction of the request's work: the work happened even if the answer was never stored. */
    workCommitted: boolean('work_committed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.key] })],
);

/**
 * The transactional outbox: work that leaves the system (a mail, a webhook) is written here in the same transaction
 * as the change that causes it, and done by a worker after commit (see outbox.ts). `processing` with an expired
 * lock means a crash left it unknown whether the side effect happened: it is done again.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    topic: text('topic').notNull(),
    /** What the message is about (e.g. the email's id): the handler's idempotency key. */
    key: text('key').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    status: text('status').$type<'pending' | 'processing' | 'done' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true, mode: 'date' }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_due_idx').on(t.topic, t.availableAt).where(sql`status in ('pending', 'processing')`),
    index('outbox_key_idx').on(t.topic, t.key),
  ],
);
