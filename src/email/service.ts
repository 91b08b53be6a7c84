import { and, desc, eq, type SQL } from 'drizzle-orm';
import { getCustomer } from '../crm/service';
import { contacts } from '../crm/tables';
import { creditNotePdf, renderInvoiceRowPdf, statementPdf } from '../documents/service';
import { lockInvoice } from '../invoicing/invoice-store';
import { getInvoice } from '../invoicing/service';
import { invoices } from '../invoicing/tables';
import { invoiceOut } from '../invoicing/view';
import { onlinePaymentState } from '../online-payments/service';
import { getOrganization } from '../organizations/service';
import { readSettings } from '../organizations/settings';
import type { RequestContext, Site } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { newToken } from '../platform/secrets';
import { organizations } from '../platform/tables';
import type { AttachmentRenderer } from './delivery-worker';
import { type EmailRow, enqueueEmail } from './outbox-store';
import { emails } from './tables';
import {
  renderTemplate,
  type Template,
  TemplateError,
  type TemplateKind,
  type Templates,
  templatesOf,
  validateTemplate,
} from './templates';

export interface MailSettings {
  smtpConfigured: boolean;
}

type Ctx = RequestContext & MailSettings;

/** The customer's email and its contacts that receive invoices. */
export async function invoiceRecipients(q: Queryable, orgId: string, customerId: string): Promise<string[]> {
  const customer = await getCustomer(q, { orgId }, customerId);
  const rows = await q
    .select({ email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.customerId, customerId), eq(contacts.receivesInvoices, true)));
  return [...new Set([customer.email, ...rows.map((r) => r.email)].filter((e): e is string => !!e))];
}

export async function orgTemplates(q: Queryable, orgId: string): Promise<Templates> {
  return templatesOf((await getOrganization(q, orgId)).emailTemplates);
}

/** Variables a template sees: the invoice as the API shows it, the customer, the organization. */
export async function invoiceTemplateVars(
  q: Queryable,
  ctx: Pick<RequestContext, 'orgId' | 'today' | 'publicUrl'>,
  inv: typeof invoices.$inferSelect,
  extra: Record<string, unknown> = {},
) {
  const org = await getOrganization(q, ctx.orgId);
  const customer = await getCustomer(q, ctx, inv.customerId);
  const settings = readSettings(org.settings);
  const view = invoiceOut(inv, ctx.today, ctx.publicUrl);
  // The pay link leads to the hosted page's "Pay now" when the invoice can be paid online.
  const payUrl = view.hosted_url && (await onlinePaymentState(q, inv)).payable ? `${view.hosted_url}#pay` : null;
  return {
    invoice: { ...view, pay_url: payUrl },
    customer: { name: customer.name, email: customer.email },
    organization: { name: settings.legal_name, email: settings.email, iban: settings.iban },
    ...extra,
  };
}

async function render(t: Template, vars: Record<string, unknown>) {
  try {
    return await renderTemplate(t, vars);
  } catch (err) {
    if (err instanceof TemplateError)
      throw unprocessable('template_invalid', `The email template cannot be rendered: ${err.message}`, 'template');
    throw err;
  }
}

export function messageDomain(publicUrl: string): string {
  return new URL(publicUrl).hostname || 'arbor.local';
}

/** Emails a posted invoice (PDF attached, hosted link) through the outbox; sets sent_at. */
export async function sendInvoice(
  ctx: Ctx,
  id: string,
  input: { to?: string[] | undefined; cc?: string[] | undefined; message?: string | undefined },
) {
  return ctx.db.transaction((tx) => sendInvoiceIn(tx, ctx, id, input));
}

/** sendInvoice, in the caller's transaction. */
export async function sendInvoiceIn(
  tx: Tx,
  ctx: Ctx,
  id: string,
  input: { to?: string[] | undefined; cc?: string[] | undefined; message?: string | undefined },
) {
  const inv = await lockInvoice(tx, ctx, id);
  if (inv.status === 'draft' || inv.status === 'void')
    throw conflict('invoice_not_sendable', `A ${inv.status} invoice cannot be sent; post it first.`);
  const to = input.to?.length ? input.to : await invoiceRecipients(tx, ctx.orgId, inv.customerId);
  if (to.length === 0)
    throw unprocessable('no_recipient', 'The customer has no email and no contact receives invoices; give "to".', 'to');
  const templates = await orgTemplates(tx, ctx.orgId);
  const mail = await render(
    templates.invoice,
    await invoiceTemplateVars(tx, ctx, inv, { message: input.message ?? null }),
  );
  const email = await enqueueEmail(tx, ctx, {
    orgId: ctx.orgId,
    customerId: inv.customerId,
    invoiceId: inv.id,
    kind: 'invoice',
    to,
    cc: input.cc ?? [],
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: [{ kind: 'invoice_pdf', id: inv.id }],
    smtpConfigured: ctx.smtpConfigured,
    messageDomain: messageDomain(ctx.publicUrl),
  });
  const [updated] = await tx.update(invoices).set({ sentAt: ctx.clock.now() }).where(eq(invoices.id, id)).returning();
  await recordEvent(tx, ctx, 'invoice.sent', { type: 'invoice', id }, { email: email.id, to, status: email.status });
  return { invoice: updated!, email };
}

/** Emails a customer statement (PDF attached) for [from, to]. */
export async function sendStatement(
  ctx: Ctx,
  customerId: string,
  input: { from?: string | undefined; to?: string | undefined; recipients?: string[] | undefined },
) {
  const { statement } = await statementPdf(ctx, customerId, input);
  return ctx.db.transaction(async (tx) => {
    const to = input.recipients?.length ? input.recipients : await invoiceRecipients(tx, ctx.orgId, customerId);
    if (to.length === 0)
      throw unprocessable(
        'no_recipient',
        'The customer has no email and no contact receives invoices; give "to".',
        'to',
      );
    const org = readSettings((await getOrganization(tx, ctx.orgId)).settings);
    const mail = await render((await orgTemplates(tx, ctx.orgId)).statement, {
      statement,
      customer: { name: statement.name },
      organization: { name: org.legal_name, email: org.email },
    });
    const email = await enqueueEmail(tx, ctx, {
      orgId: ctx.orgId,
      customerId,
      invoiceId: null,
      kind: 'statement',
      to,
      cc: [],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: [{ kind: 'statement_pdf', id: customerId, from: statement.from, to: statement.to }],
      smtpConfigured: ctx.smtpConfigured,
      messageDomain: messageDomain(ctx.publicUrl),
    });
    await recordEvent(
      tx,
      ctx,
      'customer.statement_sent',
      { type: 'customer', id: customerId },
      { email: email.id, from: statement.from, to: statement.to },
    );
    return email;
  });
}

export async function rotateLink(ctx: RequestContext, id: string) {
  return ctx.db.transaction((tx) => rotateLinkIn(tx, ctx, id));
}

/** rotateLink, in the caller's transaction. */
export async function rotateLinkIn(tx: Tx, ctx: RequestContext, id: string) {
  const inv = await lockInvoice(tx, ctx, id);
  if (!inv.hostedToken) throw conflict('invoice_not_posted', 'A draft has no hosted page yet.');
  const [updated] = await tx
    .update(invoices)
    .set({ hostedToken: newToken(24) })
    .where(eq(invoices.id, id))
    .returning();
  await recordEvent(tx, ctx, 'invoice.link_rotated', { type: 'invoice', id });
  return updated!;
}

export async function listEmails(
  ctx: RequestContext,
  q: PageQuery & { invoice?: string | undefined; customer?: string | undefined },
) {
  const cursor = await afterCursor(ctx.db, emails, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(emails.orgId, ctx.orgId), cursor];
  if (q.invoice) c.push(eq(emails.invoiceId, q.invoice));
  if (q.customer) c.push(eq(emails.customerId, q.customer));
  const rows = await ctx.db
    .select()
    .from(emails)
    .where(and(...c))
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}

export async function getTemplates(ctx: RequestContext): Promise<Templates> {
  return orgTemplates(ctx.db, ctx.orgId);
}

export async function updateTemplates(ctx: RequestContext, patch: Partial<Templates>): Promise<Templates> {
  for (const [kind, t] of Object.entries(patch)) {
    try {
      validateTemplate(t);
    } catch (err) {
      throw unprocessable('template_invalid', `The ${kind} template does not parse: ${(err as Error).message}`, kind);
    }
  }
  return ctx.db.transaction(async (tx) => {
    const current = await orgTemplates(tx, ctx.orgId);
    const next = { ...current, ...patch };
    await tx.update(organizations).set({ emailTemplates: next }).where(eq(organizations.id, ctx.orgId));
    await recordEvent(
      tx,
      ctx,
      'settings.email_templates_updated',
      { type: 'organization', id: ctx.orgId },
      { changed: Object.keys(patch) },
    );
    return next;
  });
}

/** Renders a template with an invoice of the organization (or sample data), nothing saved. */
export async function previewTemplate(
  ctx: RequestContext,
  kind: TemplateKind,
  template: Template | undefined,
  invoiceId: string | undefined,
) {
  const t = template ?? (await orgTemplates(ctx.db, ctx.orgId))[kind];
  if (invoiceId) {
    const inv = await getInvoice(ctx.db, ctx, invoiceId);
    return render(t, await invoiceTemplateVars(ctx.db, ctx, inv, { message: null }));
  }
  const settings = readSettings((await getOrganization(ctx.db, ctx.orgId)).settings);
  return render(t, {
    invoice: {
      number: 'INV-2026-000123',
      total: '1190.00',
      amount_due: '1190.00',
      currency: settings.base_currency,
      due_date: ctx.today,
      hosted_url: `${ctx.publicUrl}/i/example`,
    },
    customer: { name: 'Example Customer Ltd' },
    organization: { name: settings.legal_name },
    statement: { from: ctx.today, to: ctx.today, closing_balance: '0.00', currency: settings.base_currency },
    quote: { number: 'Q-2026-000001', hosted_url: `${ctx.publicUrl}/q/example` },
    message: null,
  });
}

type Renderer = (
  site: Site,
  orgId: string,
  a: { kind: string; id: string; from?: string; to?: string },
) => ReturnType<AttachmentRenderer>;

const pdf = (filename: string, content: Buffer) => ({ filename, content, contentType: 'application/pdf' });
const todayUtc = (site: Site) => site.clock.now().toISOString().slice(0, 10);

/** How each kind of attachment is rendered; capabilities that would import this module (quotes) register theirs. */
const renderers = new Map<string, Renderer>([
  [
    'invoice_pdf',
    async (site, orgId, a) => {
      const ctx = { ...site, orgId, today: todayUtc(site) };
      const row = await getInvoice(ctx.db, ctx, a.id);
      return pdf(`${row.number}.pdf`, await renderInvoiceRowPdf(ctx, row));
    },
  ],
  [
    'credit_note_pdf',
    async (site, orgId, a) => {
      const r = await creditNotePdf({ ...site, orgId, today: todayUtc(site) }, a.id);
      return pdf(r.filename, r.pdf);
    },
  ],
  [
    'statement_pdf',
    async (site, orgId, a) => {
      const r = await statementPdf({ ...site, orgId, today: a.to ?? todayUtc(site) }, a.id, {
        from: a.from,
        to: a.to,
      });
      return pdf(r.filename, r.pdf);
    },
  ],
]);

export function registerAttachmentRenderer(kind: string, renderer: Renderer): void {
  renderers.set(kind, renderer);
}

/** Attachments are rendered when the mail is delivered, from the documents' immutable snapshots. */
export function attachmentRenderer(site: Site): AttachmentRenderer {
  return async (orgId, a) => {
    const render = renderers.get(a.kind);
    if (!render) throw new Error(`No renderer for attachment ${a.kind}`);
    return render(site, orgId, a);
  };
}

export type { EmailRow };
