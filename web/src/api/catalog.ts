import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';

export function useTaxRates() {
  return useQuery({
    queryKey: ['tax_rates'],
    staleTime: 60_000,
    queryFn: () => call(api.GET('/api/v1/tax_rates', { params: { query: { limit: 200 } } })),
  });
}

export function useProducts(opts: { search?: string; active?: boolean } = {}) {
  return useQuery({
    queryKey: ['products', opts.search ?? '', opts.active ?? null],
    staleTime: 30_000,
    placeholderData: (prev) => prev,
    queryFn: () =>
      call(
        api.GET('/api/v1/products', {
          params: {
            query: {
              limit: 200,
              ...(opts.search ? { search: opts.search } : {}),
              ...(opts.active !== undefined ? { active: opts.active ? 'true' : 'false' } : {}),
            },
          },
        }),
      ),
  });
}
