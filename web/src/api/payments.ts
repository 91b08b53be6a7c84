import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import { usePagedList } from './list';
import type { Allocation, PaymentInput } from './types';

export function usePaymentList(filters: { customer?: string; status?: 'succeeded' | 'reversed' }) {
  return usePagedList(['payments', 'list', filters], (startingAfter) =>
    call(api.GET('/api/v1/payments', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } })),
  );
}

export function usePayment(id: string) {
  return useQuery({
    queryKey: ['payments', id],
    queryFn: () => call(api.GET('/api/v1/payments/{id}', { params: { path: { id } } })),
  });
}

/** The idempotency key makes a double submit record the payment once. */
export function createPayment(body: PaymentInput, idempotencyKey: string) {
  return call(api.POST('/api/v1/payments', { body, headers: { 'Idempotency-Key': idempotencyKey } }));
}

export function allocatePayment(id: string, allocations: Allocation[], date?: string) {
  return call(
    api.POST('/api/v1/payments/{id}/allocate', {
      params: { path: { id } },
      body: { allocations, ...(date ? { date } : {}) },
    }),
  );
}

export function refundPayment(id: string, amount: string, date?: string) {
  return call(
    api.POST('/api/v1/payments/{id}/refund', { params: { path: { id } }, body: { amount, ...(date ? { date } : {}) } }),
  );
}

export function reversePayment(id: string, reason: string) {
  return call(api.POST('/api/v1/payments/{id}/reverse', { params: { path: { id } }, body: { reason } }));
}

export function applyCredit(customerId: string, invoice: string, amount: string) {
  return call(
    api.POST('/api/v1/customers/{id}/apply_credit', {
      params: { path: { id: customerId } },
      body: { invoice, amount },
    }),
  );
}
