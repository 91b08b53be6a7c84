import { and, eq } from 'drizzle-orm';
import { enqueueEmail } from '../email/outbox-store';
import type { Clock } from '../platform/clock';
import type { Queryable } from '../platform/db';
import { recordEvent } from '../platform/events';
import { users } from '../platform/tables';
import { webhookDeliveries, webhookEndpoints } from './tables';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** Disables an endpoint: its pending deliveries fail, the event is written, and for `failing` the admins are emailed. */
export async function disableEndpoint(
  tx: Queryable,
  ctx: { orgId: string; clock: Clock; actor: { type: 'user' | 'api_key' | 'system' | 'public'; id: string | null } },
  endpoint: EndpointRow,
  reason: string,
  mail: { smtpConfigured: boolean; messageDomain: string } | null,
): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ status: 'disabled', disabledReason: reason })
    .where(eq(webhookEndpoints.id, endpoint.id));
  await tx
    .update(webhookDeliveries)
    .set({ status: 'failed', nextAttemptAt: null, lockedUntil: null })
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, 'pending')));
  await recordEvent(tx, ctx, 'webhook_endpoint.disabled', { type: 'webhook_endpoint', id: endpoint.id }, { reason });
  if (!mail) return;
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.orgId, endpoint.orgId), eq(users.role, 'admin'), eq(users.active, true)));
  const to = admins.map((a) => a.email);
  if (to.length === 0) return;
  const text = [
    `Arbor disabled the webhook endpoint ${endpoint.url} (${endpoint.id}): every attempt to deliver to it has failed for 5 days.`,
    '',
    'Fix the receiver, then enable the endpoint again in Settings → Webhooks and retry the failed deliveries there.',
  ].join('\n');
  await enqueueEmail(tx, ctx, {
    orgId: endpoint.orgId,
    customerId: null,
    invoiceId: null,
    kind: 'webhook_endpoint_disabled',
    to,
    cc: [],
    subject: `Webhook endpoint disabled: ${endpoint.url}`,
    text,
    html: `<p>${escapeHtml(text).replaceAll('\n', '<br>')}</p>`,
    attachments: [],
    smtpConfigured: mail.smtpConfigured,
    messageDomain: mail.messageDomain,
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
