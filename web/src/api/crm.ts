import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { usePagedList } from './list';
import type { ListItem, ResponseOf } from './types';

export type Stage = ListItem<'/api/v1/pipeline_stages'>;
export type Opportunity = ResponseOf<'/api/v1/opportunities/{id}', 'get'>;
export type Lead = ResponseOf<'/api/v1/leads/{id}', 'get'>;

const fetchOpportunity = (id: string) => call(api.GET('/api/v1/opportunities/{id}', { params: { path: { id } } }));
const fetchLead = (id: string) => call(api.GET('/api/v1/leads/{id}', { params: { path: { id } } }));

export function useStages() {
  return useQuery({
    queryKey: ['pipeline_stages'],
    queryFn: () => call(api.GET('/api/v1/pipeline_stages')),
  });
}

/** Every open opportunity (the board), page after page. */
export function useOpenOpportunities() {
  return useQuery({
    queryKey: ['opportunities', 'open'],
    queryFn: async () => {
      const all: Opportunity[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await call(
          api.GET('/api/v1/opportunities', {
            params: { query: { status: 'open', limit: 200, ...(after ? { starting_after: after } : {}) } },
          }),
        );
        all.push(...page.data);
        if (!page.has_more || page.data.length === 0) return all;
        after = page.data.at(-1)!.id;
      }
    },
  });
}

export function useCustomerOpportunities(customer: string) {
  return useQuery({
    queryKey: ['opportunities', 'customer', customer],
    queryFn: () => call(api.GET('/api/v1/opportunities', { params: { query: { customer, limit: 100 } } })),
  });
}

export function useOpportunity(id: string) {
  return useQuery({ queryKey: ['opportunities', id], queryFn: () => fetchOpportunity(id) });
}

export function useMoveOpportunity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; stage: string; lost_reason?: string }) =>
      call(
        api.PATCH('/api/v1/opportunities/{id}', {
          params: { path: { id: v.id } },
          body: { stage: v.stage, ...(v.lost_reason ? { lost_reason: v.lost_reason } : {}) },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ['opportunities'] }),
  });
}

export function useLeadList(filters: { status?: 'new' | 'working' | 'qualified' | 'disqualified' | 'converted' }) {
  return usePagedList(['leads', 'list', filters], (startingAfter) =>
    call(api.GET('/api/v1/leads', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } })),
  );
}

export function useLead(id: string) {
  return useQuery({ queryKey: ['leads', id], queryFn: () => fetchLead(id) });
}

export function useCreateLead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; company?: string; email?: string; phone?: string; country?: string }) =>
      call(api.POST('/api/v1/leads', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: ['leads'] }),
  });
}

export function useConvertLead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; opportunity: { name: string; close_date: string; amount?: string } | null }) =>
      call(
        api.POST('/api/v1/leads/{id}/convert', {
          params: { path: { id: v.id } },
          body: { opportunity: v.opportunity },
        }),
      ),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['leads'] });
      void client.invalidateQueries({ queryKey: ['opportunities'] });
      void client.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}
