import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import type { EmailTemplates, ReminderPolicy } from './types';

export function sendInvoice(id: string, body: { to?: string[]; cc?: string[]; message?: string }) {
  return call(api.POST('/api/v1/invoices/{id}/send', { params: { path: { id } }, body }));
}

export function useEmails(filter: { invoice?: string; customer?: string }) {
  return useQuery({
    queryKey: ['emails', filter],
    queryFn: () => call(api.GET('/api/v1/emails', { params: { query: { limit: 50, ...filter } } })),
  });
}

export function useReminderPolicy() {
  return useQuery({
    queryKey: ['reminder_policy'],
    queryFn: () => call(api.GET('/api/v1/settings/reminder_policy')),
  });
}

export function saveReminderPolicy(policy: ReminderPolicy) {
  return call(api.PUT('/api/v1/settings/reminder_policy', { body: policy }));
}

export function useEmailTemplates() {
  return useQuery({
    queryKey: ['email_templates'],
    queryFn: () => call(api.GET('/api/v1/settings/email_templates')),
  });
}

export function saveEmailTemplates(templates: Partial<EmailTemplates>) {
  return call(api.PUT('/api/v1/settings/email_templates', { body: templates }));
}
