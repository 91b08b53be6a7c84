import type { Clock } from '../platform/clock';
import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import { enqueue } from '../platform/outbox';
import { type Attachment, emails } from './tables';

export type EmailRow = typeof emails.$inferSelect;
export type { Attachment } from './tables';

export const DELIVER_TOPIC = 'email.deliver';

declare module '../platform/outbox' {
  interface OutboxTopics {
    'email.deliver': { email: string };
  }
}

/**
 * Writes a mail in the caller's transaction and queues its delivery in the outbox (due at once, sent after
 * commit); without SMTP it is kept locally, marked as not sent.
 */
export async function enqueueEmail(
  tx: Queryable,
  ctx: { clock: Clock },
  mail: {
    orgId: string;
    customerId: string | null;
    invoiceId: string | null;
    kind: string;
    to: string[];
    cc: string[];
    subject: string;
    text: string;
    html: string;
    attachments: Attachment[];
    smtpConfigured: boolean;
    messageDomain: string;
  },
): Promise<EmailRow> {
  const id = newId('em');
  const [row] = await tx
    .insert(emails)
    .values({
      id,
      orgId: mail.orgId,
      customerId: mail.customerId,
      invoiceId: mail.invoiceId,
      kind: mail.kind,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      attachments: mail.attachments,
      messageId: `<${id}@${mail.messageDomain}>`,
      status: mail.smtpConfigured ? 'queued' : 'local',
      createdAt: ctx.clock.now(),
    })
    .returning();
  if (mail.smtpConfigured)
    await enqueue(tx, ctx, { orgId: mail.orgId, topic: DELIVER_TOPIC, key: id, payload: { email: id } });
  return row!;
}
