import { and, eq, sql } from 'drizzle-orm';
import { messageDomain } from '../email/service';
import type { Config } from '../platform/config';
import type { Site } from '../platform/context';
import type { Outbox } from '../platform/outbox';
import { disableEndpoint } from './endpoint-store';
import { postWebhook } from './http-transport';
import { DELIVER_TOPIC, queueAttempt, registerWebhookQueue } from './queue-store';
import { FAILING_LIMIT_MS, nextAttemptAt, outcomeOf, signature } from './rules';
import { type Attempt, webhookDeliveries, webhookEndpoints } from './tables';

/** How long an attempt holds its delivery: longer than the 15 s timeout, short enough to retry within 60 s of a crash. */
const LEASE_MS = 40_000;

/**
 * Delivers webhooks: the outbox's handler of `webhook.deliver`, one message per attempt. The delivery row is the
 * truth (status, attempts, next_attempt_at); the outbox claims messages (SKIP LOCKED), wakes on commit and picks up
 * what a crash left (its lock expires after 30 s). An attempt first leases its delivery, so a stale or duplicate
 * message does nothing.
 */
export class WebhookDeliverer {
  private readonly allowPrivate: boolean;

  constructor(
    private readonly site: Site,
    private readonly config: Config,
    private readonly outbox: Outbox,
  ) {
    this.allowPrivate = config.webhooksAllowPrivate === true;
    registerWebhookQueue(site);
    outbox.define(DELIVER_TOPIC, { run: (msg) => this.attempt(msg.payload) }, { maxAttempts: 3, lockSeconds: 30 });
  }

  /** Makes every due attempt now (the deliverer's tick); returns how many messages ran. */
  drain(): Promise<number> {
    return this.outbox.drain(DELIVER_TOPIC);
  }

  private async attempt({ delivery, attempt }: { delivery: string; attempt: number }): Promise<void> {
    const { db, clock } = this.site;
    const now = clock.now();
    const [leased] = await db
      .update(webhookDeliveries)
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS) })
      .where(
        and(
          eq(webhookDeliveries.id, delivery),
          eq(webhookDeliveries.status, 'pending'),
          sql`jsonb_array_length(${webhookDeliveries.attempts}) = ${attempt - 1}`,
          sql`(${webhookDeliveries.lockedUntil} is null or ${webhookDeliveries.lockedUntil} < ${now})`,
        ),
      )
      .returning();
    if (!leased) return;
    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, leased.endpointId));
    if (endpoint?.status !== 'enabled') {
      await db
        .update(webhookDeliveries)
        .set({ status: 'failed', nextAttemptAt: null, lockedUntil: null })
        .where(eq(webhookDeliveries.id, delivery));
      return;
    }
    const sentAt = clock.now();
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > sentAt)
      secrets.push(endpoint.previousSecret);
    const result = await postWebhook(
      endpoint.url,
      leased.body,
      {
        'webhook-id': leased.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': secrets.map((s) => signature(s, leased.eventId, timestamp, leased.body)).join(' '),
      },
      { allowPrivate: this.allowPrivate },
    );
    await db.transaction(async (tx) => {
      const at = clock.now();
      const attempts: Attempt[] = [
        ...leased.attempts,
        {
          at: sentAt.toISOString(),
          status_code: result.statusCode,
          duration_ms: result.durationMs,
          error: result.error,
        },
      ];
      const outcome = result.error ? 'failed' : outcomeOf(result.statusCode);
      const set = (status: 'pending' | 'succeeded' | 'failed', next: Date | null) =>
        tx
          .update(webhookDeliveries)
          .set({ status, attempts, nextAttemptAt: next, lockedUntil: null })
          .where(eq(webhookDeliveries.id, delivery));
      const ctx = { orgId: endpoint.orgId, clock, actor: { type: 'system' as const, id: null } };
      if (outcome === 'succeeded') {
        await set('succeeded', null);
        if (endpoint.failingSince)
          await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id));
        return;
      }
      if (outcome === 'gone') {
        await set('failed', null);
        await disableEndpoint(tx, ctx, endpoint, 'gone', null);
        return;
      }
      const [current] = await tx
        .update(webhookEndpoints)
        .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${at})` })
        .where(eq(webhookEndpoints.id, endpoint.id))
        .returning();
      const failingSince = current?.failingSince ?? at;
      if (current?.status === 'enabled' && at.getTime() - failingSince.getTime() >= FAILING_LIMIT_MS) {
        await set('failed', null);
        await disableEndpoint(tx, ctx, current, 'failing', {
          smtpConfigured: this.config.smtpUrl !== null,
          messageDomain: messageDomain(this.site.publicUrl),
        });
        return;
      }
      // Counted from the moment the attempt failed (its start plus its duration), whatever the commit waited for.
      const failedAt = new Date(sentAt.getTime() + result.durationMs);
      const next = nextAttemptAt(failedAt, attempts.length, Math.random());
      if (!next) return void (await set('failed', null));
      await set('pending', next);
      await queueAttempt(
        tx,
        { clock },
        { orgId: endpoint.orgId, id: delivery, attempt: attempts.length + 1, at: next },
      );
    });
  }
}
