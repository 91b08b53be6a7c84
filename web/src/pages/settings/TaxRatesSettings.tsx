import { Alert, Badge, Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTaxRates } from '../../api/catalog';
import { api, call } from '../../api/client';
import type { TaxRate } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { formatPercent } from '../../lib/money';

const CATEGORIES = [
  { value: 'S', label: 'S · Standard rate' },
  { value: 'Z', label: 'Z · Zero rated' },
  { value: 'E', label: 'E · Exempt' },
  { value: 'AE', label: 'AE · Reverse charge' },
  { value: 'K', label: 'K · Intra-community supply' },
  { value: 'G', label: 'G · Export outside the EU' },
  { value: 'O', label: 'O · Outside the scope of VAT' },
] as const;
type Category = TaxRate['category'];
const ZERO_CATEGORIES = new Set<Category>(['Z', 'E', 'AE', 'K', 'G', 'O']);
const REASON_CATEGORIES = new Set<Category>(['E', 'AE', 'K', 'G', 'O']);

export function TaxRatesSettings({ canEdit }: { canEdit: boolean }) {
  const rates = useTaxRates();
  const [editing, setEditing] = useState<TaxRate | 'new' | null>(null);
  const columns: Column<TaxRate>[] = [
    { key: 'name', header: 'Name', render: (t) => t.name, card: 'title' },
    { key: 'category', header: 'Category', render: (t) => t.category, card: 'meta' },
    { key: 'percentage', header: 'Rate', align: 'right', render: (t) => formatPercent(t.percentage), card: 'amount' },
    { key: 'reason', header: 'Exemption reason', render: (t) => t.exemption_reason ?? '—', card: 'meta' },
    { key: 'country', header: 'Country', render: (t) => t.country ?? '—', card: 'meta' },
    {
      key: 'active',
      header: 'Status',
      render: (t) => (t.active ? <Badge variant="light">Active</Badge> : <Badge color="gray">Inactive</Badge>),
      card: 'meta',
    },
  ];
  return (
    <Stack>
      {canEdit ? (
        <Group>
          <Button onClick={() => setEditing('new')} data-testid="new-tax-rate">
            New tax rate
          </Button>
        </Group>
      ) : null}
      <QueryState query={rates}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No tax rates yet">
              Every invoice line needs a tax rate. Add the rates you charge, e.g. “VAT 19 %” (category S) and a zero or
              exempt rate if you need one.
            </EmptyState>
          ) : (
            <DataList
              rows={page.data}
              columns={columns}
              rowKey={(t) => t.id}
              onOpen={canEdit ? (t) => setEditing(t) : undefined}
            />
          )
        }
      </QueryState>
      {editing ? <TaxRateModal rate={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

function TaxRateModal({ rate, onClose }: { rate: TaxRate | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({
    name: rate?.name ?? '',
    percentage: rate?.percentage ?? '',
    category: (rate?.category ?? 'S') as Category,
    exemption_reason: rate?.exemption_reason ?? '',
    country: rate?.country ?? '',
    active: rate?.active ?? true,
  });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['name', 'percentage', 'category', 'exemption_reason', 'country']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      if (rate) {
        await call(
          api.PATCH('/api/v1/tax_rates/{id}', {
            params: { path: { id: rate.id } },
            body: { name: form.name, active: form.active, exemption_reason: form.exemption_reason.trim() || null },
          }),
        );
      } else {
        await call(
          api.POST('/api/v1/tax_rates', {
            body: {
              name: form.name,
              percentage: ZERO_CATEGORIES.has(form.category) ? '0' : form.percentage.trim(),
              category: form.category,
              exemption_reason: form.exemption_reason.trim() || null,
              country: form.country.trim() || null,
              active: form.active,
            },
          }),
        );
      }
      await qc.invalidateQueries({ queryKey: ['tax_rates'] });
      await qc.invalidateQueries({ queryKey: ['getting-started'] });
      toast(rate ? 'Tax rate saved' : 'Tax rate added');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={rate ? 'Edit tax rate' : 'New tax rate'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label="Name"
            placeholder="VAT 19 %"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={errors.fieldError('name')}
            name="tax_name"
            data-autofocus
          />
          <Select
            label="VAT category"
            data={CATEGORIES as unknown as { value: string; label: string }[]}
            value={form.category}
            onChange={(v) => v && setForm({ ...form, category: v as Category })}
            allowDeselect={false}
            disabled={!!rate}
            error={errors.fieldError('category')}
          />
          <TextInput
            label="Percentage"
            inputMode="decimal"
            value={ZERO_CATEGORIES.has(form.category) ? '0' : form.percentage}
            disabled={!!rate || ZERO_CATEGORIES.has(form.category)}
            onChange={(e) => setForm({ ...form, percentage: e.currentTarget.value })}
            error={errors.fieldError('percentage')}
            name="tax_percentage"
            description={rate ? 'A rate in use cannot change; add a new one instead.' : undefined}
          />
          {REASON_CATEGORIES.has(form.category) ? (
            <TextInput
              label="Exemption reason"
              description="Printed on the invoice, e.g. “Reverse charge”"
              value={form.exemption_reason}
              onChange={(e) => setForm({ ...form, exemption_reason: e.currentTarget.value })}
              error={errors.fieldError('exemption_reason')}
            />
          ) : null}
          <TextInput
            label="Country (optional)"
            maxLength={2}
            value={form.country}
            disabled={!!rate}
            onChange={(e) => setForm({ ...form, country: e.currentTarget.value.toUpperCase() })}
            error={errors.fieldError('country')}
          />
          <Checkbox
            label="Active (offered on new lines)"
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="save-tax-rate">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
