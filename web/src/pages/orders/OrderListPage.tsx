import { Stack } from '@mantine/core';
import { useCustomerNames } from '../../api/customers';
import { useOrderList } from '../../api/quote-to-cash';
import type { Order } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { navigate } from '../../lib/router';

export function OrderListPage() {
  const { query, rows } = useOrderList({});
  const names = useCustomerNames(rows.map((o) => o.customer));
  const columns: Column<Order>[] = [
    { key: 'number', header: 'Number', render: (o) => o.number, card: 'title' },
    { key: 'customer', header: 'Customer', render: (o) => names.get(o.customer)?.name ?? '…', card: 'title' },
    { key: 'status', header: 'Status', render: (o) => <StatusBadge status={o.status} />, card: 'meta' },
    { key: 'created', header: 'Ordered', render: (o) => formatDate(o.created_at), card: 'meta' },
    {
      key: 'invoiced',
      header: 'Invoiced',
      align: 'right',
      card: 'meta',
      render: (o) => <Money amount={o.invoiced_amount} currency={o.currency} />,
    },
    {
      key: 'remaining',
      header: 'Left to invoice',
      align: 'right',
      card: 'amount',
      render: (o) => <Money amount={o.remaining_amount} currency={o.currency} />,
    },
  ];
  return (
    <Stack>
      <PageHeader title="Orders" subtitle="Accepted quotes: invoice them in parts or at once." />
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Orders" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState title="No orders yet">
          An order is made when a customer accepts a quote; invoice its one-time lines by quantity and its milestones by
          percent.
        </EmptyState>
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(o) => o.id}
          onOpen={(o) => navigate(`/orders/${o.id}`)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}
