import { Alert, Anchor, Badge, Button, Grid, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, downloadFile } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useQuote } from '../../api/quote-to-cash';
import { useMe } from '../../api/session';
import type { Quote } from '../../api/types';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { formatDecimal, formatPrice } from '../../lib/money';
import { can } from '../../lib/roles';
import { QuoteForm } from './QuoteForm';

const EVERY: Record<string, string> = { month: 'month', quarter: 'quarter', year: 'year' };

export function QuotePage({ params }: { params: Record<string, string> }) {
  const quote = useQuote(params.id!);
  return <QueryState query={quote}>{(q) => <QuoteView quote={q} />}</QueryState>;
}

function QuoteView({ quote }: { quote: Quote }) {
  const me = useMe();
  const qc = useQueryClient();
  const customer = useCustomer(quote.customer);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const sales = can(me.role, 'draft');
  const open = quote.status === 'draft' || quote.status === 'sent';
  const path = { params: { path: { id: quote.id } } };

  const act = async (name: string, run: () => Promise<unknown>, done: string) => {
    setBusy(name);
    setError(null);
    try {
      await run();
      await qc.invalidateQueries();
      toast(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  if (editing)
    return (
      <Stack maw={1100}>
        <PageHeader
          title={`Edit quote ${quote.number}`}
          actions={
            <Button variant="default" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          }
        />
        <QuoteForm quote={quote} onSaved={() => setEditing(false)} />
      </Stack>
    );

  return (
    <Stack>
      <PageHeader
        title={`Quote ${quote.number}`}
        badge={<StatusBadge status={quote.status} />}
        subtitle={
          <>
            for <Link to={`/customers/${quote.customer}`}>{customer.data?.name ?? '…'}</Link>
            {quote.valid_until ? ` · valid until ${formatDate(quote.valid_until)}` : ''}
          </>
        }
        actions={
          <>
            {sales && quote.status === 'draft' ? (
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit
              </Button>
            ) : null}
            {sales && open ? (
              <Button
                variant="light"
                loading={busy === 'send'}
                onClick={() =>
                  act('send', () => call(api.POST('/api/v1/quotes/{id}/send', { ...path, body: {} })), 'Quote sent')
                }
              >
                Send
              </Button>
            ) : null}
            {sales && open ? (
              <Button
                loading={busy === 'accept'}
                onClick={() =>
                  act('accept', () => call(api.POST('/api/v1/quotes/{id}/accept', path)), 'Accepted: the order is made')
                }
              >
                Mark accepted
              </Button>
            ) : null}
            {sales && open ? (
              <Button
                variant="subtle"
                color="red"
                loading={busy === 'decline'}
                onClick={() =>
                  act('decline', () => call(api.POST('/api/v1/quotes/{id}/decline', path)), 'Quote declined')
                }
              >
                Decline
              </Button>
            ) : null}
            <Button
              variant="default"
              loading={busy === 'pdf'}
              onClick={() =>
                act('pdf', () => downloadFile(`/api/v1/quotes/${quote.id}/pdf`, `${quote.number}.pdf`), 'Downloaded')
              }
            >
              PDF
            </Button>
          </>
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      {quote.order ? (
        <Alert color="green">
          Accepted {formatDate(quote.accepted_at)}: <Link to={`/orders/${quote.order}`}>open the order</Link>.
        </Alert>
      ) : null}
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md">
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Description</Table.Th>
                    <Table.Th ta="right">Qty</Table.Th>
                    <Table.Th ta="right">Price</Table.Th>
                    <Table.Th>Billing</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {quote.lines.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td ta="right">{formatDecimal(l.quantity)}</Table.Td>
                      <Table.Td ta="right">{formatPrice(l.unit_price, quote.currency)}</Table.Td>
                      <Table.Td>
                        {l.recurring ? <Badge variant="light">every {EVERY[l.recurring.interval]}</Badge> : 'once'}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Money amount={l.amount} currency={quote.currency} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {quote.notes ? (
              <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {quote.notes}
              </Text>
            ) : null}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md">
            <Stack gap={6}>
              <Group justify="space-between">
                <Text size="sm">One-time subtotal</Text>
                <Money amount={quote.subtotal} currency={quote.currency} size="sm" />
              </Group>
              <Group justify="space-between">
                <Text size="sm">Tax</Text>
                <Money amount={quote.tax_total} currency={quote.currency} size="sm" />
              </Group>
              <Group justify="space-between">
                <Text fw={700}>One-time total</Text>
                <Money amount={quote.total} currency={quote.currency} fw={700} />
              </Group>
              {quote.recurring_totals.map((r) => (
                <Group key={`${r.interval}-${r.interval_count}`} justify="space-between">
                  <Text size="sm">
                    Recurring, every {r.interval_count > 1 ? `${r.interval_count} ` : ''}
                    {EVERY[r.interval]}
                  </Text>
                  <Money amount={r.amount} currency={quote.currency} size="sm" fw={600} />
                </Group>
              ))}
              {quote.hosted_url ? (
                <Anchor href={quote.hosted_url} target="_blank" rel="noreferrer" size="sm">
                  The customer's page
                </Anchor>
              ) : null}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
