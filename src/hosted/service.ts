import { and, eq, sql } from 'drizzle-orm';
import { renderInvoiceRowPdf } from '../documents/service';
import { einvoiceAvailable, invoiceUbl } from '../einvoice/service';
import type { InvoiceRow } from '../invoicing/tables';
import { invoices } from '../invoicing/tables';
import { invoiceOut } from '../invoicing/view';
import { onlinePaymentState } from '../online-payments/service';
import { getOrganization } from '../organizations/service';
import { readSettings } from '../organizations/settings';
import { dateInZone, type Site } from '../platform/context';
import type { Db } from '../platform/db';
import { DomainError } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { hostedInvoicePage } from './page';

const notFound = () =>
  new DomainError('not_found', 'page_not_found', 'This invoice link is not valid; ask the sender for a new one.');

export async function invoiceByToken(db: Db, token: string): Promise<InvoiceRow> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw notFound();
  const [row] = await db.select().from(invoices).where(eq(invoices.hostedToken, token));
  if (!row || row.status === 'draft') throw notFound();
  return row;
}

async function orgContext(site: Site, orgId: string) {
  const { db, clock, publicUrl } = site;
  const org = await getOrganization(db, orgId);
  const settings = readSettings(org.settings);
  return { org, settings, ctx: { db, orgId, clock, today: dateInZone(clock.now(), settings.time_zone), publicUrl } };
}

/** A view or download by someone other than the organization's own signed-in users. */
export async function recordPublicAccess(
  { db, clock }: Site,
  inv: InvoiceRow,
  kind: 'viewed' | 'downloaded',
  what: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (kind === 'viewed')
      await tx
        .update(invoices)
        .set({
          viewCount: sql`${invoices.viewCount} + 1`,
          firstViewedAt: sql`coalesce(${invoices.firstViewedAt}, ${clock.now()})`,
        })
        .where(and(eq(invoices.id, inv.id)));
    await recordEvent(
      tx,
      { orgId: inv.orgId, actor: { type: 'public', id: null }, clock },
      `invoice.${kind}`,
      { type: 'invoice', id: inv.id },
      { what },
    );
  });
}

export async function hostedPage(
  site: Site,
  token: string,
  opts: { returned: boolean } = { returned: false },
): Promise<{ html: string; invoice: InvoiceRow }> {
  const inv = await invoiceByToken(site.db, token);
  const { org, settings, ctx } = await orgContext(site, inv.orgId);
  const online = await onlinePaymentState(site.db, inv);
  const html = hostedInvoicePage({
    invoice: invoiceOut(inv, ctx.today, site.publicUrl),
    token,
    accentColor: settings.branding.accent_color ?? '#1f6feb',
    locale: settings.locale,
    hasLogo: org.logo !== null,
    // Offer the e-invoice only when it can be made (EN 16931 needs, e.g., the seller's VAT id and address).
    hasUbl: einvoiceAvailable(inv),
    online: { ...online, returned: opts.returned },
  });
  return { html, invoice: inv };
}

export async function hostedPdf(site: Site, token: string): Promise<{ pdf: Buffer; invoice: InvoiceRow }> {
  const inv = await invoiceByToken(site.db, token);
  const { ctx } = await orgContext(site, inv.orgId);
  return { pdf: await renderInvoiceRowPdf(ctx, inv), invoice: inv };
}

export async function hostedUbl(
  site: Site,
  token: string,
): Promise<{ xml: string; filename: string; invoice: InvoiceRow }> {
  const inv = await invoiceByToken(site.db, token);
  const { ctx } = await orgContext(site, inv.orgId);
  return { ...(await invoiceUbl(ctx, inv.id)), invoice: inv };
}

export async function hostedLogo(db: Db, token: string): Promise<{ logo: Buffer; type: string } | null> {
  const inv = await invoiceByToken(db, token);
  const org = await getOrganization(db, inv.orgId);
  return org.logo ? { logo: org.logo, type: org.logoType ?? 'image/png' } : null;
}
