import { useQueries, useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import { usePagedList } from './list';
import type { Customer } from './types';

export function useCustomerList(search: string) {
  return usePagedList(['customers', 'list', search], (startingAfter) =>
    call(
      api.GET('/api/v1/customers', {
        params: { query: { limit: 50, ...(search ? { search } : {}), starting_after: startingAfter } },
      }),
    ),
  );
}

export function useCustomer(id: string | null | undefined) {
  return useQuery({
    queryKey: ['customers', id],
    enabled: !!id,
    queryFn: () => call(api.GET('/api/v1/customers/{id}', { params: { path: { id: id! } } })),
  });
}

/** Names for a set of customer ids (each fetched once and cached). */
export function useCustomerNames(ids: readonly string[]): Map<string, Customer> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['customers', id],
      queryFn: () => call(api.GET('/api/v1/customers/{id}', { params: { path: { id } } })),
      staleTime: 60_000,
    })),
  });
  const map = new Map<string, Customer>();
  results.forEach((r) => {
    if (r.data) map.set(r.data.id, r.data);
  });
  return map;
}

/** Server-side search for pickers. */
export function useCustomerSearch(search: string) {
  return useQuery({
    queryKey: ['customers', 'search', search],
    queryFn: () =>
      call(api.GET('/api/v1/customers', { params: { query: { limit: 20, ...(search ? { search } : {}) } } })),
    placeholderData: (prev) => prev,
  });
}

export function useContacts(customerId: string) {
  return useQuery({
    queryKey: ['customers', customerId, 'contacts'],
    queryFn: () =>
      call(api.GET('/api/v1/customers/{id}/contacts', { params: { path: { id: customerId }, query: { limit: 200 } } })),
  });
}
