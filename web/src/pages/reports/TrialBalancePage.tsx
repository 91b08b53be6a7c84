import { Group, Paper, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { useSettings } from '../../api/session';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { todayIn } from '../../lib/dates';
import { setSearch, useLocation } from '../../lib/router';

/** The ledger's accounts as of a date: receivables here equal the aging total. */
export function TrialBalancePage() {
  const settings = useSettings();
  const { search } = useLocation();
  const asOf = search.get('as_of') || todayIn(settings.data?.time_zone);
  const report = useQuery({
    queryKey: ['reports', 'trial_balance', asOf],
    queryFn: () => call(api.GET('/api/v1/reports/trial_balance', { params: { query: { as_of: asOf } } })),
  });
  return (
    <Stack>
      <PageHeader title="Trial balance" subtitle="Debits, credits and balances of the ledger accounts." />
      <Group>
        <TextInput
          type="date"
          label="As of"
          value={asOf}
          onChange={(e) => setSearch({ as_of: e.currentTarget.value })}
        />
      </Group>
      <QueryState query={report} feature="The trial balance">
        {(tb) =>
          tb.currencies.length === 0 ? (
            <EmptyState title="No journal entries yet">Posting invoices and recording payments writes them.</EmptyState>
          ) : (
            tb.currencies.map((c) => (
              <Paper key={c.currency} withBorder p="md">
                <Title order={4} mb="sm">
                  {c.currency}
                </Title>
                <Table.ScrollContainer minWidth={520}>
                  <Table verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Account</Table.Th>
                        <Table.Th ta="right">Debit</Table.Th>
                        <Table.Th ta="right">Credit</Table.Th>
                        <Table.Th ta="right">Balance</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {c.accounts.map((a) => (
                        <Table.Tr key={a.account}>
                          <Table.Td>
                            {a.account} · {a.name}
                          </Table.Td>
                          <Table.Td ta="right">
                            <Money amount={a.debit} currency={c.currency} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Money amount={a.credit} currency={c.currency} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Money amount={a.balance} currency={c.currency} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                    <Table.Tfoot>
                      <Table.Tr>
                        <Table.Th>Total</Table.Th>
                        <Table.Th ta="right">
                          <Money amount={c.total_debit} currency={c.currency} />
                        </Table.Th>
                        <Table.Th ta="right">
                          <Money amount={c.total_credit} currency={c.currency} />
                        </Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Tfoot>
                  </Table>
                </Table.ScrollContainer>
              </Paper>
            ))
          )
        }
      </QueryState>
    </Stack>
  );
}
