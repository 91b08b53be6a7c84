import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useSubscription, useSubscriptionPreview } from '../../api/quote-to-cash';
import { useMe } from '../../api/session';
import type { Subscription } from '../../api/types';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { label, StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { randomId } from '../../lib/ids';
import { formatDecimal, formatPrice } from '../../lib/money';
import { can } from '../../lib/roles';
import { intervalText } from './SubscriptionListPage';

export function SubscriptionPage({ params }: { params: Record<string, string> }) {
  const sub = useSubscription(params.id!);
  return <QueryState query={sub}>{(s) => <SubscriptionView sub={s} />}</QueryState>;
}

function Fact({ label: l, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {l}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function SubscriptionView({ sub }: { sub: Subscription }) {
  const me = useMe();
  const customer = useCustomer(sub.customer);
  const preview = useSubscriptionPreview(sub.id);
  const usage = useQuery({
    queryKey: ['subscriptions', sub.id, 'usage'],
    queryFn: () => call(api.GET('/api/v1/subscriptions/{id}/usage', { params: { path: { id: sub.id } } })),
  });
  const [dialog, setDialog] = useState<'cancel' | 'usage' | null>(null);
  const finance = can(me.role, 'finance');
  const active = sub.status === 'active';
  const usageItems = sub.items.filter((i) => i.usage);

  return (
    <Stack>
      <PageHeader
        title={`Subscription · ${customer.data?.name ?? '…'}`}
        badge={<StatusBadge status={sub.status} />}
        subtitle={
          <>
            <Link to={`/customers/${sub.customer}`}>{customer.data?.name ?? '…'}</Link> · {intervalText(sub)},{' '}
            {sub.timing === 'in_advance' ? 'in advance' : 'in arrears'}
          </>
        }
        actions={
          finance && active ? (
            <>
              {usageItems.length ? <Button onClick={() => setDialog('usage')}>Record usage</Button> : null}
              <Button variant="subtle" color="red" onClick={() => setDialog('cancel')}>
                Cancel subscription
              </Button>
            </>
          ) : null
        }
      />
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Fact label="Started">{formatDate(sub.start_date)}</Fact>
          <Fact label="Billed through">{formatDate(sub.billed_through)}</Fact>
          <Fact label="Next billing">{formatDate(sub.next_billing_date)}</Fact>
          <Fact label="Ends">{sub.end_date ? formatDate(sub.end_date) : 'Open-ended'}</Fact>
          <Fact label="Invoices">
            {sub.auto_post ? 'Posted by themselves' : 'Left as drafts'}
            {sub.auto_send ? ', emailed' : ''}
          </Fact>
          <Fact label="Proration">{sub.proration === 'day' ? 'By day' : 'None'}</Fact>
          {sub.order ? (
            <Fact label="Order">
              <Link to={`/orders/${sub.order}`}>Open</Link>
            </Fact>
          ) : null}
        </SimpleGrid>
      </Paper>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md">
            <Title order={5} mb="xs">
              Items
            </Title>
            <Table.ScrollContainer minWidth={420}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Description</Table.Th>
                    <Table.Th ta="right">Qty</Table.Th>
                    <Table.Th ta="right">Price</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sub.items.map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>
                        {i.description}{' '}
                        {i.usage ? (
                          <Badge size="xs" variant="light">
                            usage
                          </Badge>
                        ) : null}
                      </Table.Td>
                      <Table.Td ta="right">{i.quantity ? formatDecimal(i.quantity) : '—'}</Table.Td>
                      <Table.Td ta="right">{formatPrice(i.unit_price, sub.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {sub.pending_lines.length ? (
              <>
                <Text fw={600} mt="md" size="sm">
                  Waiting for the next invoice
                </Text>
                {sub.pending_lines.map((l) => (
                  <Group key={`${l.kind}-${l.description}-${l.period.start}`} justify="space-between">
                    <Text size="sm">
                      {label(l.kind)}: {l.description} ({formatDate(l.period.start)} – {formatDate(l.period.end)})
                    </Text>
                    <Money amount={l.amount} currency={sub.currency} size="sm" />
                  </Group>
                ))}
              </>
            ) : null}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md">
            <Title order={5} mb="xs">
              Next invoice
            </Title>
            <QueryState query={preview}>
              {(p) =>
                !p.billing_date ? (
                  <Text size="sm" c="dimmed">
                    Nothing more to bill.
                  </Text>
                ) : (
                  <Stack gap={4}>
                    <Text size="sm" c="dimmed">
                      On {formatDate(p.billing_date)}
                      {p.period ? ` for ${formatDate(p.period.start)} – ${formatDate(p.period.end)}` : ''}
                    </Text>
                    {p.lines.map((l) => (
                      <Group key={`${l.kind}-${l.description}`} justify="space-between" wrap="nowrap">
                        <Text size="sm">{l.description}</Text>
                        <Money amount={l.amount} currency={p.currency} size="sm" />
                      </Group>
                    ))}
                    <Group justify="space-between">
                      <Text size="sm">Tax</Text>
                      <Money amount={p.tax_total} currency={p.currency} size="sm" />
                    </Group>
                    <Group justify="space-between">
                      <Text fw={700}>Total</Text>
                      <Money amount={p.total} currency={p.currency} fw={700} />
                    </Group>
                  </Stack>
                )
              }
            </QueryState>
          </Paper>
          {usageItems.length ? (
            <Paper withBorder p="md" mt="md">
              <Title order={5} mb="xs">
                Usage
              </Title>
              <QueryState query={usage}>
                {(page) =>
                  page.data.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      No usage recorded yet.
                    </Text>
                  ) : (
                    <Stack gap={2}>
                      {page.data.slice(0, 10).map((u) => (
                        <Group key={u.id} justify="space-between">
                          <Text size="sm">
                            {formatDate(u.date)} · {sub.items.find((i) => i.id === u.item)?.description}
                          </Text>
                          <Text size="sm">{formatDecimal(u.quantity)}</Text>
                        </Group>
                      ))}
                    </Stack>
                  )
                }
              </QueryState>
            </Paper>
          ) : null}
        </Grid.Col>
      </Grid>
      {dialog === 'cancel' ? <CancelModal sub={sub} onClose={() => setDialog(null)} /> : null}
      {dialog === 'usage' ? <UsageModal sub={sub} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function CancelModal({ sub, onClose }: { sub: Subscription; onClose: () => void }) {
  const qc = useQueryClient();
  const [date, setDate] = useState('');
  const [prorate, setProrate] = useState(true);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['effective_date', 'prorate']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await call(
        api.POST('/api/v1/subscriptions/{id}/cancel', {
          params: { path: { id: sub.id } },
          body: { prorate, ...(date ? { effective_date: date } : {}) },
        }),
      );
      await qc.invalidateQueries();
      toast('Subscription cancelled');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="Cancel subscription">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            type="date"
            label="First day without service"
            description="Empty: today"
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.fieldError('effective_date')}
          />
          <Checkbox
            label="Credit the unused days already billed (credit note)"
            checked={prorate}
            onChange={(e) => setProrate(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Cancel subscription
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function UsageModal({ sub, onClose }: { sub: Subscription; onClose: () => void }) {
  const qc = useQueryClient();
  const items = sub.items.filter((i) => i.usage);
  const [item, setItem] = useState<string | null>(items[0]?.id ?? null);
  const [quantity, setQuantity] = useState('');
  const [date, setDate] = useState('');
  const [key] = useState(randomId);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['item', 'quantity', 'date']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    errors.clear();
    setBusy(true);
    try {
      await call(
        api.POST('/api/v1/subscriptions/{id}/usage', {
          params: { path: { id: sub.id } },
          body: { item, quantity: quantity.trim(), ...(date ? { date } : {}) },
          headers: { 'Idempotency-Key': key },
        }),
      );
      await qc.invalidateQueries({ queryKey: ['subscriptions', sub.id] });
      toast('Usage recorded');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="Record usage">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <Select
            label="Item"
            data={items.map((i) => ({ value: i.id, label: i.description }))}
            value={item}
            onChange={setItem}
            allowDeselect={false}
            error={errors.fieldError('item')}
          />
          <TextInput
            label="Quantity"
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.currentTarget.value)}
            error={errors.fieldError('quantity')}
            data-autofocus
          />
          <TextInput
            type="date"
            label="Date"
            description="Empty: today"
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.fieldError('date')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Record
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
