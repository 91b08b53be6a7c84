import { date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, organizations, users } from '../platform/tables';

/** A rep's call, email, meeting, task or note, owned by a user and about a lead, opportunity, customer or invoice. */
export const activities = pgTable(
  'activities',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    body: text('body'),
    dueDate: date('due_date', { mode: 'string' }),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    ownerId: text('owner_id').references(() => users.id),
    relatedType: text('related_type'),
    relatedId: text('related_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('activities_org_idx').on(t.orgId, t.createdAt),
    // "My day": one owner's open activities by due date.
    index('activities_owner_idx').on(t.ownerId, t.orgId, t.dueDate),
    // A record's page lists its activities; the worklist reads the latest per invoice.
    index('activities_related_idx').on(t.relatedId, t.orgId),
  ],
);
