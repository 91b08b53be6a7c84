import { Button, Stack } from '@mantine/core';
import { useCustomerNames } from '../../api/customers';
import { useSubscriptionList } from '../../api/quote-to-cash';
import { useMe } from '../../api/session';
import type { Subscription } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { go } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';

export const INTERVAL_LABEL: Record<string, string> = { month: 'Monthly', quarter: 'Quarterly', year: 'Yearly' };

export function intervalText(s: { interval: string; interval_count: number }): string {
  return s.interval_count > 1 ? `Every ${s.interval_count} ${s.interval}s` : (INTERVAL_LABEL[s.interval] ?? s.interval);
}

export function SubscriptionListPage() {
  const me = useMe();
  const { query, rows } = useSubscriptionList({});
  const names = useCustomerNames(rows.map((s) => s.customer));
  const columns: Column<Subscription>[] = [
    { key: 'customer', header: 'Customer', render: (s) => names.get(s.customer)?.name ?? '…', card: 'title' },
    { key: 'items', header: 'Items', render: (s) => s.items.map((i) => i.description).join(', '), card: 'meta' },
    { key: 'interval', header: 'Billing', render: (s) => intervalText(s), card: 'meta' },
    { key: 'status', header: 'Status', render: (s) => <StatusBadge status={s.status} />, card: 'amount' },
    {
      key: 'next',
      header: 'Next billing',
      render: (s) => formatDate(s.next_billing_date),
      cardRender: (s) => (s.next_billing_date ? `Next ${formatDate(s.next_billing_date)}` : null),
      card: 'meta',
    },
  ];
  return (
    <Stack>
      <PageHeader
        title="Subscriptions"
        actions={can(me.role, 'finance') ? <Button onClick={go('/subscriptions/new')}>New subscription</Button> : null}
      />
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Subscriptions" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState title="No subscriptions">
          Subscriptions bill recurring items every month, quarter or year (and usage in arrears); they come from
          accepted quotes or are set up here.
        </EmptyState>
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(s) => s.id}
          onOpen={(s) => navigate(`/subscriptions/${s.id}`)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}
