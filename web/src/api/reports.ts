import { useQuery } from '@tanstack/react-query';
import { pendingCall } from './pending';
import type { AgingReport, Statement, SummaryReport } from './pending-types';

const qs = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : '';
};

export function useAging(asOf?: string) {
  return useQuery({
    queryKey: ['reports', 'aging', asOf ?? 'today'],
    queryFn: () => pendingCall<AgingReport>('GET', `/api/v1/reports/aging${qs({ as_of: asOf })}`),
  });
}

export function useSummary(from?: string, to?: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['reports', 'summary', from, to],
    enabled: opts.enabled,
    queryFn: () => pendingCall<SummaryReport>('GET', `/api/v1/reports/summary${qs({ from, to })}`),
  });
}

/** Several summary periods at once (the dashboard's months). */
export function useMonthlySummaries(months: readonly { from: string; to: string }[]) {
  return useQuery({
    queryKey: ['reports', 'summary-months', months],
    queryFn: () =>
      Promise.all(
        months.map((m) =>
          pendingCall<SummaryReport>('GET', `/api/v1/reports/summary${qs({ from: m.from, to: m.to })}`),
        ),
      ),
  });
}

export function useStatement(customerId: string, from?: string, to?: string) {
  return useQuery({
    queryKey: ['reports', 'statement', customerId, from, to],
    queryFn: () =>
      pendingCall<Statement>('GET', `/api/v1/customers/${encodeURIComponent(customerId)}/statement${qs({ from, to })}`),
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
          (b) => !/^0(\.0+)?$/.test(b),
        ),
      });
  return { balances, available: aging.isSuccess, query: aging };
}
