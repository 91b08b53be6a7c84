import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { useBillRun, useBillRuns } from '../../api/quote-to-cash';
import { useMe, useSettings } from '../../api/session';
import type { BillRun } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime, todayIn } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/roles';

type BillRunPreview = {
  subscriptions: {
    subscription: string;
    customer_name: string;
    currency: string;
    billing_date: string;
    issue_date: string | null;
    period: { start: string; end: string } | null;
    subtotal: string;
    total: string;
  }[];
  errors: { subscription: string; message: string }[];
};

type Choice = 'default' | 'yes' | 'no';
const choice = (c: Choice) => (c === 'default' ? undefined : c === 'yes');

/** Bills every subscription period due by a date, in the background; the page follows the run as it goes. */
export function BillRunsPage() {
  const me = useMe();
  const settings = useSettings();
  const qc = useQueryClient();
  const { query, rows } = useBillRuns();
  const [target, setTarget] = useState(todayIn(settings.data?.time_zone));
  const [invoiceDate, setInvoiceDate] = useState('');
  const [autoPost, setAutoPost] = useState<Choice>('default');
  const [autoSend, setAutoSend] = useState<Choice>('default');
  const [busy, setBusy] = useState(false);
  const [watching, setWatching] = useState<string | null>(null);
  const errors = useFieldErrors(['target_date', 'invoice_date', 'auto_post', 'auto_send']);
  const run = useBillRun(watching);
  const running = run.data && ['pending', 'running'].includes(run.data.status);

  useEffect(() => {
    if (run.data && !running) void qc.invalidateQueries({ queryKey: ['bill_runs', 'list'] });
  }, [run.data, running, qc]);

  const [preview, setPreview] = useState<BillRunPreview | null>(null);
  const body = () => ({
    target_date: target,
    ...(invoiceDate ? { invoice_date: invoiceDate } : {}),
    ...(choice(autoPost) !== undefined ? { auto_post: choice(autoPost) } : {}),
    ...(choice(autoSend) !== undefined ? { auto_send: choice(autoSend) } : {}),
  });

  // First what the run would bill (nothing is written or numbered), then the run itself once confirmed.
  const showPreview = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      setPreview((await call(api.POST('/api/v1/bill_runs', { body: { ...body(), dry_run: true } }))) as BillRunPreview);
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    errors.clear();
    setBusy(true);
    try {
      const created = (await call(api.POST('/api/v1/bill_runs', { body: body() }))) as BillRun;
      setPreview(null);
      setWatching(created.id);
      await qc.invalidateQueries({ queryKey: ['bill_runs', 'list'] });
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<BillRun>[] = [
    { key: 'target', header: 'Up to', render: (r) => formatDate(r.target_date), card: 'title' },
    { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} />, card: 'amount' },
    {
      key: 'processed',
      header: 'Subscriptions',
      render: (r) => r.processed,
      cardRender: (r) => `${r.processed} subscriptions`,
      card: 'meta',
    },
    {
      key: 'invoices',
      header: 'Invoices',
      render: (r) => r.invoices_created,
      cardRender: (r) => `${r.invoices_created} invoices`,
      card: 'meta',
    },
    { key: 'errors', header: 'Errors', render: (r) => r.errors.length || '—', card: 'meta' },
    { key: 'trigger', header: 'Started by', render: (r) => r.trigger, card: 'meta' },
    { key: 'at', header: 'Started', render: (r) => formatDateTime(r.started_at ?? r.created_at), card: 'meta' },
  ];

  const choices = [
    { value: 'default', label: "Each subscription's setting" },
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ];

  return (
    <Stack>
      <PageHeader
        title="Bill runs"
        subtitle="A run happens every day by itself; start one to bill ahead or catch up."
      />
      {can(me.role, 'finance') ? (
        <Paper withBorder p="md">
          <form onSubmit={showPreview} noValidate>
            <Stack>
              {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <TextInput
                  type="date"
                  label="Bill periods due up to"
                  value={target}
                  onChange={(e) => setTarget(e.currentTarget.value)}
                  error={errors.fieldError('target_date')}
                />
                <TextInput
                  type="date"
                  label="Invoice date"
                  description="Empty: each billing date, never before today"
                  value={invoiceDate}
                  onChange={(e) => setInvoiceDate(e.currentTarget.value)}
                  error={errors.fieldError('invoice_date')}
                />
                <Select
                  label="Post the invoices"
                  data={choices}
                  value={autoPost}
                  allowDeselect={false}
                  onChange={(v) => v && setAutoPost(v as Choice)}
                />
                <Select
                  label="Email them"
                  data={choices}
                  value={autoSend}
                  allowDeselect={false}
                  onChange={(v) => v && setAutoSend(v as Choice)}
                />
              </SimpleGrid>
              <Group>
                <Button type="submit" loading={busy && !preview} disabled={!!running} data-testid="bill-run-preview">
                  Preview bill run
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      ) : null}
      {preview ? (
        <Paper withBorder p="md" data-testid="bill-run-preview-result">
          <Title order={5} mb="xs">
            {preview.subscriptions.length === 0
              ? 'Nothing is due up to this date.'
              : `The run would make ${preview.subscriptions.length} invoice${preview.subscriptions.length === 1 ? '' : 's'}`}
          </Title>
          {preview.subscriptions.length > 0 ? (
            <Table.ScrollContainer minWidth={560}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Period</Table.Th>
                    <Table.Th>Invoice date</Table.Th>
                    <Table.Th ta="right">Net</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.subscriptions.map((p) => (
                    <Table.Tr key={`${p.subscription}-${p.billing_date}`}>
                      <Table.Td>{p.customer_name}</Table.Td>
                      <Table.Td>
                        {p.period
                          ? `${formatDate(p.period.start)} – ${formatDate(p.period.end)}`
                          : formatDate(p.billing_date)}
                      </Table.Td>
                      <Table.Td>{p.issue_date ? formatDate(p.issue_date) : '—'}</Table.Td>
                      <Table.Td ta="right">{formatMoney(p.subtotal, p.currency)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(p.total, p.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
          {preview.errors.length ? (
            <Alert color="orange" mt="sm" title={`${preview.errors.length} subscription(s) could not be billed`}>
              <List size="sm">
                {preview.errors.slice(0, 20).map((e) => (
                  <List.Item key={e.subscription}>{e.message}</List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Group mt="sm">
            <Button onClick={start} loading={busy} data-testid="bill-run-confirm">
              Start the run
            </Button>
            <Button variant="default" onClick={() => setPreview(null)}>
              Cancel
            </Button>
          </Group>
        </Paper>
      ) : null}
      {run.data ? <RunProgress run={run.data} /> : null}
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Bill runs" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState title="No bill runs yet">
          Runs bill every subscription period that is due and not billed yet, once.
        </EmptyState>
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(r) => r.id}
          onOpen={(r) => setWatching(r.id)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
        />
      )}
    </Stack>
  );
}

function RunProgress({ run }: { run: BillRun }) {
  const active = run.status === 'pending' || run.status === 'running';
  return (
    <Paper withBorder p="md" data-testid="bill-run-progress">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Run up to {formatDate(run.target_date)}</Title>
        <StatusBadge status={run.status} />
      </Group>
      <Progress value={100} animated={active} striped={active} color={run.errors.length ? 'orange' : 'teal'} mb="xs" />
      <Text size="sm">
        {run.processed} subscription{run.processed === 1 ? '' : 's'} looked at, {run.invoices_created} invoice
        {run.invoices_created === 1 ? '' : 's'} made{active ? ' so far…' : '.'}
      </Text>
      {run.errors.length ? (
        <Alert color="orange" mt="sm" title={`${run.errors.length} subscription(s) could not be billed`}>
          <List size="sm">
            {run.errors.slice(0, 20).map((e) => (
              <List.Item key={`${e.subscription}-${e.code}`}>
                {e.subscription}: {e.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Paper>
  );
}
