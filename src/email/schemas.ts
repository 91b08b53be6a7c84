import { z } from 'zod';
import { Email } from '../platform/schemas';
import type { EmailRow } from './outbox-store';

export const EmailOut = z.object({
  id: z.string(),
  kind: z.string(),
  invoice: z.string().nullable(),
  customer: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  status: z
    .enum(['queued', 'sending', 'sent', 'failed', 'local'])
    .meta({ description: '"local": no SMTP is configured; the mail is kept here and was NOT sent' }),
  attempts: z.number().int(),
  message_id: z.string(),
  sent_at: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
});

export const SendIn = z.object({
  to: z.array(Email).max(20).optional(),
  cc: z.array(Email).max(20).optional(),
  message: z.string().max(5000).optional(),
});

export const EmailListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  invoice: z.string().max(100).optional(),
  customer: z.string().max(100).optional(),
});

export const TemplateIn = z.object({ subject: z.string().min(1).max(500), body: z.string().min(1).max(20_000) });
export const TemplatesOut = z.object({
  invoice: TemplateIn,
  reminder: TemplateIn,
  statement: TemplateIn,
  quote: TemplateIn,
});
export const TemplatesPatch = TemplatesOut.partial();
export const PreviewIn = z.object({
  kind: z.enum(['invoice', 'reminder', 'statement', 'quote']),
  template: TemplateIn.optional(),
  invoice: z.string().max(100).optional(),
});
export const PreviewOut = z.object({ subject: z.string(), text: z.string(), html: z.string() });

export const emailOut = (e: EmailRow): z.infer<typeof EmailOut> => ({
  id: e.id,
  kind: e.kind,
  invoice: e.invoiceId,
  customer: e.customerId,
  to: e.to as string[],
  cc: e.cc as string[],
  subject: e.subject,
  text: e.textBody,
  status: e.status as z.infer<typeof EmailOut>['status'],
  attempts: e.attempts,
  message_id: e.messageId,
  sent_at: e.sentAt?.toISOString() ?? null,
  error: e.error,
  created_at: e.createdAt.toISOString(),
});
