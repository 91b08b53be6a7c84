import { Button, Group, Select, Stack } from '@mantine/core';
import { useCustomerNames } from '../../api/customers';
import { usePaymentList } from '../../api/payments';
import { useMe } from '../../api/session';
import { CustomerPicker } from '../../components/CustomerPicker';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { go } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { PaymentTable } from '../../components/PaymentTable';
import { ErrorAlert } from '../../components/QueryState';
import { can } from '../../lib/roles';
import { setSearch, useLocation } from '../../lib/router';

export function PaymentListPage() {
  const me = useMe();
  const { search } = useLocation();
  const filters = {
    ...(search.get('customer') ? { customer: search.get('customer')! } : {}),
    ...(search.get('status') ? { status: search.get('status') as 'succeeded' | 'reversed' } : {}),
  };
  const { query, rows } = usePaymentList(filters);
  const names = useCustomerNames(rows.map((p) => p.customer));
  const canRecord = can(me.role, 'finance');

  return (
    <Stack>
      <PageHeader
        title="Payments"
        actions={
          <Group gap="xs">
            <ExportCsvButton path="/payments" fileName="payments" />
            {canRecord ? (
              <Button onClick={go('/payments/new')} data-testid="new-payment">
                Record payment
              </Button>
            ) : null}
          </Group>
        }
      />
      <Group align="flex-end" wrap="wrap">
        <CustomerPicker
          label="Customer"
          value={search.get('customer')}
          onChange={(id) => setSearch({ customer: id })}
          w={280}
        />
        <Select
          label="Status"
          placeholder="Any"
          clearable
          data={[
            { value: 'succeeded', label: 'Succeeded' },
            { value: 'reversed', label: 'Reversed' },
          ]}
          value={search.get('status')}
          onChange={(v) => setSearch({ status: v })}
          w={180}
        />
      </Group>
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Payments" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState
          title={Object.keys(filters).length ? 'No payment matches' : 'No payments yet'}
          action={canRecord ? <Button onClick={go('/payments/new')}>Record a payment</Button> : null}
        >
          Record money as it arrives and apply it to the customer's open invoices; what is left stays as credit.
        </EmptyState>
      ) : (
        <PaymentTable
          payments={rows}
          customerName={(id) => names.get(id)?.name}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}
