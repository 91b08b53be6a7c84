import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { ListItem, RequestOf, ResponseOf } from './types';

export interface ReportFilter {
  owner?: string | undefined;
  territory?: string | undefined;
}

const clean = (f: ReportFilter) => ({
  ...(f.owner ? { owner: f.owner } : {}),
  ...(f.territory ? { territory: f.territory } : {}),
});

export function useForecast(from: string, months: number, filter: ReportFilter) {
  return useQuery({
    queryKey: ['reports', 'forecast', from, months, filter],
    queryFn: () => call(api.GET('/api/v1/reports/forecast', { params: { query: { from, months, ...clean(filter) } } })),
  });
}

export function useSales(from: string, to: string, filter: ReportFilter) {
  return useQuery({
    queryKey: ['reports', 'sales', from, to, filter],
    queryFn: () => call(api.GET('/api/v1/reports/sales', { params: { query: { from, to, ...clean(filter) } } })),
  });
}

/** The sales report once per filter (a row per rep or per territory). */
export function useSalesRows(from: string, to: string, filters: ReportFilter[]) {
  return useQueries({
    queries: filters.map((f) => ({
      queryKey: ['reports', 'sales', from, to, f],
      queryFn: () => call(api.GET('/api/v1/reports/sales', { params: { query: { from, to, ...clean(f) } } })),
    })),
  });
}

export function useTerritories() {
  return useQuery({
    queryKey: ['territories'],
    queryFn: () => call(api.GET('/api/v1/territories', { params: { query: { limit: 200 } } })),
  });
}

/** Users for owner pickers (admins only may list them; others get none). */
export function useUsersForPicker(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'picker'],
    enabled,
    queryFn: () => call(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
  });
}

export type TerritoryBody = RequestOf<'/api/v1/territories', 'post'>;
export type Territory = ListItem<'/api/v1/territories'>;
export type RealignResult = ResponseOf<'/api/v1/territories/realign', 'post'>;

export function useSaveTerritory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TerritoryBody }) =>
      id
        ? call(api.PATCH('/api/v1/territories/{id}', { params: { path: { id } }, body }))
        : call(api.POST('/api/v1/territories', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['territories'] }),
  });
}

export function useDeleteTerritory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/territories/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['territories'] }),
  });
}

export function useRealign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { dry_run: boolean; reassign_owners: boolean }) =>
      call(api.POST('/api/v1/territories/realign', { body })),
    onSuccess: (_r, body) => {
      if (!body.dry_run) qc.invalidateQueries();
    },
  });
}
