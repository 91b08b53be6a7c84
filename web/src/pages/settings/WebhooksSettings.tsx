import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import type { WebhookDelivery, WebhookEndpoint } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { formatDate, formatDateTime } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';

const SUGGESTED_EVENTS = [
  '*',
  'invoice.*',
  'invoice.posted',
  'invoice.paid',
  'invoice.voided',
  'payment.*',
  'credit_note.*',
  'customer.*',
  'quote.*',
  'subscription.*',
];

const DELIVERY_STATUS: Record<WebhookDelivery['status'], { color: string; label: string }> = {
  pending: { color: 'yellow', label: 'Pending' },
  succeeded: { color: 'green', label: 'Delivered' },
  failed: { color: 'red', label: 'Failed' },
};

const REASONS: Record<string, string> = {
  gone: 'the receiver answered 410 Gone',
  failing: 'every attempt failed for 5 days',
  disabled_by_user: 'disabled by hand',
};

/** Webhook endpoints (add, rotate the secret, test, disable, delete) and the delivery log of each. */
export function WebhooksSettings() {
  const qc = useQueryClient();
  const endpoints = useQuery({
    queryKey: ['webhook_endpoints'],
    queryFn: () => call(api.GET('/api/v1/webhook_endpoints', { params: { query: { limit: 200 } } })),
  });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await run();
      await qc.invalidateQueries({ queryKey: ['webhook_endpoints'] });
      await qc.invalidateQueries({ queryKey: ['webhook_deliveries'] });
      toast(done);
    } catch (err) {
      setError(err);
    }
  };
  const path = (e: WebhookEndpoint) => ({ params: { path: { id: e.id } } });
  const rotate = (e: WebhookEndpoint) => {
    if (!window.confirm('Make a new signing secret? The current one keeps signing beside it for 24 hours.')) return;
    void act(async () => {
      const out = await call(api.POST('/api/v1/webhook_endpoints/{id}/rotate_secret', path(e)));
      setSecret({ title: 'New signing secret', value: out.secret ?? '' });
    }, 'Secret rotated');
  };
  const test = (e: WebhookEndpoint) =>
    act(async () => {
      await call(api.POST('/api/v1/webhook_endpoints/{id}/test', path(e)));
      setSelected(e.id);
    }, 'Test event queued');
  const toggle = (e: WebhookEndpoint) =>
    act(
      () =>
        call(
          api.PATCH('/api/v1/webhook_endpoints/{id}', {
            ...path(e),
            body: { status: e.status === 'enabled' ? 'disabled' : 'enabled' },
          }),
        ),
      e.status === 'enabled' ? 'Endpoint disabled' : 'Endpoint enabled',
    );
  const remove = (e: WebhookEndpoint) => {
    if (!window.confirm(`Delete the endpoint ${e.url} and its delivery log?`)) return;
    if (selected === e.id) setSelected(null);
    void act(() => call(api.DELETE('/api/v1/webhook_endpoints/{id}', path(e))), 'Endpoint deleted');
  };

  const columns: Column<WebhookEndpoint>[] = [
    {
      key: 'url',
      header: 'URL',
      card: 'title',
      render: (e) => (
        <Stack gap={2}>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            {e.url}
          </Text>
          {e.description ? (
            <Text size="xs" c="dimmed">
              {e.description}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { key: 'events', header: 'Events', card: 'meta', render: (e) => e.events.join(', ') },
    {
      key: 'status',
      header: 'Status',
      card: 'amount',
      render: (e) =>
        e.status === 'enabled' ? (
          <Badge color="green" variant="light">
            Enabled
          </Badge>
        ) : (
          <Badge color="gray" variant="light" title={REASONS[e.disabled_reason ?? ''] ?? e.disabled_reason ?? ''}>
            Disabled
          </Badge>
        ),
    },
    { key: 'created', header: 'Created', card: 'meta', render: (e) => formatDate(e.created_at) },
    {
      key: 'actions',
      header: '',
      align: 'right',
      card: 'meta',
      render: (e) => (
        <Group gap={4} justify="flex-end" wrap="wrap" onClick={(ev) => ev.stopPropagation()}>
          <Button size="compact-xs" variant="light" onClick={() => setSelected(e.id)}>
            Deliveries
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={() => test(e)} disabled={e.status !== 'enabled'}>
            Send test
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={() => rotate(e)}>
            Rotate secret
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={() => toggle(e)}>
            {e.status === 'enabled' ? 'Disable' : 'Enable'}
          </Button>
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove(e)}>
            Delete
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Arbor POSTs each event an endpoint subscribes to, signed per Standard Webhooks (<Code>webhook-id</Code>,{' '}
        <Code>webhook-timestamp</Code>, <Code>webhook-signature</Code>), and retries for about a day and a half.
      </Text>
      <Group>
        <Button onClick={() => setCreating(true)}>New endpoint</Button>
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      <QueryState query={endpoints} feature="Webhooks">
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No webhook endpoints">
              Add the URL of a program that should hear when invoices are posted, paid or voided.
            </EmptyState>
          ) : (
            <>
              <DataList
                rows={page.data}
                columns={columns}
                rowKey={(e) => e.id}
                onOpen={(e) => setSelected(e.id)}
                testId="webhook-endpoints"
              />
              {page.data.map((e) =>
                e.status === 'disabled' && e.disabled_reason && e.disabled_reason !== 'disabled_by_user' ? (
                  <Alert key={e.id} color="orange">
                    {e.url} was disabled: {REASONS[e.disabled_reason] ?? e.disabled_reason}. Fix the receiver, enable it
                    and retry its failed deliveries.
                  </Alert>
                ) : null,
              )}
            </>
          )
        }
      </QueryState>
      {selected ? (
        <DeliveryLog
          endpoint={endpoints.data?.data.find((e) => e.id === selected) ?? null}
          endpointId={selected}
          onError={setError}
        />
      ) : null}
      {creating ? (
        <NewEndpointModal
          onClose={() => setCreating(false)}
          onCreated={(e) => {
            setCreating(false);
            setSecret({ title: 'Signing secret', value: e.secret ?? '' });
            setSelected(e.id);
          }}
        />
      ) : null}
      {secret ? (
        <Modal opened onClose={() => setSecret(null)} title={secret.title}>
          <Stack>
            <Alert color="yellow">Copy the secret now: it is not shown again.</Alert>
            <Code block style={{ wordBreak: 'break-all' }} data-testid="webhook-secret">
              {secret.value}
            </Code>
            <Group justify="flex-end">
              <CopyButton value={secret.value}>
                {({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}
              </CopyButton>
              <Button variant="default" onClick={() => setSecret(null)}>
                Done
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </Stack>
  );
}

function DeliveryLog({
  endpoint,
  endpointId,
  onError,
}: {
  endpoint: WebhookEndpoint | null;
  endpointId: string;
  onError: (err: unknown) => void;
}) {
  const qc = useQueryClient();
  const deliveries = useQuery({
    queryKey: ['webhook_deliveries', endpointId],
    queryFn: () =>
      call(api.GET('/api/v1/webhook_deliveries', { params: { query: { endpoint: endpointId, limit: 50 } } })),
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === 'pending') ? 2000 : false),
  });
  const retry = async (d: WebhookDelivery) => {
    try {
      await call(api.POST('/api/v1/webhook_deliveries/{id}/retry', { params: { path: { id: d.id } } }));
      await qc.invalidateQueries({ queryKey: ['webhook_deliveries'] });
      toast('Retry queued');
    } catch (err) {
      onError(err);
    }
  };
  const columns: Column<WebhookDelivery>[] = [
    {
      key: 'type',
      header: 'Event',
      card: 'title',
      render: (d) => (
        <Stack gap={0}>
          <Text size="sm">{d.type}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {d.event}
            {d.replay ? ' · replay' : ''}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      card: 'amount',
      render: (d) => (
        <Badge color={DELIVERY_STATUS[d.status].color} variant="light">
          {DELIVERY_STATUS[d.status].label}
        </Badge>
      ),
    },
    {
      key: 'attempts',
      header: 'Attempts',
      card: 'meta',
      render: (d) =>
        d.attempts.length === 0 ? (
          'none yet'
        ) : (
          <Stack gap={0}>
            {d.attempts.map((a) => (
              <Text key={a.at} size="xs">
                {formatDateTime(a.at)} · {a.status_code ?? a.error} · {a.duration_ms} ms
              </Text>
            ))}
          </Stack>
        ),
    },
    {
      key: 'next',
      header: 'Next attempt',
      card: 'meta',
      render: (d) => (d.next_attempt_at ? formatDateTime(d.next_attempt_at) : '—'),
      cardRender: (d) => (d.next_attempt_at ? `Next attempt ${formatDateTime(d.next_attempt_at)}` : null),
    },
    {
      key: 'retry',
      header: '',
      align: 'right',
      card: 'meta',
      render: (d) => (
        <Button
          size="compact-xs"
          variant="light"
          disabled={endpoint?.status !== 'enabled'}
          onClick={() => void retry(d)}
        >
          Retry
        </Button>
      ),
    },
  ];
  return (
    <Stack gap="xs">
      <Title order={4} style={{ wordBreak: 'break-all' }}>
        Deliveries{endpoint ? ` to ${endpoint.url}` : ''}
      </Title>
      <QueryState query={deliveries}>
        {(page) =>
          page.data.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing delivered yet. Send a test event to try the endpoint.
            </Text>
          ) : (
            <DataList rows={page.data} columns={columns} rowKey={(d) => d.id} testId="webhook-deliveries" />
          )
        }
      </QueryState>
    </Stack>
  );
}

function NewEndpointModal({ onClose, onCreated }: { onClose: () => void; onCreated: (e: WebhookEndpoint) => void }) {
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['invoice.*']);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['url', 'description', 'events']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const created = await call(
        api.POST('/api/v1/webhook_endpoints', { body: { url, description: description || null, events } }),
      );
      await qc.invalidateQueries({ queryKey: ['webhook_endpoints'] });
      onCreated(created);
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="New webhook endpoint">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label="URL"
            placeholder="https://example.com/arbor/webhooks"
            value={url}
            onChange={(ev) => setUrl(ev.currentTarget.value)}
            error={errors.fieldError('url')}
            data-autofocus
          />
          <TextInput
            label="Description"
            placeholder="Accounting sync"
            value={description}
            onChange={(ev) => setDescription(ev.currentTarget.value)}
            error={errors.fieldError('description')}
          />
          <TagsInput
            label="Events"
            description="Exact types (invoice.paid), a prefix (invoice.*) or * for all"
            data={SUGGESTED_EVENTS}
            value={events}
            onChange={setEvents}
            error={errors.fieldError('events')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add endpoint
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
