import { Alert, Badge, Button, Checkbox, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useOrder } from '../../api/quote-to-cash';
import { useMe } from '../../api/session';
import type { Order, OrderInvoiceInput } from '../../api/types';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { label, StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { formatDecimal, formatPercent, isZero } from '../../lib/money';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';

export function OrderPage({ params }: { params: Record<string, string> }) {
  const order = useOrder(params.id!);
  return <QueryState query={order}>{(o) => <OrderView order={o} />}</QueryState>;
}

function OrderView({ order }: { order: Order }) {
  const me = useMe();
  const qc = useQueryClient();
  const customer = useCustomer(order.customer);
  const [invoicing, setInvoicing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sales = can(me.role, 'draft');
  const active = order.status === 'active';

  const cancel = async () => {
    if (!window.confirm(`Cancel order ${order.number}? What was invoiced stays.`)) return;
    setError(null);
    try {
      await call(api.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: order.id } } }));
      await qc.invalidateQueries({ queryKey: ['orders'] });
      toast('Order cancelled');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack>
      <PageHeader
        title={`Order ${order.number}`}
        badge={<StatusBadge status={order.status} />}
        subtitle={
          <>
            for <Link to={`/customers/${order.customer}`}>{customer.data?.name ?? '…'}</Link>
            {order.quote ? (
              <>
                {' · from '}
                <Link to={`/quotes/${order.quote}`}>its quote</Link>
              </>
            ) : null}
          </>
        }
        actions={
          sales && active ? (
            <>
              {!isZero(order.remaining_amount) ? <Button onClick={() => setInvoicing(true)}>Invoice</Button> : null}
              <Button variant="subtle" color="red" onClick={cancel}>
                Cancel order
              </Button>
            </>
          ) : null
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      <Paper withBorder p="md">
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Description</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">Ordered</Table.Th>
                <Table.Th ta="right">Invoiced</Table.Th>
                <Table.Th ta="right">Left</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.lines.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    {l.description}
                    {l.subscription ? (
                      <>
                        {' '}
                        <Link to={`/subscriptions/${l.subscription}`} size="xs">
                          subscription
                        </Link>
                      </>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="gray">
                      {label(l.charge_type)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{formatDecimal(l.quantity)}</Table.Td>
                  <Table.Td ta="right">
                    {l.charge_type === 'milestone'
                      ? formatPercent(l.invoiced_percent)
                      : formatDecimal(l.invoiced_quantity)}
                  </Table.Td>
                  <Table.Td ta="right">
                    {l.charge_type === 'milestone'
                      ? formatPercent(l.remaining_percent)
                      : l.charge_type === 'recurring'
                        ? '—'
                        : formatDecimal(l.remaining_quantity)}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money amount={l.amount} currency={order.currency} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="flex-end" gap="lg" mt="sm">
          <Text size="sm">
            Invoiced <Money amount={order.invoiced_amount} currency={order.currency} fw={600} />
          </Text>
          <Text size="sm">
            Left <Money amount={order.remaining_amount} currency={order.currency} fw={600} />
          </Text>
        </Group>
      </Paper>
      {order.invoices.length ? (
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            Invoices
          </Text>
          <Group gap="sm">
            {order.invoices.map((id, i) => (
              <Link key={id} to={`/invoices/${id}`}>
                Invoice {i + 1}
              </Link>
            ))}
          </Group>
        </Paper>
      ) : null}
      {invoicing ? <InvoiceOrderModal order={order} onClose={() => setInvoicing(false)} /> : null}
    </Stack>
  );
}

/** Invoices what is left of the one-time lines (by quantity) and milestones (by percent); every figure editable. */
function InvoiceOrderModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const qc = useQueryClient();
  const lines = order.lines.filter((l) => l.charge_type !== 'recurring');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      lines.map((l) => [l.id, l.charge_type === 'milestone' ? l.remaining_percent : l.remaining_quantity]),
    ),
  );
  const [post, setPost] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['lines', 'issue_date']);
  const [sent, setSent] = useState<string[]>([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const chosen = lines.filter((l) => (values[l.id] ?? '').trim() && !isZero(values[l.id]));
    setSent(chosen.map((l) => l.id));
    const body: OrderInvoiceInput = {
      post,
      lines: chosen.map((l) =>
        l.charge_type === 'milestone'
          ? { order_line: l.id, percent: values[l.id]!.trim() }
          : { order_line: l.id, quantity: values[l.id]!.trim() },
      ),
    };
    try {
      const invoice = await call(api.POST('/api/v1/orders/{id}/invoice', { params: { path: { id: order.id } }, body }));
      await qc.invalidateQueries();
      toast(post ? `Invoice ${invoice.number} posted` : 'Draft invoice made');
      navigate(`/invoices/${invoice.id}`);
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Invoice order ${order.number}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          {lines.map((l) => (
            <Group key={l.id} justify="space-between" wrap="nowrap">
              <Text size="sm">{l.description}</Text>
              <TextInput
                size="xs"
                w={130}
                inputMode="decimal"
                aria-label={`${l.charge_type === 'milestone' ? 'Percent' : 'Quantity'} of ${l.description}`}
                rightSection={l.charge_type === 'milestone' ? '%' : undefined}
                value={values[l.id] ?? ''}
                onChange={(e) => setValues({ ...values, [l.id]: e.currentTarget.value })}
                error={sent.includes(l.id) ? errors.fieldError(`lines[${sent.indexOf(l.id)}]`) : undefined}
              />
            </Group>
          ))}
          <Checkbox
            label="Post the invoice at once"
            checked={post}
            onChange={(e) => setPost(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Make invoice
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
