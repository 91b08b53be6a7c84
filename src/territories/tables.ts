import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, organizations, users } from '../platform/tables';

export const territories = pgTable(
  'territories',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    parentId: text('parent_id').references((): AnyPgColumn => territories.id),
    priority: integer('priority').notNull().default(0),
    /** TerritoryRule[] (rules.ts). */
    rules: jsonb('rules').notNull(),
    /** User ids, in round-robin order. */
    members: jsonb('members').notNull(),
    managerId: text('manager_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('territories_org_idx').on(t.orgId, t.createdAt),
    index('territories_parent_idx').on(t.parentId),
    index('territories_manager_idx').on(t.managerId),
  ],
);

/** Per territory and member, the sequence number of the last record its round robin gave that member. */
export const territoryRoundRobin = pgTable(
  'territory_round_robin',
  {
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    orgId: text('org_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'territory_round_robin_pk', columns: [t.territoryId, t.userId] }),
    index('territory_round_robin_user_idx').on(t.userId),
  ],
);

export const quotas = pgTable(
  'quotas',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    ownerId: text('owner_id').references(() => users.id),
    territoryId: text('territory_id').references(() => territories.id, { onDelete: 'cascade' }),
    /** YYYY-MM, YYYY-Qn or YYYY. */
    period: text('period').notNull(),
    currency: text('currency').notNull(),
    amount: numeric('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('quotas_target_unique').on(
      t.orgId,
      sql`coalesce(${t.ownerId}, '')`,
      sql`coalesce(${t.territoryId}, '')`,
      t.period,
      t.currency,
    ),
    index('quotas_owner_idx').on(t.ownerId),
    index('quotas_territory_idx').on(t.territoryId),
  ],
);
