import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useCustomerOpportunities } from '../../api/crm';
import { Money } from '../../components/Money';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { navigate } from '../../lib/router';

/** The customer's opportunities, open and closed. */
export function DealsPanel({ customer }: { customer: string }) {
  const deals = useCustomerOpportunities(customer);
  if (deals.isError) return <ErrorAlert error={deals.error} feature="Opportunities" />;
  if (!deals.data) return null;
  if (deals.data.data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        No deals with this customer yet.
      </Text>
    );
  return (
    <Stack gap="xs" data-testid="customer-deals">
      {deals.data.data.map((o) => (
        <Paper
          key={o.id}
          withBorder
          p="sm"
          radius="md"
          className="clickable-row"
          onClick={() => navigate(`/opportunities/${o.id}`)}
        >
          <Group justify="space-between">
            <Group gap="xs">
              <Text fw={600}>{o.name}</Text>
              <StatusBadge status={o.status} />
            </Group>
            <Group gap="xs">
              <Badge variant="default">{o.probability} %</Badge>
              <Money amount={o.amount} currency={o.currency} />
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
