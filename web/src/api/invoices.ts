import { useQuery } from '@tanstack/react-query';
import { isZero } from '../lib/money';
import { api, call } from './client';
import { usePagedList } from './list';
import type { InvoiceListQuery } from './types';

export type InvoiceFilters = Omit<InvoiceListQuery, 'limit' | 'starting_after'>;

export function useInvoiceList(filters: InvoiceFilters, opts: { limit?: number; enabled?: boolean } = {}) {
  return usePagedList(
    ['invoices', 'list', filters, opts.limit ?? 50],
    (startingAfter) =>
      call(
        api.GET('/api/v1/invoices', {
          params: { query: { ...filters, limit: opts.limit ?? 50, starting_after: startingAfter } },
        }),
      ),
    { enabled: opts.enabled },
  );
}

export function useInvoice(id: string | null | undefined) {
  return useQuery({
    queryKey: ['invoices', id],
    enabled: !!id,
    queryFn: () => call(api.GET('/api/v1/invoices/{id}', { params: { path: { id: id! } } })),
  });
}

export function useInvoiceEvents(id: string) {
  return useQuery({
    queryKey: ['invoices', id, 'events'],
    queryFn: () => call(api.GET('/api/v1/invoices/{id}/events', { params: { path: { id }, query: { limit: 200 } } })),
  });
}

/** Every open (posted, with amount due) invoice of a customer, oldest due first: for payments and statements. */
export function useOpenInvoices(customerId: string | null | undefined) {
  return useQuery({
    queryKey: ['invoices', 'open', customerId],
    enabled: !!customerId,
    queryFn: async () => {
      const page = await call(
        api.GET('/api/v1/invoices', { params: { query: { customer: customerId!, status: 'posted', limit: 200 } } }),
      );
      return page.data
        .filter((i) => !isZero(i.amount_due))
        .sort(
          (a, b) =>
            (a.due_date ?? '').localeCompare(b.due_date ?? '') ||
            (a.issue_date ?? '').localeCompare(b.issue_date ?? '') ||
            (a.number ?? '').localeCompare(b.number ?? ''),
        );
    },
  });
}
