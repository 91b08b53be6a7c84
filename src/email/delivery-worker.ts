import { eq, sql } from 'drizzle-orm';
import type { Config } from '../platform/config';
import type { Site } from '../platform/context';
import type { Tx } from '../platform/db';
import type { Outbox, OutboxMessage, OutboxState } from '../platform/outbox';
import { DELIVER_TOPIC } from './outbox-store';
import { isPermanentFailure, Mailer } from './smtp-transport';
import { type Attachment, type EmailStatus, emails } from './tables';

const MAX_ATTEMPTS = 8;

export type AttachmentRenderer = (
  orgId: string,
  a: Attachment,
) => Promise<{ filename: string; content: Buffer; contentType: string }>;

const STATUS: Record<OutboxState['status'], EmailStatus> = {
  processing: 'sending',
  done: 'sent',
  retry: 'queued',
  failed: 'failed',
};

/**
 * Delivers mail: the outbox's handler of `email.deliver`. The outbox claims a message before the SMTP call and
 * retries with backoff; the email row mirrors its state (status, attempts, error). A mail sent again after a crash
 * keeps its Message-ID.
 */
export class Delivery {
  private mailer: Mailer | null;

  constructor(
    private readonly site: Pick<Site, 'db'>,
    private readonly config: Config,
    private readonly render: AttachmentRenderer,
    private readonly outbox: Outbox,
  ) {
    this.mailer = config.smtpUrl ? new Mailer(config.smtpUrl) : null;
    outbox.define(
      DELIVER_TOPIC,
      {
        run: (msg) => this.deliver(msg.payload.email),
        onState: (tx, msg, state) => this.mirror(tx, msg, state),
        isPermanent: isPermanentFailure,
      },
      // Only a process that has SMTP delivers; another (e.g. a worker without SMTP_URL) leaves the mail queued.
      { work: this.mailer !== null, maxAttempts: MAX_ATTEMPTS },
    );
  }

  /** Sends every due mail; returns how many were sent. */
  async drain(): Promise<number> {
    if (!this.mailer) return 0;
    return this.outbox.drain(DELIVER_TOPIC);
  }

  private async mirror(tx: Tx, msg: OutboxMessage<typeof DELIVER_TOPIC>, state: OutboxState): Promise<void> {
    await tx
      .update(emails)
      .set({
        status: STATUS[state.status],
        attempts: state.attempts,
        ...(state.status === 'done' ? { sentAt: state.at, error: null } : {}),
        ...(state.status === 'retry' || state.status === 'failed' ? { error: state.error } : {}),
      })
      .where(eq(emails.id, msg.payload.email));
  }

  private async deliver(id: string): Promise<void> {
    if (!this.mailer) throw new Error('SMTP is not configured.');
    const [row] = await this.site.db.select().from(emails).where(eq(emails.id, id));
    if (!row) return;
    const attachments = await Promise.all(row.attachments.map((a) => this.render(row.orgId, a)));
    const from = await this.sender(row.orgId);
    await this.mailer.send({
      from,
      to: row.to,
      cc: row.cc,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody,
      messageId: row.messageId,
      attachments,
    });
  }

  private async sender(orgId: string): Promise<string> {
    const result = (await this.site.db.execute(
      sql`select name, settings->>'email' as email from organizations where id = ${orgId}`,
    )) as unknown as {
      rows: { name: string; email: string | null }[];
    };
    const org = result.rows[0];
    const address = org?.email ?? `no-reply@${new URL(this.config.publicUrl).hostname}`;
    return `"${(org?.name ?? 'Arbor').replace(/"/g, '')}" <${address}>`;
  }

  close(): void {
    this.mailer?.close();
    this.mailer = null;
  }
}
