import { useQuery } from '@tanstack/react-query';
import { pendingCall } from './pending';
import type { Email, List, ReminderPolicy } from './pending-types';
import type { Invoice } from './types';

export function sendInvoice(id: string, body: { to?: string; cc?: string; message?: string }) {
  return pendingCall<{ invoice: Invoice; email: { id: string; to: string; status: string } }>(
    'POST',
    `/api/v1/invoices/${encodeURIComponent(id)}/send`,
    body,
  );
}

export function useEmails(filter: { invoice?: string; customer?: string }) {
  return useQuery({
    queryKey: ['emails', filter],
    queryFn: () => {
      const q = new URLSearchParams({ limit: '50' });
      if (filter.invoice) q.set('invoice', filter.invoice);
      if (filter.customer) q.set('customer', filter.customer);
      return pendingCall<List<Email>>('GET', `/api/v1/emails?${q}`);
    },
  });
}

export function useReminderPolicy() {
  return useQuery({
    queryKey: ['reminder_policy'],
    queryFn: () => pendingCall<ReminderPolicy>('GET', '/api/v1/settings/reminder_policy'),
  });
}

export function saveReminderPolicy(policy: ReminderPolicy) {
  return pendingCall<ReminderPolicy>('PUT', '/api/v1/settings/reminder_policy', policy);
}
