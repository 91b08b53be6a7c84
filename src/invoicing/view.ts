import { formatAmount } from '../money/money';
import type { StoredDocumentAllowanceCharge, StoredLine, StoredTaxGroup } from './draft';
import { type InvoiceStatus, overdue, paymentStatus } from './lifecycle';
import { paymentReferenceOf } from './payment-reference';
import type { InvoiceOut } from './schemas';
import type { invoices } from './tables';

type InvoiceRow = typeof invoices.$inferSelect;

/** The API shape of an invoice; derived fields (payment_status, overdue) as of `asOf`. */
export function invoiceOut(inv: InvoiceRow, asOf: string, publicUrl: string): InvoiceOut {
  const money = (v: string) => formatAmount(v, inv.currency);
  const status = inv.status as InvoiceStatus;
  const balances = {
    total: inv.total,
    amountPaid: inv.amountPaid,
    amountCredited: inv.amountCredited,
    amountWrittenOff: inv.amountWrittenOff,
  };
  const late = overdue({ status, amountDue: inv.amountDue, dueDate: inv.dueDate }, asOf);
  const lines = inv.lines as StoredLine[];
  return {
    id: inv.id,
    number: inv.number,
    status,
    payment_status: paymentStatus({ ...balances, status, amountDue: inv.amountDue }),
    overdue: late.overdue,
    days_overdue: late.daysOverdue,
    disputed: inv.disputed,
    customer: inv.customerId,
    customer_snapshot: (inv.customerSnapshot as InvoiceOut['customer_snapshot']) ?? null,
    seller_snapshot: (inv.sellerSnapshot as InvoiceOut['seller_snapshot']) ?? null,
    currency: inv.currency,
    tax_behavior: inv.taxBehavior as InvoiceOut['tax_behavior'],
    issue_date: inv.issueDate,
    due_date: inv.dueDate,
    payment_terms_days: inv.paymentTermsDays,
    service_period: (inv.servicePeriod as InvoiceOut['service_period']) ?? null,
    lines: lines.map(({ tax_rate, ...l }) => ({
      ...l,
      tax_rate: tax_rate.id,
      tax_category: tax_rate.category,
      tax_percentage: tax_rate.percentage,
    })),
    allowances_charges: (inv.allowancesCharges as StoredDocumentAllowanceCharge[]).map(({ tax_rate, ...ac }) => ({
      ...ac,
      tax_rate: tax_rate.id,
      tax_category: tax_rate.category,
      tax_percentage: tax_rate.percentage,
    })),
    subtotal: money(inv.subtotal),
    allowance_total: money(inv.allowanceTotal),
    charge_total: money(inv.chargeTotal),
    tax_total: money(inv.taxTotal),
    total: money(inv.total),
    amount_paid: money(inv.amountPaid),
    amount_credited: money(inv.amountCredited),
    amount_written_off: money(inv.amountWrittenOff),
    amount_due: money(inv.amountDue),
    tax_breakdown: inv.taxBreakdown as StoredTaxGroup[],
    po_number: inv.poNumber,
    buyer_reference: inv.buyerReference,
    notes: inv.notes,
    footer: inv.footer,
    reminders_paused: inv.remindersPaused,
    source: inv.sourceType && inv.sourceId ? { type: inv.sourceType, id: inv.sourceId } : null,
    created_at: inv.createdAt.toISOString(),
    posted_at: inv.postedAt?.toISOString() ?? null,
    sent_at: inv.sentAt?.toISOString() ?? null,
    first_viewed_at: inv.firstViewedAt?.toISOString() ?? null,
    view_count: inv.viewCount,
    hosted_url: inv.hostedToken ? `${publicUrl}/i/${inv.hostedToken}` : null,
    payment_reference: inv.number ? paymentReferenceOf(inv.number) : null,
  };
}
