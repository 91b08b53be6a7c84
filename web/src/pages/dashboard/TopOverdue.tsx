import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { AgingReport } from '../../api/types';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { compareAmount, isZero, sumAmounts } from '../../lib/money';

/** The customers with the most money past due (from today's aging report). */
export function TopOverdue({ aging }: { aging: UseQueryResult<AgingReport> }) {
  const rows = (aging.data?.currencies ?? [])
    .flatMap((c) =>
      c.customers.map((row) => ({
        id: row.customer,
        name: row.name,
        currency: c.currency,
        overdue: sumAmounts(
          [row.buckets.d1_30, row.buckets.d31_60, row.buckets.d61_90, row.buckets.d90_plus],
          c.currency,
        ),
        oldest: row.buckets.d90_plus !== '0' && !isZero(row.buckets.d90_plus) ? 'over 90 days' : null,
      })),
    )
    .filter((r) => !isZero(r.overdue))
    .sort((a, b) => compareAmount(b.overdue, a.overdue))
    .slice(0, 6);

  return (
    <Paper withBorder p="md" h="100%" data-testid="top-overdue">
      <Title order={5} mb="sm">
        Top overdue customers
      </Title>
      {aging.isError ? (
        <Text size="sm" c="dimmed">
          Needs the aging report, which this server does not offer yet.
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No customer is late. Overdue customers show here with what they owe past due.
        </Text>
      ) : (
        <Stack gap="xs">
          {rows.map((r) => (
            <Group key={`${r.currency}:${r.id}`} justify="space-between" wrap="nowrap">
              <div style={{ minWidth: 0 }}>
                <Link to={`/customers/${r.id}`} size="sm">
                  {r.name}
                </Link>
                {r.oldest ? (
                  <Text size="xs" c="red">
                    some {r.oldest}
                  </Text>
                ) : null}
              </div>
              <Money amount={r.overdue} currency={r.currency} c="red.7" fw={600} size="sm" />
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
