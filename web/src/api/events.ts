import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';

export function useEvents(filter: { object?: string; customer?: string; type?: string; limit?: number }) {
  return useQuery({
    queryKey: ['events', filter],
    queryFn: () =>
      call(
        api.GET('/api/v1/events', {
          params: {
            query: {
              limit: filter.limit ?? 50,
              ...(filter.object ? { object: filter.object } : {}),
              ...(filter.customer ? { customer: filter.customer } : {}),
              ...(filter.type ? { type: filter.type } : {}),
            },
          },
        }),
      ),
  });
}
