import { useQuery } from '@tanstack/react-query';
import { usePagedList } from './list';
import { pendingCall } from './pending';
import type { List, Payment, PaymentInput } from './pending-types';

export function usePaymentList(filters: { customer?: string; status?: string }) {
  return usePagedList(['payments', 'list', filters], (startingAfter) => {
    const q = new URLSearchParams({ limit: '50' });
    if (filters.customer) q.set('customer', filters.customer);
    if (filters.status) q.set('status', filters.status);
    if (startingAfter) q.set('starting_after', startingAfter);
    return pendingCall<List<Payment>>('GET', `/api/v1/payments?${q}`);
  });
}

export function usePayment(id: string) {
  return useQuery({
    queryKey: ['payments', id],
    queryFn: () => pendingCall<Payment>('GET', `/api/v1/payments/${encodeURIComponent(id)}`),
  });
}

/** The idempotency key makes a double submit record the payment once. */
export function createPayment(body: PaymentInput, idempotencyKey: string): Promise<Payment> {
  return pendingCall<Payment>('POST', '/api/v1/payments', body, { 'idempotency-key': idempotencyKey });
}

export function allocatePayment(id: string, allocations: { invoice: string; amount: string }[], date?: string) {
  return pendingCall<Payment>('POST', `/api/v1/payments/${encodeURIComponent(id)}/allocate`, {
    allocations,
    ...(date ? { date } : {}),
  });
}

export function refundPayment(id: string, amount: string, date?: string) {
  return pendingCall<Payment>('POST', `/api/v1/payments/${encodeURIComponent(id)}/refund`, {
    amount,
    ...(date ? { date } : {}),
  });
}

export function reversePayment(id: string, reason: string) {
  return pendingCall<Payment>('POST', `/api/v1/payments/${encodeURIComponent(id)}/reverse`, { reason });
}

export function applyCredit(customerId: string, invoice: string, amount: string) {
  return pendingCall<unknown>('POST', `/api/v1/customers/${encodeURIComponent(customerId)}/apply_credit`, {
    invoice,
    amount,
  });
}
