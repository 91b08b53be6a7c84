import { Button, Group, List, Paper, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { useMe } from '../../api/session';
import { go } from '../../components/Link';
import { can } from '../../lib/roles';

/** Shown until the organization has its first invoice: the steps to get there. */
export function GettingStarted() {
  const me = useMe();
  const state = useQuery({
    queryKey: ['getting-started'],
    queryFn: async () => {
      const invoices = await call(api.GET('/api/v1/invoices', { params: { query: { limit: 1 } } }));
      if (invoices.data.length > 0) return { rates: true, customers: true, invoices: true };
      const [rates, customers] = await Promise.all([
        call(api.GET('/api/v1/tax_rates', { params: { query: { limit: 1 } } })),
        call(api.GET('/api/v1/customers', { params: { query: { limit: 1 } } })),
      ]);
      return { rates: rates.data.length > 0, customers: customers.data.length > 0, invoices: false };
    },
  });
  if (!state.data || state.data.invoices) return null;
  const s = state.data;
  return (
    <Paper withBorder p="md" bg="teal.0" data-testid="getting-started">
      <Title order={4}>Get started</Title>
      <Text size="sm" mb="xs">
        Three steps to your first invoice:
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>{s.rates ? '✓ ' : ''}Add the tax rates you charge (Settings → Tax rates).</List.Item>
        <List.Item>{s.customers ? '✓ ' : ''}Add a customer.</List.Item>
        <List.Item>Draft an invoice, check its totals and post it.</List.Item>
      </List>
      <Group mt="sm" gap="xs">
        {!s.rates && can(me.role, 'finance') ? (
          <Button size="xs" variant="light" onClick={go('/settings/tax-rates')}>
            Add tax rates
          </Button>
        ) : null}
        {!s.customers && can(me.role, 'draft') ? (
          <Button size="xs" variant="light" onClick={go('/customers/new')}>
            Add a customer
          </Button>
        ) : null}
        {s.customers && can(me.role, 'draft') ? (
          <Button size="xs" onClick={go('/invoices/new')}>
            Draft an invoice
          </Button>
        ) : null}
      </Group>
    </Paper>
  );
}
