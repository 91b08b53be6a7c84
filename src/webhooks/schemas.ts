import { z } from 'zod';
import { ListQuery } from '../platform/schemas';

const EventFilter = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: 'An event type ("invoice.paid"), a prefix ("invoice.*") or "*"' });

export const WebhookEndpointIn = z.object({
  url: z.string().min(1).max(2000),
  description: z.string().max(500).nullish(),
  events: z.array(EventFilter).min(1).max(100),
});
export type WebhookEndpointIn = z.infer<typeof WebhookEndpointIn>;

export const WebhookEndpointPatch = z.object({
  url: z.string().min(1).max(2000).optional(),
  description: z.string().max(500).nullish(),
  events: z.array(EventFilter).min(1).max(100).optional(),
  status: z.enum(['enabled', 'disabled']).optional(),
});
export type WebhookEndpointPatch = z.infer<typeof WebhookEndpointPatch>;

export const WebhookEndpointOut = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  status: z.enum(['enabled', 'disabled']),
  disabled_reason: z.string().nullable(),
  secret: z.string().optional().meta({ description: 'Only in the response that creates or rotates it' }),
  previous_secret_expires_at: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookEndpointOut = z.infer<typeof WebhookEndpointOut>;

const Instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), {
  message: 'Must be an ISO timestamp like "2026-11-16T09:00:00Z".',
});
export const ReplayIn = z.object({ from: Instant, to: Instant });
export type ReplayIn = z.infer<typeof ReplayIn>;
export const ReplayOut = z.object({ queued: z.number().int() });

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);
export const WebhookDeliveryOut = z.object({
  id: z.string(),
  endpoint: z.string(),
  event: z.string(),
  type: z.string(),
  status: DeliveryStatus,
  replay: z.boolean(),
  attempts: z.array(
    z.object({
      at: z.string(),
      status_code: z.number().int().nullable(),
      duration_ms: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookDeliveryOut = z.infer<typeof WebhookDeliveryOut>;

export const DeliveryListQuery = ListQuery.extend({
  endpoint: z.string().max(100).optional(),
  event: z.string().max(100).optional(),
  status: DeliveryStatus.optional(),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;
