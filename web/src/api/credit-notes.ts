import { api, call } from './client';
import { usePagedList } from './list';
import type { CreditNoteInput } from './types';

export function useCreditNoteList(filters: { invoice?: string; customer?: string }) {
  return usePagedList(['credit_notes', 'list', filters], (startingAfter) =>
    call(
      api.GET('/api/v1/credit_notes', { params: { query: { limit: 50, ...filters, starting_after: startingAfter } } }),
    ),
  );
}

export function createCreditNote(body: CreditNoteInput) {
  return call(api.POST('/api/v1/credit_notes', { body }));
}

export function voidCreditNote(id: string) {
  return call(api.POST('/api/v1/credit_notes/{id}/void', { params: { path: { id } } }));
}
