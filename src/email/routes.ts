import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvoiceOut } from '../invoicing/schemas';
import { invoiceOut } from '../invoicing/view';
import { Email, IdParam, IsoDate, listOf } from '../platform/schemas';
import {
  EmailListQuery,
  EmailOut,
  emailOut,
  PreviewIn,
  PreviewOut,
  SendIn,
  TemplatesOut,
  TemplatesPatch,
} from './schemas';
import * as service from './service';

export function emailRoutes(opts: { smtpConfigured: boolean }) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/invoices/:id/send',
      {
        config: { access: 'finance' },
        schema: {
          tags: ['Invoices'],
          summary: 'Email a posted invoice (PDF attached, hosted link) through the outbox',
          params: IdParam,
          body: SendIn,
          response: {
            200: z.object({
              invoice: InvoiceOut,
              email: z.object({ id: z.string(), to: z.array(z.string()), status: EmailOut.shape.status }),
            }),
          },
        },
      },
      async (req) => {
        const { invoice, email } = await service.sendInvoice(
          { ...req.ctx, smtpConfigured: opts.smtpConfigured },
          req.params.id,
          req.body,
        );
        return {
          invoice: invoiceOut(invoice, req.ctx.today, req.ctx.publicUrl),
          email: { id: email.id, to: email.to as string[], status: email.status as 'queued' },
        };
      },
    );

    app.post(
      '/customers/:id/statement/send',
      {
        config: { access: 'finance' },
        schema: {
          tags: ['Customers'],
          summary: 'Email the customer statement (PDF attached)',
          params: IdParam,
          body: z.object({
            from: IsoDate.optional(),
            to: IsoDate.optional(),
            recipients: z.array(Email).max(20).optional(),
          }),
          response: { 200: EmailOut },
        },
      },
      async (req) => {
        const email = await service.sendStatement(
          { ...req.ctx, smtpConfigured: opts.smtpConfigured },
          req.params.id,
          req.body,
        );
        return emailOut(email);
      },
    );

    app.post(
      '/invoices/:id/rotate_link',
      {
        config: { access: 'finance' },
        schema: {
          tags: ['Invoices'],
          summary: 'Replace the hosted-page link; the old one stops working',
          params: IdParam,
          response: { 200: InvoiceOut },
        },
      },
      async (req) => invoiceOut(await service.rotateLink(req.ctx, req.params.id), req.ctx.today, req.ctx.publicUrl),
    );

    app.get(
      '/emails',
      {
        config: { access: 'read' },
        schema: {
          tags: ['Emails'],
          summary: 'Outgoing mail: queued, sent, failed, or kept locally when no SMTP is configured',
          querystring: EmailListQuery,
          response: { 200: listOf(EmailOut) },
        },
      },
      async (req) => {
        const page = await service.listEmails(req.ctx, req.query);
        return { ...page, data: page.data.map(emailOut) };
      },
    );

    app.get(
      '/settings/email_templates',
      {
        config: { access: 'read' },
        schema: {
          tags: ['Emails'],
          summary: 'Email subject and body templates (Liquid)',
          response: { 200: TemplatesOut },
        },
      },
      async (req) => service.getTemplates(req.ctx),
    );
    app.put(
      '/settings/email_templates',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['Emails'],
          summary: 'Change email templates',
          body: TemplatesPatch,
          response: { 200: TemplatesOut },
        },
      },
      async (req) => service.updateTemplates(req.ctx, req.body),
    );
    app.post(
      '/settings/email_templates/preview',
      {
        config: { access: 'read' },
        schema: {
          tags: ['Emails'],
          summary: 'Render a template (saved or given) without sending',
          body: PreviewIn,
          response: { 200: PreviewOut },
        },
      },
      async (req) => service.previewTemplate(req.ctx, req.body.kind, req.body.template, req.body.invoice),
    );
  };
}
