import { formatAmount } from '../money/money';
import type { ApplicationRow, PaymentOut, PaymentRow } from './schemas';

/** The API shape of a payment with its live allocations. */
export function paymentOut(p: PaymentRow, allocations: ApplicationRow[]): PaymentOut {
  const money = (v: string) => formatAmount(v, p.currency);
  return {
    id: p.id,
    customer: p.customerId,
    amount: money(p.amount),
    currency: p.currency,
    date: p.date,
    method: p.method as PaymentOut['method'],
    reference: p.reference,
    bank_account: p.bankAccountId,
    allocations: allocations.map((a) => ({ invoice: a.invoiceId, amount: money(a.amount), date: a.date })),
    unapplied_amount: money(p.unappliedAmount),
    refunded_amount: money(p.refundedAmount),
    status: p.status as PaymentOut['status'],
    reversed_on: p.reversedOn,
    reversal_reason: p.reversalReason,
    provider: p.provider ?? null,
    created_at: p.createdAt.toISOString(),
  };
}
