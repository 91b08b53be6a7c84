import { Group, Stack } from '@mantine/core';
import { useCreditNoteList } from '../../api/credit-notes';
import { useCustomerNames } from '../../api/customers';
import { CreditNoteTable } from '../../components/CreditNoteTable';
import { CustomerPicker } from '../../components/CustomerPicker';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { setSearch, useLocation } from '../../lib/router';

export function CreditNoteListPage() {
  const { search } = useLocation();
  const customer = search.get('customer') ?? undefined;
  const { query, rows } = useCreditNoteList(customer ? { customer } : {});
  const names = useCustomerNames(rows.map((n) => n.customer));
  return (
    <Stack>
      <PageHeader
        title="Credit notes"
        subtitle="Corrections of posted invoices: issue them from the invoice."
        actions={<ExportCsvButton path="/credit_notes" fileName="credit_notes" />}
      />
      <Group>
        <CustomerPicker
          label="Customer"
          value={search.get('customer')}
          onChange={(id) => setSearch({ customer: id })}
          w={280}
        />
      </Group>
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Credit notes" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState title="No credit notes">
          A posted invoice is never changed: to correct one, open it and choose More → Issue credit note.
        </EmptyState>
      ) : (
        <CreditNoteTable
          notes={rows}
          customerName={(id) => names.get(id)?.name}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
    </Stack>
  );
}
