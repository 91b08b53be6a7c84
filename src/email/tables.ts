import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from '../platform/tables';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The outbox: a mail is written in the same transaction as what caused it, then delivered by a worker.
 * `sending` with an expired lock means a crash left it unknown whether the server took it: it is sent again with the same Message-ID.
 */
export const emails = pgTable(
  'emails',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    customerId: text('customer_id'),
    invoiceId: text('invoice_id'),
    kind: text('kind').notNull(),
    to: jsonb('to').notNull(),
    cc: jsonb('cc').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    attachments: jsonb('attachments').notNull(),
    messageId: text('message_id').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    sentAt: ts('sent_at'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('emails_org_created_idx').on(t.orgId, t.createdAt),
    index('emails_due_idx').on(t.nextAttemptAt).where(sql`status in ('queued', 'sending')`),
    index('emails_invoice_idx').on(t.invoiceId),
  ],
);
