import { useQuery } from '@tanstack/react-query';
import { isZero } from '../lib/money';
import { api, call } from './client';

export function useAging(asOf?: string) {
  return useQuery({
    queryKey: ['reports', 'aging', asOf ?? 'today'],
    queryFn: () => call(api.GET('/api/v1/reports/aging', { params: { query: asOf ? { as_of: asOf } : {} } })),
  });
}

export function useSummary(from?: string, to?: string) {
  return useQuery({
    queryKey: ['reports', 'summary', from, to],
    queryFn: () => call(api.GET('/api/v1/reports/summary', { params: { query: { from, to } } })),
  });
}

/** Several summary periods at once (the dashboard's months). */
export function useMonthlySummaries(months: readonly { from: string; to: string }[]) {
  return useQuery({
    queryKey: ['reports', 'summary-months', months],
    // While another span loads, the previous answer stays (its last month is this month in both).
    placeholderData: (prev) => prev,
    queryFn: () =>
      Promise.all(
        months.map((m) => call(api.GET('/api/v1/reports/summary', { params: { query: { from: m.from, to: m.to } } }))),
      ),
  });
}

export function useStatement(customerId: string, from?: string, to?: string) {
  return useQuery({
    queryKey: ['reports', 'statement', customerId, from, to],
    queryFn: () =>
      call(
        api.GET('/api/v1/customers/{id}/statement', {
          params: { path: { id: customerId }, query: { ...(from ? { from } : {}), ...(to ? { to } : {}) } },
        }),
      ),
  });
}

/** What each customer owes today (the aging report's customer totals), by customer id. */
export function useCustomerBalances() {
  const aging = useAging();
  const balances = new Map<string, { total: string; overdue: boolean; currency: string }>();
  for (const c of aging.data?.currencies ?? [])
    for (const row of c.customers)
      balances.set(row.customer, {
        total: row.total,
        currency: c.currency,
        overdue: [row.buckets.d1_30, row.buckets.d31_60, row.buckets.d61_90, row.buckets.d90_plus].some(
          (b) => !isZero(b),
        ),
      });
  return { balances, available: aging.isSuccess, query: aging };
}
