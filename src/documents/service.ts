import { getCustomer } from '../crm/service';
import type { InvoiceRow } from '../invoicing/receivable';
import { getInvoice } from '../invoicing/service';
import { invoiceOut } from '../invoicing/view';
import { getOrganization } from '../organizations/service';
import { readSettings, type Settings } from '../organizations/settings';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { renderInvoicePdf } from './invoice-pdf';
import { brandingOf, invoiceView } from './views';

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
  const customer = await getCustomer(ctx, ctx.db, row.customerId);
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
    paymentReference: row.number ?? '',
  });
}

export async function invoicePdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const row = await getInvoice(ctx, id);
  return { pdf: await renderInvoiceRowPdf(ctx, row), filename: `${row.number ?? `draft-${row.id}`}.pdf` };
}
