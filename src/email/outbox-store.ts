import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import { emails } from './tables';

export type EmailRow = typeof emails.$inferSelect;
export interface Attachment {
  kind: 'invoice_pdf' | 'credit_note_pdf' | 'statement_pdf' | 'quote_pdf';
  id: string;
  /** For statements: the period. */
  from?: string;
  to?: string;
}

/** Writes a mail in the caller's transaction; without SMTP it is kept locally, marked as not sent. */
export async function enqueueEmail(
  tx: Queryable,
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
    /** When it was queued (the Clock's now): the mail is due at once. */
    now: Date;
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
      createdAt: mail.now,
      nextAttemptAt: mail.now,
    })
    .returning();
  return row!;
}
