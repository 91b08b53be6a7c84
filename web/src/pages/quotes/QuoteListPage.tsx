import { Button, Group, Select, Stack } from '@mantine/core';
import { useCustomerNames } from '../../api/customers';
import { useQuoteList } from '../../api/quote-to-cash';
import { useMe } from '../../api/session';
import type { Quote, QuoteStatus } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { go } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { can } from '../../lib/roles';
import { navigate, setSearch, useLocation } from '../../lib/router';

export function QuoteListPage() {
  const me = useMe();
  const { search } = useLocation();
  const status = search.get('status') as QuoteStatus | null;
  const { query, rows } = useQuoteList(status ? { status } : {});
  const names = useCustomerNames(rows.map((q) => q.customer));
  const columns: Column<Quote>[] = [
    { key: 'number', header: 'Number', render: (q) => q.number, card: 'title' },
    { key: 'customer', header: 'Customer', render: (q) => names.get(q.customer)?.name ?? '…', card: 'title' },
    { key: 'status', header: 'Status', render: (q) => <StatusBadge status={q.status} />, card: 'meta' },
    { key: 'valid', header: 'Valid until', render: (q) => formatDate(q.valid_until), card: 'meta' },
    {
      key: 'total',
      header: 'One-time total',
      align: 'right',
      card: 'amount',
      render: (q) => <Money amount={q.total} currency={q.currency} />,
    },
  ];
  return (
    <Stack>
      <PageHeader
        title="Quotes"
        actions={can(me.role, 'draft') ? <Button onClick={go('/quotes/new')}>New quote</Button> : null}
      />
      <Group>
        <Select
          label="Status"
          placeholder="Any"
          clearable
          w={200}
          data={['draft', 'sent', 'accepted', 'declined', 'expired']}
          value={status}
          onChange={(v) => setSearch({ status: v })}
        />
      </Group>
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Quotes" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState
          title="No quotes"
          action={can(me.role, 'draft') ? <Button onClick={go('/quotes/new')}>Write a quote</Button> : null}
        >
          A quote offers one-time and recurring lines; when the customer accepts it, it becomes an order and its
          recurring lines become subscriptions.
        </EmptyState>
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(q) => q.id}
          onOpen={(q) => navigate(`/quotes/${q.id}`)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}
