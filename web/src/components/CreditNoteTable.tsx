import type { CreditNote } from '../api/types';
import { formatDate } from '../lib/dates';
import { navigate } from '../lib/router';
import { type Column, DataList } from './DataList';
import { Money } from './Money';
import { StatusBadge } from './StatusBadge';

const CREDIT_TO: Record<string, string> = {
  invoice: 'Against the invoice',
  customer_balance: 'To credit balance',
  refund: 'Refunded',
};

export function CreditNoteTable({
  notes,
  customerName,
  hasMore,
  onMore,
  loadingMore,
  actions,
}: {
  notes: readonly CreditNote[];
  customerName?: (id: string) => string | undefined;
  hasMore?: boolean;
  onMore?: () => void;
  loadingMore?: boolean;
  actions?: (note: CreditNote) => React.ReactNode;
}) {
  const columns: Column<CreditNote>[] = [
    { key: 'number', header: 'Number', render: (n) => n.number ?? '—', card: 'title' },
    ...(customerName
      ? [
          {
            key: 'customer',
            header: 'Customer',
            card: 'title' as const,
            render: (n: CreditNote) => customerName(n.customer) ?? '…',
          },
        ]
      : []),
    { key: 'date', header: 'Issued', render: (n) => formatDate(n.issue_date), card: 'meta' },
    { key: 'to', header: 'Credited', render: (n) => CREDIT_TO[n.credit_to] ?? n.credit_to, card: 'meta' },
    { key: 'reason', header: 'Reason', render: (n) => n.reason ?? '—', card: 'meta' },
    { key: 'status', header: 'Status', render: (n) => <StatusBadge status={n.status} />, card: 'meta' },
    {
      key: 'total',
      header: 'Total',
      align: 'right',
      card: 'amount',
      render: (n) => <Money amount={n.total} currency={n.currency} />,
    },
    ...(actions ? [{ key: 'actions', header: '', card: 'meta' as const, render: actions }] : []),
  ];
  return (
    <DataList
      rows={notes}
      columns={columns}
      rowKey={(n) => n.id}
      onOpen={(n) => navigate(`/invoices/${n.invoice}`)}
      hasMore={hasMore}
      onMore={onMore}
      loadingMore={loadingMore}
      testId="credit-note-list"
    />
  );
}
