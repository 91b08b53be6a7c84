import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { useMe } from '../../api/session';
import type { Role, User } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { ROLES } from '../../lib/options';

export function UsersSettings() {
  const me = useMe();
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => call(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
  });
  const [adding, setAdding] = useState(false);
  const [settingPassword, setSettingPassword] = useState<User | null>(null);
  const [error, setError] = useState<unknown>(null);

  const update = async (u: User, body: { role?: Role; active?: boolean }) => {
    setError(null);
    try {
      await call(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body }));
      await qc.invalidateQueries({ queryKey: ['users'] });
      toast(`${u.email} updated`);
    } catch (err) {
      setError(err);
    }
  };

  const columns: Column<User>[] = [
    { key: 'email', header: 'Email', render: (u) => u.email, card: 'title' },
    { key: 'name', header: 'Name', render: (u) => u.name ?? '—', card: 'meta' },
    {
      key: 'role',
      header: 'Role',
      card: 'meta',
      render: (u) => (
        <Select
          size="xs"
          w={130}
          data={ROLES.map((r) => ({ value: r.value, label: r.value }))}
          value={u.role}
          allowDeselect={false}
          disabled={u.id === me.user?.id}
          aria-label={`Role of ${u.email}`}
          onChange={(v) => v && v !== u.role && update(u, { role: v as Role })}
        />
      ),
    },
    {
      key: 'active',
      header: 'Active',
      card: 'meta',
      render: (u) => (
        <Switch
          checked={u.active}
          disabled={u.id === me.user?.id}
          aria-label={`${u.email} active`}
          onChange={(e) => update(u, { active: e.currentTarget.checked })}
        />
      ),
    },
    {
      key: 'password',
      header: 'Password',
      card: 'meta',
      render: (u) => (
        <Button size="compact-xs" variant="default" onClick={() => setSettingPassword(u)}>
          Set password
        </Button>
      ),
    },
    {
      key: 'since',
      header: 'Since',
      card: 'amount',
      render: (u) => (u.id === me.user?.id ? <Badge variant="light">You</Badge> : formatDate(u.created_at)),
    },
  ];

  return (
    <Stack>
      <Group>
        <Button onClick={() => setAdding(true)}>Add user</Button>
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      <QueryState query={users}>
        {(page) => <DataList rows={page.data} columns={columns} rowKey={(u) => u.id} />}
      </QueryState>
      {adding ? <AddUserModal onClose={() => setAdding(false)} /> : null}
      {settingPassword ? <SetPasswordModal user={settingPassword} onClose={() => setSettingPassword(null)} /> : null}
    </Stack>
  );
}

/** An admin sets a user's password (their sessions end); the user can also reset it by email from the sign-in page. */
function SetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['password']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await call(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { password } }));
      toast(`Password of ${user.email} set; their sessions ended`);
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Set the password of ${user.email}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <PasswordInput
            label="New password"
            description="At least 8 characters; tell it to the user in person"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.fieldError('password')}
            autoComplete="new-password"
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AddUserModal({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'finance' as Role });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['email', 'name', 'password', 'role']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await call(api.POST('/api/v1/users', { body: { ...form, name: form.name.trim() || null } }));
      await qc.invalidateQueries({ queryKey: ['users'] });
      toast(`${form.email} can now sign in`);
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="Add user">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label="Email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={errors.fieldError('email')}
            data-autofocus
          />
          <TextInput
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={errors.fieldError('name')}
          />
          <PasswordInput
            label="Initial password"
            description="At least 8 characters"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            error={errors.fieldError('password')}
          />
          <Select
            label="Role"
            data={ROLES.map((r) => ({ value: r.value, label: r.label }))}
            value={form.role}
            onChange={(v) => v && setForm({ ...form, role: v as Role })}
            allowDeselect={false}
            error={errors.fieldError('role')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
