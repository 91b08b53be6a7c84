import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { useContacts } from '../../api/customers';
import type { Contact, Customer } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

export function ContactsPanel({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const contacts = useContacts(customer.id);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const qc = useQueryClient();

  const remove = async (c: Contact) => {
    if (!window.confirm(`Remove ${c.name}?`)) return;
    await call(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id: c.id } } }));
    await qc.invalidateQueries({ queryKey: ['customers', customer.id, 'contacts'] });
    toast('Contact removed');
  };

  const columns: Column<Contact>[] = [
    { key: 'name', header: 'Name', render: (c) => c.name, card: 'title' },
    { key: 'role', header: 'Role', render: (c) => c.role ?? '—', card: 'meta' },
    { key: 'email', header: 'Email', render: (c) => c.email ?? '—', card: 'meta' },
    { key: 'phone', header: 'Phone', render: (c) => c.phone ?? '—', card: 'meta' },
    {
      key: 'invoices',
      header: 'Gets invoices',
      render: (c) => (c.receives_invoices ? <Badge variant="light">Gets invoices</Badge> : '—'),
      card: 'meta',
    },
    ...(canEdit
      ? [
          {
            key: 'actions',
            header: '',
            align: 'right' as const,
            card: 'amount' as const,
            render: (c: Contact) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={(e) => {
                    e.stopPropagation();
                    setEditing(c);
                  }}
                >
                  Edit
                </Button>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${c.name}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    void remove(c);
                  }}
                >
                  ×
                </ActionIcon>
              </Group>
            ),
          },
        ]
      : []),
  ];

  return (
    <Stack>
      {canEdit ? (
        <Group>
          <Button variant="light" onClick={() => setEditing('new')}>
            Add contact
          </Button>
        </Group>
      ) : null}
      <QueryState query={contacts}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No contacts">
              Add the people you deal with at {customer.name}; those who get invoices receive them by email.
            </EmptyState>
          ) : (
            <DataList rows={page.data} columns={columns} rowKey={(c) => c.id} />
          )
        }
      </QueryState>
      {editing ? (
        <ContactModal
          customerId={customer.id}
          contact={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Stack>
  );
}

function ContactModal({
  customerId,
  contact,
  onClose,
}: {
  customerId: string;
  contact: Contact | null;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const [form, setForm] = useState({
    name: contact?.name ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    role: contact?.role ?? '',
    receives_invoices: contact?.receives_invoices ?? true,
  });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['name', 'email', 'phone', 'role']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const body = {
      name: form.name,
      email: form.email.trim() || null,
      phone: form.phone.trim() || null,
      role: form.role.trim() || null,
      receives_invoices: form.receives_invoices,
    };
    try {
      if (contact) await call(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id: contact.id } }, body }));
      else await call(api.POST('/api/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body }));
      await qc.invalidateQueries({ queryKey: ['customers', customerId, 'contacts'] });
      toast(contact ? 'Contact saved' : 'Contact added');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={contact ? 'Edit contact' : 'Add contact'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={errors.fieldError('name')}
            data-autofocus
          />
          <TextInput
            label="Email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={errors.fieldError('email')}
          />
          <TextInput
            label="Phone"
            value={form.phone}
            onChange={(e) => setForm({ ...form, phone: e.currentTarget.value })}
            error={errors.fieldError('phone')}
          />
          <TextInput
            label="Role"
            placeholder="Accounts payable"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}
            error={errors.fieldError('role')}
          />
          <Checkbox
            label="Receives invoices by email"
            checked={form.receives_invoices}
            onChange={(e) => setForm({ ...form, receives_invoices: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
