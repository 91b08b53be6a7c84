import { z } from 'zod';
import type { EventRow } from './service';

export const EventOut = z.object({
  id: z.string(),
  type: z.string(),
  object: z.object({ type: z.string(), id: z.string() }),
  actor: z.object({ type: z.enum(['user', 'api_key', 'system', 'public']), id: z.string().nullable() }),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const EventListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  type: z.string().max(100).optional(),
  object: z.string().max(100).optional(),
  customer: z.string().max(100).optional().meta({
    description:
      "The customer's timeline: its own events and those of its invoices, payments, credit notes, quotes, orders, subscriptions and contacts",
  }),
});

export const eventOut = (e: EventRow): z.infer<typeof EventOut> => ({
  id: e.id,
  type: e.type,
  object: { type: e.objectType, id: e.objectId },
  actor: { type: e.actorType as z.infer<typeof EventOut>['actor']['type'], id: e.actorId },
  at: e.createdAt.toISOString(),
  data: e.data as Record<string, unknown>,
});
