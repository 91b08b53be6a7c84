import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface Attachment {
  kind: 'invoice_pdf' | 'credit_note_pdf' | 'statement_pdf' | 'quote_pdf';
  id: string;
  /** For statements: the period. */
  from?: string;
  to?: string;
}

export type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'local';

/**
 * Outgoing mail: written in the same transaction as what caused it; its delivery is an outbox message
 * (platform/outbox.ts) whose state the row mirrors. A crash mid-send leaves it `sending`: once the outbox lock
 * expires it is sent again with the same Message-ID.
 */
export const emails = pgTable(
  'emails',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    customerId: text('customer_id'),
    invoiceId: text('invoice_id'),
    kind: text('kind').notNull(),
    to: jsonb('to').$type<string[]>().notNull(),
    cc: jsonb('cc').$type<string[]>().notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull(),
    messageId: text('message_id').notNull(),
    status: text('status').$type<EmailStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    sentAt: ts('sent_at'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('emails_org_created_idx').on(t.orgId, t.createdAt), index('emails_invoice_idx').on(t.invoiceId)],
);
