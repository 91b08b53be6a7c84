import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import { usePagedList } from './list';
import type { QuoteStatus } from './types';

export function useQuoteList(filters: { customer?: string; status?: QuoteStatus }) {
  return usePagedList(['quotes', 'list', filters], (startingAfter) =>
    call(api.GET('/api/v1/quotes', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } })),
  );
}

export function useQuote(id: string) {
  return useQuery({
    queryKey: ['quotes', id],
    queryFn: () => call(api.GET('/api/v1/quotes/{id}', { params: { path: { id } } })),
  });
}

export function useOrderList(filters: { customer?: string }) {
  return usePagedList(['orders', 'list', filters], (startingAfter) =>
    call(api.GET('/api/v1/orders', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } })),
  );
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: ['orders', id],
    queryFn: () => call(api.GET('/api/v1/orders/{id}', { params: { path: { id } } })),
  });
}

export function useSubscriptionList(filters: { customer?: string }) {
  return usePagedList(['subscriptions', 'list', filters], (startingAfter) =>
    call(
      api.GET('/api/v1/subscriptions', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } }),
    ),
  );
}

export function useSubscription(id: string) {
  return useQuery({
    queryKey: ['subscriptions', id],
    queryFn: () => call(api.GET('/api/v1/subscriptions/{id}', { params: { path: { id } } })),
  });
}

export function useSubscriptionPreview(id: string) {
  return useQuery({
    queryKey: ['subscriptions', id, 'preview'],
    queryFn: () => call(api.GET('/api/v1/subscriptions/{id}/preview', { params: { path: { id } } })),
  });
}

export function useBillRuns() {
  return usePagedList(['bill_runs', 'list'], (startingAfter) =>
    call(api.GET('/api/v1/bill_runs', { params: { query: { limit: 20, starting_after: startingAfter } } })),
  );
}

/** A bill run, polled every second while it is pending or running. */
export function useBillRun(id: string | null) {
  return useQuery({
    queryKey: ['bill_runs', id],
    enabled: !!id,
    queryFn: () => call(api.GET('/api/v1/bill_runs/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data && ['pending', 'running'].includes(q.state.data.status) ? 1000 : false),
  });
}
