import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { Activity, ActivityInput, ActivityListQuery } from './types';

/** Activities matching a filter (one page of up to 200: a record's or a rep's day). */
export function useActivities(query: Omit<ActivityListQuery, 'limit'>) {
  return useQuery({
    queryKey: ['activities', query],
    queryFn: () => call(api.GET('/api/v1/activities', { params: { query: { ...query, limit: 200 } } })),
  });
}

/** Create, complete: every activity list (and the worklist's last activity) is refreshed after. */
export function useActivityActions() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: ['activities'] }), qc.invalidateQueries({ queryKey: ['worklist'] })]);
  return {
    create: async (body: ActivityInput): Promise<Activity> => {
      const made = await call(api.POST('/api/v1/activities', { body }));
      await refresh();
      return made;
    },
    complete: async (id: string): Promise<Activity> => {
      const done = await call(api.POST('/api/v1/activities/{id}/done', { params: { path: { id } } }));
      await refresh();
      return done;
    },
  };
}

export function usePromises(invoiceId: string) {
  return useQuery({
    queryKey: ['invoices', invoiceId, 'promises'],
    queryFn: () =>
      call(api.GET('/api/v1/invoices/{id}/promises', { params: { path: { id: invoiceId }, query: { limit: 50 } } })),
  });
}

export function useWorklist(query: { as_of?: string; owner?: string; currency?: string }) {
  return useQuery({
    queryKey: ['worklist', query],
    queryFn: () => call(api.GET('/api/v1/collections/worklist', { params: { query: { ...query, limit: 200 } } })),
  });
}
