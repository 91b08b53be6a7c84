import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader';
import { useLocation } from '../../lib/router';
import { QuoteForm } from './QuoteForm';

export function QuoteNewPage() {
  const { search } = useLocation();
  return (
    <Stack maw={1100}>
      <PageHeader title="New quote" />
      <QuoteForm initialCustomer={search.get('customer')} />
    </Stack>
  );
}
