import { Badge, Button, Group, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useCustomerList } from '../../api/customers';
import { useCustomerBalances } from '../../api/reports';
import { useMe } from '../../api/session';
import type { Customer } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { go } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { isZero } from '../../lib/money';
import { can } from '../../lib/roles';
import { navigate, setSearch, useLocation } from '../../lib/router';

export function CustomerListPage() {
  const me = useMe();
  const { search } = useLocation();
  const [text, setText] = useState(search.get('q') ?? '');
  const [debounced] = useDebouncedValue(text, 250);
  useEffect(() => setSearch({ q: debounced }), [debounced]);
  const { query, rows } = useCustomerList(debounced.trim());
  const { balances, available } = useCustomerBalances();

  const columns: Column<Customer>[] = [
    { key: 'name', header: 'Name', render: (c) => c.name, card: 'title' },
    { key: 'email', header: 'Email', render: (c) => c.email ?? '—', card: 'meta' },
    { key: 'currency', header: 'Currency', render: (c) => c.currency, card: 'meta' },
    {
      key: 'balance',
      header: 'Outstanding',
      align: 'right',
      card: 'amount',
      render: (c) => {
        const b = balances.get(c.id);
        if (!available) return '—';
        return (
          <span>
            <Money amount={b?.total ?? '0'} currency={c.currency} c={b?.overdue ? 'red.7' : undefined} />
          </span>
        );
      },
    },
    {
      key: 'credit',
      header: 'Credit',
      align: 'right',
      card: 'meta',
      cardRender: (c) =>
        isZero(c.credit_balance) ? null : (
          <>
            Credit <Money amount={c.credit_balance} currency={c.currency} />
          </>
        ),
      render: (c) =>
        isZero(c.credit_balance) ? (
          '—'
        ) : (
          <Badge variant="light" color="teal">
            Credit <Money amount={c.credit_balance} currency={c.currency} />
          </Badge>
        ),
    },
  ];

  return (
    <Stack>
      <PageHeader
        title="Customers"
        actions={
          <Group gap="xs">
            <ExportCsvButton path="/customers" fileName="customers" />
            {can(me.role, 'draft') ? (
              <Button onClick={go('/customers/new')} data-testid="new-customer">
                New customer
              </Button>
            ) : null}
          </Group>
        }
      />
      <TextInput
        placeholder="Search by name, email or tax id"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        aria-label="Search customers"
        type="search"
      />
      {query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.isPending ? null : rows.length === 0 ? (
        debounced ? (
          <EmptyState title="No customer matches">Try another part of the name, or clear the search.</EmptyState>
        ) : (
          <EmptyState
            title="No customers yet"
            action={
              can(me.role, 'draft') ? <Button onClick={go('/customers/new')}>Add your first customer</Button> : null
            }
          >
            Customers are who you invoice. Add one with its billing address and currency, then draft its first invoice.
          </EmptyState>
        )
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(c) => c.id}
          onOpen={(c) => navigate(`/customers/${c.id}`)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
          testId="customer-list"
        />
      )}
    </Stack>
  );
}
