import { and, eq } from 'drizzle-orm';
import { creditNotes } from '../credit-notes/tables';
import { getCustomer } from '../crm/service';
import { getInvoice } from '../invoicing/service';
import type { InvoiceRow } from '../invoicing/tables';
import { invoiceOut } from '../invoicing/view';
import { formatAmount } from '../money/money';
import { getOrganization } from '../organizations/service';
import { readSettings, type Settings } from '../organizations/settings';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { DomainError, notFound, unprocessable } from '../platform/errors';
import { customerStatement } from '../reports/service';
import { renderCreditNotePdf } from './credit-note-pdf';
import { renderInvoicePdf } from './invoice-pdf';
import { renderStatementPdf } from './statement-pdf';
import type { CreditNoteView, StatementView } from './types';
import { brandingOf, customerSnapshotView, invoiceView, sellerSnapshotView } from './views';
import { type ZipEntry, zip } from './zip';

type Ctx = Pick<RequestContext, 'db' | 'orgId' | 'today' | 'publicUrl'>;

export interface OrgDocumentSettings {
  settings: Settings;
  logo: Buffer | null;
}

export async function documentSettings(q: Queryable, orgId: string): Promise<OrgDocumentSettings> {
  const org = await getOrganization(q, orgId);
  return { settings: readSettings(org.settings), logo: org.logo ?? null };
}

/** The invoice PDF: posted invoices from their snapshots; drafts as a preview with today's parties. */
export async function renderInvoiceRowPdf(
  ctx: Ctx,
  row: InvoiceRow,
  docSettings?: OrgDocumentSettings,
): Promise<Buffer> {
  const { settings, logo } = docSettings ?? (await documentSettings(ctx.db, ctx.orgId));
  const out = invoiceOut(row, ctx.today, ctx.publicUrl);
  const customer = await getCustomer(ctx.db, ctx, row.customerId);
  const draftParties = out.customer_snapshot
    ? undefined
    : {
        customer: {
          name: customer.name,
          email: customer.email,
          address: customer.billingAddress as never,
          tax_id: customer.taxId,
          peppol_id: customer.peppolId as never,
        },
        seller: {
          name: settings.legal_name,
          email: settings.email,
          address: settings.address as never,
          tax_id: settings.tax_id,
          peppol_id: settings.peppol_id,
          iban: settings.iban,
          bic: settings.bic,
          phone: settings.phone,
        },
      };
  return renderInvoicePdf(invoiceView(out, draftParties), brandingOf(settings, logo, customer.locale), {
    hostedUrl: out.hosted_url,
    paymentReference: out.payment_reference ?? row.number ?? '',
  });
}

export async function invoicePdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const row = await getInvoice(ctx.db, ctx, id);
  return { pdf: await renderInvoiceRowPdf(ctx, row), filename: `${row.number ?? `draft-${row.id}`}.pdf` };
}

/** The PDFs of the given invoices as one ZIP (names by number; an id not of this organization: 422 naming it). */
export async function invoicePdfZip(ctx: Ctx, ids: string[]): Promise<Buffer> {
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const row = await getInvoice(ctx.db, ctx, id).catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === 'not_found')
        throw unprocessable('invoice_not_found', `No invoice ${id} in this organization.`, `ids[${i}]`);
      throw err;
    });
    entries.push({ name: `${row.number ?? `draft-${row.id}`}.pdf`, data: await renderInvoiceRowPdf(ctx, row) });
  }
  return zip(entries);
}

/** A credit note PDF: the credited invoice's snapshots and line texts, the note's own amounts. */
export async function creditNotePdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const [note] = await ctx.db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.id, id), eq(creditNotes.orgId, ctx.orgId)));
  if (!note) throw notFound('credit note', id);
  const inv = invoiceOut(await getInvoice(ctx.db, ctx, note.invoiceId), ctx.today, ctx.publicUrl);
  const { settings, logo } = await documentSettings(ctx.db, ctx.orgId);
  const invoiceLines = new Map(inv.lines.map((l) => [l.id, l]));
  const lines = (note.lines as { invoice_line: string; quantity: string; amount: string }[] | null)?.map((l) => {
    const source = invoiceLines.get(l.invoice_line);
    return {
      invoice_line: l.invoice_line,
      description: source?.description ?? '',
      quantity: l.quantity,
      unit: source?.unit ?? 'C62',
      unit_price: source?.unit_price ?? '0',
      amount: l.amount,
    };
  });
  const money = (v: string) => formatAmount(v, note.currency);
  const view: CreditNoteView = {
    number: note.number,
    invoice: note.invoiceId,
    invoice_number: inv.number,
    invoice_issue_date: inv.issue_date,
    currency: note.currency,
    reason: note.reason,
    lines: lines ?? null,
    subtotal: money(note.subtotal),
    tax_total: money(note.taxTotal),
    total: money(note.total),
    tax_breakdown: note.taxBreakdown as CreditNoteView['tax_breakdown'],
    credit_to: note.creditTo as CreditNoteView['credit_to'],
    status: note.status as CreditNoteView['status'],
    issue_date: note.issueDate,
    customer_snapshot: customerSnapshotView(inv.customer_snapshot!),
    seller_snapshot: sellerSnapshotView(inv.seller_snapshot!),
  };
  return { pdf: await renderCreditNotePdf(view, brandingOf(settings, logo)), filename: `${note.number}.pdf` };
}

/** A customer statement PDF for [from, to]; the parties as they are today (a statement is not a posted document). */
export async function statementPdf(
  ctx: Ctx,
  customerId: string,
  period: { from?: string | undefined; to?: string | undefined },
) {
  const statement = await customerStatement(ctx, customerId, period);
  const customer = await getCustomer(ctx.db, ctx, customerId);
  const { settings, logo } = await documentSettings(ctx.db, ctx.orgId);
  const view: StatementView = {
    customer: customerId,
    currency: statement.currency,
    from: statement.from,
    to: statement.to,
    opening_balance: statement.opening_balance,
    lines: statement.lines,
    closing_balance: statement.closing_balance,
    customer_snapshot: {
      name: customer.name,
      email: customer.email,
      billing_address: customer.billingAddress as never,
      tax_id: customer.taxId,
    },
    seller_snapshot: {
      legal_name: settings.legal_name,
      address: settings.address as never,
      tax_id: settings.tax_id,
      iban: settings.iban,
      bic: settings.bic,
      email: settings.email,
      phone: settings.phone,
    },
  };
  return {
    statement,
    pdf: await renderStatementPdf(view, brandingOf(settings, logo, customer.locale)),
    filename: `statement-${statement.from}-${statement.to}.pdf`,
  };
}
