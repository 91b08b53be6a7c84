import type { Payment } from '../api/types';
import { formatDate } from '../lib/dates';
import { isZero } from '../lib/money';
import { navigate } from '../lib/router';
import { type Column, DataList } from './DataList';
import { Money } from './Money';
import { label, StatusBadge } from './StatusBadge';

export const METHOD_LABEL: Record<string, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  cash: 'Cash',
  check: 'Check',
  other: 'Other',
};

export function PaymentTable({
  payments,
  customerName,
  showCustomer = true,
  hasMore,
  onMore,
  loadingMore,
}: {
  payments: readonly Payment[];
  customerName?: (id: string) => string | undefined;
  showCustomer?: boolean;
  hasMore?: boolean;
  onMore?: () => void;
  loadingMore?: boolean;
}) {
  const columns: Column<Payment>[] = [
    {
      key: 'date',
      header: 'Date',
      render: (p) => formatDate(p.date),
      card: showCustomer ? 'meta' : 'title',
    },
    ...(showCustomer
      ? [
          {
            key: 'customer',
            header: 'Customer',
            card: 'title' as const,
            render: (p: Payment) => customerName?.(p.customer) ?? '…',
          },
        ]
      : []),
    { key: 'method', header: 'Method', render: (p) => METHOD_LABEL[p.method] ?? label(p.method), card: 'meta' },
    { key: 'reference', header: 'Reference', render: (p) => p.reference ?? '—', card: 'meta' },
    { key: 'status', header: 'Status', render: (p) => <StatusBadge status={p.status} />, card: 'meta' },
    {
      key: 'unapplied',
      header: 'Unapplied',
      align: 'right',
      card: 'meta',
      render: (p) => (isZero(p.unapplied_amount) ? '—' : <Money amount={p.unapplied_amount} currency={p.currency} />),
      cardRender: (p) =>
        isZero(p.unapplied_amount) ? null : (
          <>
            Unapplied <Money amount={p.unapplied_amount} currency={p.currency} />
          </>
        ),
    },
    {
      key: 'amount',
      header: 'Amount',
      align: 'right',
      card: 'amount',
      render: (p) => <Money amount={p.amount} currency={p.currency} />,
    },
  ];
  return (
    <DataList
      rows={payments}
      columns={columns}
      rowKey={(p) => p.id}
      onOpen={(p) => navigate(`/payments/${p.id}`)}
      hasMore={hasMore}
      onMore={onMore}
      loadingMore={loadingMore}
      testId="payment-list"
    />
  );
}
