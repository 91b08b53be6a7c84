import { Button, Checkbox, Collapse, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useCustomerNames } from '../../api/customers';
import { type InvoiceFilters, useInvoiceList } from '../../api/invoices';
import { useMe } from '../../api/session';
import type { Invoice, InvoiceStatus } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { InvoiceTable } from '../../components/InvoiceTable';
import { go } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { sumAmounts } from '../../lib/money';
import { can } from '../../lib/roles';
import { setSearch, useLocation } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';

const STATUSES: { value: InvoiceStatus | 'open'; label: string }[] = [
  { value: 'draft', label: 'Draft' },
  { value: 'posted', label: 'Open (posted)' },
  { value: 'paid', label: 'Paid' },
  { value: 'void', label: 'Void' },
  { value: 'uncollectible', label: 'Uncollectible' },
];

export function InvoiceListPage() {
  const me = useMe();
  const { search } = useLocation();
  const [text, setText] = useState(search.get('q') ?? '');
  const [debounced] = useDebouncedValue(text, 250);
  useEffect(() => setSearch({ q: debounced }), [debounced]);

  const status = search.get('status') as InvoiceStatus | null;
  const paymentStatus = search.get('payment_status') as InvoiceFilters['payment_status'] | null;
  const filters: InvoiceFilters = {
    ...(status ? { status } : {}),
    ...(paymentStatus ? { payment_status: paymentStatus } : {}),
    ...(search.get('overdue') === 'true' ? { overdue: 'true' as const } : {}),
    ...(search.get('customer') ? { customer: search.get('customer')! } : {}),
    ...(search.get('from') ? { 'issue_date[gte]': search.get('from')! } : {}),
    ...(search.get('to') ? { 'issue_date[lte]': search.get('to')! } : {}),
    ...(debounced.trim() ? { search: debounced.trim() } : {}),
  };
  const filtered = Object.keys(filters).length > 0;
  const mobile = useIsMobile();
  const active = Object.keys(filters).filter((k) => k !== 'search').length;
  const [showFilters, { toggle }] = useDisclosure(false);
  const { query, rows } = useInvoiceList(filters);
  const names = useCustomerNames(rows.filter((i) => !i.customer_snapshot).map((i) => i.customer));

  return (
    <Stack>
      <PageHeader
        title="Invoices"
        actions={
          <Group gap="xs">
            <ExportCsvButton path="/invoices" fileName="invoices" />
            {can(me.role, 'draft') ? (
              <Button onClick={go('/invoices/new')} data-testid="new-invoice">
                New invoice
              </Button>
            ) : null}
          </Group>
        }
      />
      <Paper withBorder p="sm">
        {mobile ? (
          <Group gap="xs" wrap="nowrap" mb={showFilters ? 'sm' : 0}>
            <TextInput
              placeholder="Number or customer"
              aria-label="Search"
              type="search"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button variant={active ? 'light' : 'default'} onClick={toggle} aria-expanded={showFilters}>
              Filters{active ? ` (${active})` : ''}
            </Button>
          </Group>
        ) : null}
        <Collapse in={!mobile || showFilters}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 6 }} spacing="sm">
            {!mobile ? (
              <TextInput
                label="Search"
                placeholder="Number or customer"
                type="search"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
            ) : null}
            <Select
              label="Status"
              placeholder="Any"
              clearable
              data={STATUSES}
              value={status}
              onChange={(v) => setSearch({ status: v })}
              data-testid="filter-status"
            />
            <Select
              label="Payment"
              placeholder="Any"
              clearable
              data={[
                { value: 'unpaid', label: 'Unpaid' },
                { value: 'partially_paid', label: 'Partially paid' },
                { value: 'paid', label: 'Paid' },
              ]}
              value={paymentStatus}
              onChange={(v) => setSearch({ payment_status: v })}
            />
            <CustomerPicker
              label="Customer"
              value={search.get('customer')}
              onChange={(id) => setSearch({ customer: id })}
            />
            <TextInput
              label="Issued from"
              type="date"
              value={search.get('from') ?? ''}
              onChange={(e) => setSearch({ from: e.currentTarget.value })}
            />
            <TextInput
              label="Issued to"
              type="date"
              value={search.get('to') ?? ''}
              onChange={(e) => setSearch({ to: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Group mt="sm" justify="space-between">
            <Checkbox
              label="Only overdue"
              checked={search.get('overdue') === 'true'}
              onChange={(e) => setSearch({ overdue: e.currentTarget.checked ? 'true' : null })}
            />
            {filtered ? (
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => {
                  setText('');
                  setSearch({
                    status: null,
                    payment_status: null,
                    overdue: null,
                    customer: null,
                    from: null,
                    to: null,
                    q: null,
                  });
                }}
              >
                Clear filters
              </Button>
            ) : null}
          </Group>
        </Collapse>
      </Paper>
      {query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.isPending ? null : rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No invoice matches these filters">Change or clear the filters to see more.</EmptyState>
        ) : (
          <EmptyState
            title="No invoices yet"
            action={can(me.role, 'draft') ? <Button onClick={go('/invoices/new')}>Draft an invoice</Button> : null}
          >
            Draft an invoice for a customer, check its totals, then post it to give it its number.
          </EmptyState>
        )
      ) : (
        <InvoiceTable
          invoices={rows}
          customerName={(id) => names.get(id)?.name}
          footer={<Totals rows={rows} more={!!query.hasNextPage} />}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}

/** Totals of the listed invoices per currency (exact decimal sums of the API's strings). */
function Totals({ rows, more }: { rows: readonly Invoice[]; more: boolean }) {
  const byCurrency = new Map<string, Invoice[]>();
  for (const r of rows) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  return (
    <Stack gap={2} data-testid="invoice-totals">
      {[...byCurrency].map(([currency, list]) => (
        <Group key={currency} justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" fw={600}>
            {list.length} invoice{list.length === 1 ? '' : 's'} in {currency}
            {more ? ' shown' : ''}
          </Text>
          <Group gap="md">
            <Text size="sm">
              Total{' '}
              <Money
                amount={sumAmounts(
                  list.map((i) => i.total),
                  currency,
                )}
                currency={currency}
                fw={600}
              />
            </Text>
            <Text size="sm">
              Due{' '}
              <Money
                amount={sumAmounts(
                  list.map((i) => (i.status === 'draft' ? '0' : i.amount_due)),
                  currency,
                )}
                currency={currency}
                fw={600}
              />
            </Text>
          </Group>
        </Group>
      ))}
      {more ? (
        <Text size="xs" c="dimmed">
          Load more to include the rest in the totals.
        </Text>
      ) : null}
    </Stack>
  );
}
