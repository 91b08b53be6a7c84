import { Badge, Stack, Text } from '@mantine/core';
import { usePromises } from '../../api/activities';
import type { Invoice, PaymentPromise } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/QueryState';
import { formatDate } from '../../lib/dates';

const COLOR: Record<PaymentPromise['status'], string> = {
  open: 'blue',
  kept: 'teal',
  broken: 'red',
  cancelled: 'gray',
};

/** The invoice's promises to pay, newest first. */
export function InvoicePromises({ invoice }: { invoice: Invoice }) {
  const promises = usePromises(invoice.id);
  const columns: Column<PaymentPromise>[] = [
    {
      key: 'amount',
      header: 'Amount',
      card: 'title',
      render: (p) => <Money amount={p.amount} currency={invoice.currency} />,
    },
    {
      key: 'date',
      header: 'Pays by',
      card: 'meta',
      render: (p) => formatDate(p.date),
      cardRender: (p) => `By ${formatDate(p.date)}`,
    },
    {
      key: 'status',
      header: 'Status',
      card: 'amount',
      render: (p) => (
        <Badge color={COLOR[p.status]} variant="light">
          {p.status}
        </Badge>
      ),
    },
    { key: 'note', header: 'Note', card: 'meta', render: (p) => p.note ?? '—' },
  ];
  return (
    <Stack data-testid="invoice-promises">
      <QueryState query={promises}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No promises">
              <Text size="sm">When the customer promises to pay by a date, record it: reminders wait until then.</Text>
            </EmptyState>
          ) : (
            <DataList rows={page.data} columns={columns} rowKey={(p) => p.id} />
          )
        }
      </QueryState>
    </Stack>
  );
}
