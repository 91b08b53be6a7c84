import { useEmails } from '../../api/documents';
import type { Email, Invoice } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';

const columns: Column<Email>[] = [
  { key: 'subject', header: 'Subject', render: (e) => e.subject, card: 'title' },
  { key: 'to', header: 'To', render: (e) => [e.to, e.cc].filter(Boolean).join(', '), card: 'meta' },
  { key: 'status', header: 'Status', render: (e) => <StatusBadge status={e.status} />, card: 'amount' },
  { key: 'sent', header: 'Sent', render: (e) => formatDateTime(e.sent_at), card: 'meta' },
  { key: 'error', header: 'Problem', render: (e) => e.error ?? '—', card: 'meta' },
];

export function InvoiceEmails({ invoice }: { invoice: Invoice }) {
  const emails = useEmails({ invoice: invoice.id });
  return (
    <QueryState query={emails} feature="Email delivery">
      {(page) =>
        page.data.length === 0 ? (
          <EmptyState title="No emails yet">
            Send the invoice to email it with the PDF and a link to its page.
          </EmptyState>
        ) : (
          <DataList rows={page.data} columns={columns} rowKey={(e) => e.id} />
        )
      }
    </QueryState>
  );
}
