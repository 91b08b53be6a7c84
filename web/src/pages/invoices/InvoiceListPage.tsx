import { Button, Checkbox, Collapse, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useCustomerNames } from '../../api/customers';
import {
  downloadInvoicePdfs,
  type InvoiceFilters,
  type InvoiceSummary,
  useInvoiceList,
  useInvoiceSummary,
} from '../../api/invoices';
import { useMe } from '../../api/session';
import type { InvoiceStatus } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { InvoiceTable } from '../../components/InvoiceTable';
import { go } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
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

const SORTS = [
  { value: '-number', label: 'Number, newest first' },
  { value: 'number', label: 'Number, oldest first' },
  { value: '-issue_date', label: 'Issue date, newest first' },
  { value: 'issue_date', label: 'Issue date, oldest first' },
  { value: 'due_date', label: 'Due date, soonest first' },
  { value: 'customer_name', label: 'Customer A–Z' },
  { value: '-total', label: 'Total, largest first' },
  { value: '-amount_due', label: 'Amount due, largest first' },
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
  const sort = (search.get('sort') ?? '-number') as NonNullable<InvoiceFilters['sort']>;
  const mobile = useIsMobile();
  const active = Object.keys(filters).filter((k) => k !== 'search').length;
  const [showFilters, { toggle }] = useDisclosure(false);
  const { query, rows } = useInvoiceList({ ...filters, sort });
  const summary = useInvoiceSummary(filters);
  const [zipping, setZipping] = useState(false);
  const downloadZip = async () => {
    setZipping(true);
    try {
      await downloadInvoicePdfs(rows.slice(0, 200).map((r) => r.id));
    } finally {
      setZipping(false);
    }
  };
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
            <Select
              label="Sort by"
              data={SORTS}
              value={sort}
              allowDeselect={false}
              onChange={(v) => setSearch({ sort: v })}
              data-testid="invoice-sort"
              w={220}
            />
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
          footer={
            <Stack gap="xs">
              <Totals summary={summary.data ?? []} />
              <Group>
                <Button size="compact-sm" variant="default" loading={zipping} onClick={downloadZip}>
                  Download {Math.min(rows.length, 200)} PDFs (zip)
                </Button>
              </Group>
            </Stack>
          }
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}

/** Totals over every invoice the filters select, per currency (GET /invoices/summary, not only the loaded rows). */
function Totals({ summary }: { summary: readonly InvoiceSummary[] }) {
  return (
    <Stack gap={2} data-testid="invoice-totals">
      {summary.map((s) => (
        <Group key={s.currency} justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" fw={600}>
            {s.count} invoice{s.count === 1 ? '' : 's'} in {s.currency}
          </Text>
          <Group gap="md">
            <Text size="sm">
              Total <Money amount={s.total} currency={s.currency} fw={600} />
            </Text>
            <Text size="sm">
              Due <Money amount={s.amount_due} currency={s.currency} fw={600} />
            </Text>
          </Group>
        </Group>
      ))}
    </Stack>
  );
}
