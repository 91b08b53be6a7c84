import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import type { ApiKey, Role } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { ROLES } from '../../lib/options';

export function ApiKeysSettings() {
  const qc = useQueryClient();
  const keys = useQuery({
    queryKey: ['api_keys'],
    queryFn: () => call(api.GET('/api/v1/api_keys', { params: { query: { limit: 200 } } })),
  });
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const revoke = async (k: ApiKey) => {
    if (!window.confirm(`Revoke “${k.name}”? Programs using it stop working at once.`)) return;
    setError(null);
    try {
      await call(api.DELETE('/api/v1/api_keys/{id}', { params: { path: { id: k.id } } }));
      await qc.invalidateQueries({ queryKey: ['api_keys'] });
      toast('Key revoked');
    } catch (err) {
      setError(err);
    }
  };

  const columns: Column<ApiKey>[] = [
    { key: 'name', header: 'Name', render: (k) => k.name, card: 'title' },
    { key: 'hint', header: 'Key', render: (k) => <Code>…{k.hint}</Code>, card: 'meta' },
    { key: 'role', header: 'Role', render: (k) => k.role, card: 'meta' },
    { key: 'created', header: 'Created', render: (k) => formatDate(k.created_at), card: 'meta' },
    {
      key: 'state',
      header: '',
      align: 'right',
      card: 'amount',
      render: (k) =>
        k.revoked_at ? (
          <Badge color="gray">Revoked</Badge>
        ) : (
          <Button size="compact-xs" color="red" variant="subtle" onClick={() => revoke(k)}>
            Revoke
          </Button>
        ),
    },
  ];

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Programs use API keys as <Code>Authorization: Bearer &lt;key&gt;</Code>. A key is shown once, when it is made.
      </Text>
      <Group>
        <Button onClick={() => setCreating(true)}>New API key</Button>
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      <QueryState query={keys}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No API keys">
              Make one for each program that talks to Arbor, with the least role it needs.
            </EmptyState>
          ) : (
            <DataList rows={page.data} columns={columns} rowKey={(k) => k.id} />
          )
        }
      </QueryState>
      {creating ? <NewKeyModal onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}

function NewKeyModal({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('finance');
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['name', 'role']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const key = await call(api.POST('/api/v1/api_keys', { body: { name, role } }));
      setCreated(key.key ?? null);
      await qc.invalidateQueries({ queryKey: ['api_keys'] });
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="New API key">
      {created ? (
        <Stack>
          <Alert color="yellow">Copy the key now: it is not shown again.</Alert>
          <Code block style={{ wordBreak: 'break-all' }}>
            {created}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={created}>
              {({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}
            </CopyButton>
            <Button variant="default" onClick={onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
            <TextInput
              label="Name"
              placeholder="Accounting export"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.fieldError('name')}
              data-autofocus
            />
            <Select
              label="Role"
              data={ROLES.map((r) => ({ value: r.value, label: r.label }))}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
              error={errors.fieldError('role')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
