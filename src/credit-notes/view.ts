import type { StoredTaxGroup } from '../invoicing/draft';
import { formatAmount } from '../money/money';
import type { CreditedLine } from './credit-amounts';
import type { CreditNoteOut, CreditNoteRow } from './schemas';

export function creditNoteOut(n: CreditNoteRow): CreditNoteOut {
  const money = (v: string) => formatAmount(v, n.currency);
  return {
    id: n.id,
    number: n.number,
    invoice: n.invoiceId,
    customer: n.customerId,
    currency: n.currency,
    reason: n.reason,
    lines: (n.lines as CreditedLine[] | null) ?? null,
    subtotal: money(n.subtotal),
    tax_total: money(n.taxTotal),
    total: money(n.total),
    tax_breakdown: n.taxBreakdown as StoredTaxGroup[],
    credit_to: n.creditTo as CreditNoteOut['credit_to'],
    status: n.status as CreditNoteOut['status'],
    issue_date: n.issueDate,
    unapplied_amount: money(n.unappliedAmount),
    voided_on: n.voidedOn,
    created_at: n.createdAt.toISOString(),
  };
}
