import type { Invoice } from '../api/types';
import { formatDate } from '../lib/dates';
import { navigate } from '../lib/router';
import { type Column, DataList } from './DataList';
import { Money } from './Money';
import { InvoiceBadges } from './StatusBadge';

/** Invoices as rows (or cards on a phone): number, customer, dates, state, total and amount due. */
export function InvoiceTable({
  invoices,
  customerName,
  footer,
  hasMore,
  onMore,
  loadingMore,
  showCustomer = true,
}: {
  invoices: readonly Invoice[];
  customerName?: (id: string) => string | undefined;
  footer?: React.ReactNode;
  hasMore?: boolean;
  onMore?: () => void;
  loadingMore?: boolean;
  showCustomer?: boolean;
}) {
  const columns: Column<Invoice>[] = [
    { key: 'number', header: 'Number', render: (i) => i.number ?? 'Draft', card: 'title' },
    ...(showCustomer
      ? [
          {
            key: 'customer',
            header: 'Customer',
            card: 'title' as const,
            render: (i: Invoice) => i.customer_snapshot?.name ?? customerName?.(i.customer) ?? '…',
          },
        ]
      : []),
    {
      key: 'issue',
      header: 'Issued',
      render: (i) => formatDate(i.issue_date),
      cardRender: (i) => (i.issue_date ? `Issued ${formatDate(i.issue_date)}` : 'Not issued'),
      card: 'meta',
    },
    {
      key: 'due',
      header: 'Due',
      render: (i) => formatDate(i.due_date),
      cardRender: (i) => (i.due_date ? `Due ${formatDate(i.due_date)}` : null),
      card: 'meta',
    },
    { key: 'status', header: 'Status', render: (i) => <InvoiceBadges invoice={i} />, card: 'meta' },
    {
      key: 'total',
      header: 'Total',
      align: 'right',
      card: 'hidden',
      render: (i) => <Money amount={i.total} currency={i.currency} />,
    },
    {
      key: 'due_amount',
      header: 'Amount due',
      align: 'right',
      card: 'amount',
      render: (i) =>
        i.status === 'draft' ? '—' : <Money amount={i.amount_due} currency={i.currency} fw={i.overdue ? 600 : 400} />,
      cardRender: (i) => (
        <Money
          amount={i.status === 'draft' ? i.total : i.amount_due}
          currency={i.currency}
          fw={i.overdue ? 600 : 400}
        />
      ),
    },
  ];
  return (
    <DataList
      rows={invoices}
      columns={columns}
      rowKey={(i) => i.id}
      onOpen={(i) => navigate(`/invoices/${i.id}`)}
      footer={footer}
      hasMore={hasMore}
      onMore={onMore}
      loadingMore={loadingMore}
      testId="invoice-list"
    />
  );
}
