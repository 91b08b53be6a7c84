import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { Site } from '../platform/context';
import type { Db } from '../platform/db';
import type { Attachment, EmailRow } from './outbox-store';
import { isPermanentFailure, Mailer } from './smtp-transport';
import { emails } from './tables';

const LOCK_SECONDS = 120;
const MAX_ATTEMPTS = 8;

export type AttachmentRenderer = (
  orgId: string,
  a: Attachment,
) => Promise<{ filename: string; content: Buffer; contentType: string }>;

/** Backoff between attempts: 30 s, 1 min, 2 min, ... capped at 1 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers due mails from the outbox. A mail is claimed (status sending, attempt counted, locked) in its own
 * transaction before the SMTP call; a crash after that leaves it locked, and once the lock expires it is sent again
 * with the same Message-ID — the only case of a second send.
 */
export class Delivery {
  private mailer: Mailer | null;

  private readonly db: Db;
  private readonly clock: Clock;

  constructor(
    site: Pick<Site, 'db' | 'clock'>,
    private readonly config: Config,
    private readonly render: AttachmentRenderer,
  ) {
    this.db = site.db;
    this.clock = site.clock;
    this.mailer = config.smtpUrl ? new Mailer(config.smtpUrl) : null;
  }

  private async claim(): Promise<EmailRow | null> {
    const now = this.clock.now();
    const lockedUntil = new Date(now.getTime() + LOCK_SECONDS * 1000);
    const result = (await this.db.execute(sql`
      update emails set status = 'sending', attempts = attempts + 1, locked_until = ${lockedUntil}
      where id = (
        select id from emails
        where (status = 'queued' and next_attempt_at <= ${now}) or (status = 'sending' and locked_until < ${now})
        order by next_attempt_at, id
        limit 1
        for update skip locked)
      returning id`)) as unknown as { rows: { id: string }[] };
    const id = result.rows[0]?.id;
    if (!id) return null;
    const [row] = await this.db.select().from(emails).where(eq(emails.id, id));
    return row ?? null;
  }

  /** Sends every due mail; returns how many were sent. */
  async drain(): Promise<number> {
    if (!this.mailer) return 0;
    let sent = 0;
    for (let row = await this.claim(); row; row = await this.claim()) {
      if (await this.deliver(row)) sent++;
    }
    return sent;
  }

  private async deliver(row: EmailRow): Promise<boolean> {
    try {
      const attachments = await Promise.all((row.attachments as Attachment[]).map((a) => this.render(row.orgId, a)));
      const from = await this.sender(row.orgId);
      await this.mailer!.send({
        from,
        to: row.to as string[],
        cc: row.cc as string[],
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        messageId: row.messageId,
        attachments,
      });
      await this.db
        .update(emails)
        .set({ status: 'sent', sentAt: this.clock.now(), lockedUntil: null, error: null })
        .where(eq(emails.id, row.id));
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = isPermanentFailure(err) || row.attempts >= MAX_ATTEMPTS;
      await this.db
        .update(emails)
        .set({
          status: final ? 'failed' : 'queued',
          error: message.slice(0, 500),
          lockedUntil: null,
          nextAttemptAt: new Date(this.clock.now().getTime() + retryDelaySeconds(row.attempts) * 1000),
        })
        .where(eq(emails.id, row.id));
      return false;
    }
  }

  private async sender(orgId: string): Promise<string> {
    const result = (await this.db.execute(
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
