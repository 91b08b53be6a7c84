import { Anchor, Badge, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import type { Invoice } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { navigate } from '../../lib/router';

/** Payments made on the hosted page through Stripe, with the ids to find them in Stripe's dashboard. */
export function InvoiceOnlinePayments({ invoice }: { invoice: Invoice }) {
  const online = useQuery({
    queryKey: ['invoices', invoice.id, 'online_payments'],
    queryFn: () => call(api.GET('/api/v1/invoices/{id}/online_payments', { params: { path: { id: invoice.id } } })),
  });
  const rows = online.data?.data ?? [];
  if (rows.length === 0) return null;
  return (
    <Paper withBorder p="md" data-testid="online-payments">
      <Title order={5} mb="xs">
        Paid online
      </Title>
      <Stack gap={4} hiddenFrom="sm">
        {rows.map((r) => (
          <Text key={r.payment_intent} size="sm">
            {formatMoney(r.amount, r.currency)} · {formatDate(r.created_at)} · <Code>{r.payment_intent}</Code>
            {!/^0(\.0+)?$/.test(r.refunded_amount) ? (
              <Badge ml={6} color="orange" size="sm">
                refunded {formatMoney(r.refunded_amount, r.currency)}
              </Badge>
            ) : null}
          </Text>
        ))}
      </Stack>
      <Table visibleFrom="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Stripe payment</Table.Th>
            <Table.Th>Checkout session</Table.Th>
            <Table.Th ta="right">Refunded</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.payment_intent}>
              <Table.Td>
                {r.payment ? (
                  <Anchor size="sm" onClick={() => navigate(`/payments/${r.payment}`)}>
                    {formatDate(r.created_at)}
                  </Anchor>
                ) : (
                  formatDate(r.created_at)
                )}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(r.amount, r.currency)}</Table.Td>
              <Table.Td>
                <Code>{r.payment_intent}</Code>
              </Table.Td>
              <Table.Td>{r.checkout_session ? <Code>{r.checkout_session}</Code> : '—'}</Table.Td>
              <Table.Td ta="right">
                {/^0(\.0+)?$/.test(r.refunded_amount) ? '—' : formatMoney(r.refunded_amount, r.currency)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
