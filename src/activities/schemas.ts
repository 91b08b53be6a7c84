import { z } from 'zod';
import { IsoDate } from '../platform/schemas';
import type { activities } from './tables';

export type ActivityRow = typeof activities.$inferSelect;

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'task', 'note'] as const;
export const RELATED_TYPES = ['lead', 'opportunity', 'customer', 'invoice'] as const;
export type RelatedType = (typeof RELATED_TYPES)[number];

const Related = z.object({ type: z.enum(RELATED_TYPES), id: z.string().min(1).max(100) });

export const ActivityIn = z.object({
  type: z.enum(ACTIVITY_TYPES),
  subject: z.string().trim().min(1, 'Must not be empty.').max(500),
  body: z.string().max(20_000).nullish(),
  due_date: IsoDate.nullish(),
  owner: z
    .string()
    .max(100)
    .nullish()
    .meta({ description: 'A user id; defaults to the creating user (an API key owns nothing: null)' }),
  related: Related.nullish(),
});
export type ActivityIn = z.output<typeof ActivityIn>;

export const ActivityPatch = ActivityIn.partial().extend({
  done: z.boolean().optional().meta({ description: 'false reopens a done activity; true marks it done' }),
});
export type ActivityPatch = z.output<typeof ActivityPatch>;

export const ActivityListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  owner: z.string().max(100).optional().meta({ description: 'A user id, or `me` for the signed-in user' }),
  related: z.string().max(200).optional().meta({
    description:
      'The related record: its id (`cus_…`, `inv_…`, `lead_…`, `opp_…`; ids are unique in the instance) or `type:id` (`customer:cus_…`)',
  }),
  type: z.enum(ACTIVITY_TYPES).optional(),
  done: z.enum(['true', 'false']).optional(),
  'due_date[lte]': IsoDate.optional(),
  'due_date[gte]': IsoDate.optional(),
});
export type ActivityListQuery = z.output<typeof ActivityListQuery>;

export const ActivityOut = z.object({
  id: z.string(),
  type: z.enum(ACTIVITY_TYPES),
  subject: z.string(),
  body: z.string().nullable(),
  due_date: z.string().nullable(),
  done_at: z.string().nullable(),
  owner: z.string().nullable(),
  related: Related.nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});

export function activityOut(a: ActivityRow): z.infer<typeof ActivityOut> {
  return {
    id: a.id,
    type: a.type as (typeof ACTIVITY_TYPES)[number],
    subject: a.subject,
    body: a.body,
    due_date: a.dueDate,
    done_at: a.doneAt?.toISOString() ?? null,
    owner: a.ownerId,
    related: a.relatedType && a.relatedId ? { type: a.relatedType as RelatedType, id: a.relatedId } : null,
    created_by: a.createdBy,
    created_at: a.createdAt.toISOString(),
  };
}
