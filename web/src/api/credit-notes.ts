import { usePagedList } from './list';
import { pendingCall } from './pending';
import type { CreditNote, CreditNoteInput, List } from './pending-types';

export function useCreditNoteList(filters: { invoice?: string; customer?: string }) {
  return usePagedList(['credit_notes', 'list', filters], (startingAfter) => {
    const q = new URLSearchParams({ limit: '50' });
    if (filters.invoice) q.set('invoice', filters.invoice);
    if (filters.customer) q.set('customer', filters.customer);
    if (startingAfter) q.set('starting_after', startingAfter);
    return pendingCall<List<CreditNote>>('GET', `/api/v1/credit_notes?${q}`);
  });
}

export function createCreditNote(body: CreditNoteInput): Promise<CreditNote> {
  return pendingCall<CreditNote>('POST', '/api/v1/credit_notes', body);
}

export function voidCreditNote(id: string): Promise<CreditNote> {
  return pendingCall<CreditNote>('POST', `/api/v1/credit_notes/${encodeURIComponent(id)}/void`);
}
