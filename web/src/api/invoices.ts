import { byPaymentOrder } from '@arbor/receivables/spend';
import { useQuery } from '@tanstack/react-query';
import { isZero } from '../lib/money';
import { api, call, ensureCsrfToken } from './client';
import { usePagedList } from './list';
import type { Invoice, InvoiceListQuery } from './types';

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

export type InvoiceSummary = { currency: string; count: number; total: string; amount_due: string };

/** Count, total and amount due per currency over the whole filtered set (not only the loaded pages). */
export function useInvoiceSummary(filters: Omit<InvoiceFilters, 'sort'>) {
  return useQuery({
    queryKey: ['invoices', 'summary', filters],
    queryFn: async () => (await call(api.GET('/api/v1/invoices/summary', { params: { query: filters } }))).data,
  });
}

/** Downloads the PDFs of the given invoices as one zip. */
export async function downloadInvoicePdfs(ids: string[]): Promise<void> {
  const res = await fetch('/api/v1/invoices/bulk_pdf', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': (await ensureCsrfToken()) ?? '' },
    body: JSON.stringify({ ids }),
  });
  if (!res.ok) throw new Error(`The PDFs could not be made (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'invoices.zip';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
      // Every page (a customer may have more than one page of open invoices), then the server's payment order.
      const all: Invoice[] = [];
      for (let after: string | undefined; ; ) {
        const page = await call(
          api.GET('/api/v1/invoices', {
            params: { query: { customer: customerId!, status: 'posted', limit: 200, starting_after: after } },
          }),
        );
        all.push(...page.data);
        if (!page.has_more || page.data.length === 0) break;
        after = page.data[page.data.length - 1]!.id;
      }
      const key = (i: Invoice) => ({
        id: i.id,
        dueDate: i.due_date ?? '',
        issueDate: i.issue_date ?? '',
        number: i.number ?? '',
      });
      return all.filter((i) => !isZero(i.amount_due)).sort((a, b) => byPaymentOrder(key(a), key(b)));
    },
  });
}
