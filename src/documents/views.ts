import type { InvoiceOut } from '../invoicing/schemas';
import type { Branding, CustomerSnapshot, InvoiceView, SellerSnapshot } from './types';

// The API's invoice shape to the renderers' view: the renderers print snapshots only.

type PartySnapshot = NonNullable<InvoiceOut['customer_snapshot']>;
type SellerParty = NonNullable<InvoiceOut['seller_snapshot']>;

export function customerSnapshotView(s: PartySnapshot): CustomerSnapshot {
  return { name: s.name, email: s.email, billing_address: s.address, tax_id: s.tax_id };
}

export function sellerSnapshotView(s: SellerParty): SellerSnapshot {
  return {
    legal_name: s.name,
    address: s.address,
    tax_id: s.tax_id,
    iban: s.iban,
    bic: s.bic,
    email: s.email,
    phone: s.phone,
  };
}

/**
 * A posted invoice renders from its own snapshots; a draft has none yet, so the caller passes
 * the customer and seller as they are now (a draft PDF is a preview and says DRAFT).
 */
export function invoiceView(
  inv: InvoiceOut,
  draftParties?: { customer: PartySnapshot; seller: SellerParty },
): InvoiceView {
  const customer = inv.customer_snapshot ?? draftParties?.customer;
  const seller = inv.seller_snapshot ?? draftParties?.seller;
  if (!customer || !seller) throw new Error(`Invoice ${inv.id} has no snapshots to render from.`);
  return {
    number: inv.number,
    status: inv.status,
    issue_date: inv.issue_date,
    due_date: inv.due_date,
    currency: inv.currency,
    tax_behavior: inv.tax_behavior,
    customer_snapshot: customerSnapshotView(customer),
    seller_snapshot: sellerSnapshotView(seller),
    lines: inv.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unit_price: l.unit_price,
      discount_percent: l.discount_percent,
      amount: l.amount,
      tax_rate_percentage: l.tax_percentage,
      period: l.period,
    })),
    subtotal: inv.subtotal,
    allowance_total: inv.allowance_total,
    charge_total: inv.charge_total,
    tax_total: inv.tax_total,
    total: inv.total,
    amount_paid: inv.amount_paid,
    amount_credited: inv.amount_credited,
    amount_written_off: inv.amount_written_off,
    amount_due: inv.amount_due,
    tax_breakdown: inv.tax_breakdown.map((g) => ({
      category: g.category,
      percentage: g.percentage,
      exemption_reason: g.exemption_reason,
      taxable_amount: g.taxable_amount,
      tax_amount: g.tax_amount,
    })),
    po_number: inv.po_number,
    buyer_reference: inv.buyer_reference,
    notes: inv.notes,
    footer: inv.footer,
    service_period: inv.service_period,
  };
}

export function brandingOf(
  settings: { locale: string; branding: { accent_color: string | null; footer: string | null } },
  logo: Buffer | null,
  locale?: string | null,
): Branding {
  return {
    accent_color: settings.branding.accent_color,
    footer: settings.branding.footer,
    logo,
    locale: locale ?? settings.locale,
  };
}
