import type { EndpointRow } from './endpoint-store';
import type { WebhookDeliveryOut, WebhookEndpointOut } from './schemas';
import type { webhookDeliveries } from './tables';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export const endpointOut = (r: EndpointRow, secret?: string): WebhookEndpointOut => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  status: r.status,
  disabled_reason: r.disabledReason,
  ...(secret ? { secret } : {}),
  previous_secret_expires_at: r.previousSecretExpiresAt?.toISOString() ?? null,
  created_at: r.createdAt.toISOString(),
});

export const deliveryOut = (r: DeliveryRow): WebhookDeliveryOut => ({
  id: r.id,
  endpoint: r.endpointId,
  event: r.eventId,
  type: r.type,
  status: r.status,
  replay: r.replay,
  attempts: r.attempts,
  next_attempt_at: r.status === 'pending' ? (r.nextAttemptAt?.toISOString() ?? null) : null,
  created_at: r.createdAt.toISOString(),
});
