import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useProducts, useTaxRates } from '../../api/catalog';
import { api, call } from '../../api/client';
import { useSettings } from '../../api/session';
import type { Product } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { formatPrice } from '../../lib/money';
import { currencyOptions } from '../../lib/options';
import { taxRateLabel } from '../invoices/LineEditor';

export function ProductsSettings({ canEdit }: { canEdit: boolean }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const products = useProducts({ search: debounced.trim() || undefined });
  const rates = useTaxRates();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const rateName = (id: string | null) => {
    const t = rates.data?.data.find((r) => r.id === id);
    return t ? taxRateLabel(t) : '—';
  };
  const columns: Column<Product>[] = [
    { key: 'name', header: 'Name', render: (p) => p.name, card: 'title' },
    { key: 'sku', header: 'SKU', render: (p) => p.sku ?? '—', card: 'meta' },
    { key: 'tax', header: 'Tax rate', render: (p) => rateName(p.tax_rate), card: 'meta' },
    { key: 'unit', header: 'Unit', render: (p) => p.unit, card: 'hidden' },
    {
      key: 'active',
      header: 'Status',
      render: (p) => (p.active ? null : <Badge color="gray">Inactive</Badge>),
      card: 'meta',
    },
    {
      key: 'price',
      header: 'Price',
      align: 'right',
      render: (p) => formatPrice(p.unit_price, p.currency),
      card: 'amount',
    },
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <TextInput
          placeholder="Search products"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          aria-label="Search products"
        />
        {canEdit ? (
          <Button onClick={() => setEditing('new')} data-testid="new-product">
            New product
          </Button>
        ) : null}
      </Group>
      <QueryState query={products}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title={debounced ? 'No product matches' : 'No products yet'}>
              Products fill invoice lines with a name, price and tax rate in one pick.
            </EmptyState>
          ) : (
            <DataList
              rows={page.data}
              columns={columns}
              rowKey={(p) => p.id}
              onOpen={canEdit ? (p) => setEditing(p) : undefined}
            />
          )
        }
      </QueryState>
      {editing ? <ProductModal product={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

function ProductModal({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const qc = useQueryClient();
  const settings = useSettings();
  const rates = useTaxRates();
  const [form, setForm] = useState({
    name: product?.name ?? '',
    sku: product?.sku ?? '',
    description: product?.description ?? '',
    unit_price: product?.unit_price ?? '',
    currency: product?.currency ?? settings.data?.base_currency ?? 'EUR',
    unit: product?.unit ?? 'C62',
    tax_rate: product?.tax_rate ?? null,
    active: product?.active ?? true,
  });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['name', 'sku', 'description', 'unit_price', 'currency', 'unit', 'tax_rate']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const body = {
      name: form.name,
      sku: form.sku.trim() || null,
      description: form.description.trim() || null,
      unit_price: form.unit_price.trim(),
      currency: form.currency,
      unit: form.unit.trim() || 'C62',
      tax_rate: form.tax_rate,
      active: form.active,
    };
    try {
      if (product) await call(api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id } }, body }));
      else await call(api.POST('/api/v1/products', { body }));
      await qc.invalidateQueries({ queryKey: ['products'] });
      toast(product ? 'Product saved' : 'Product added');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={product ? 'Edit product' : 'New product'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={errors.fieldError('name')}
              name="product_name"
              data-autofocus
            />
            <TextInput
              label="SKU"
              value={form.sku}
              onChange={(e) => setForm({ ...form, sku: e.currentTarget.value })}
              error={errors.fieldError('sku')}
            />
            <TextInput
              label="Unit price"
              description="Up to 6 decimals; tax exclusive unless the invoice includes tax"
              inputMode="decimal"
              value={form.unit_price}
              onChange={(e) => setForm({ ...form, unit_price: e.currentTarget.value })}
              error={errors.fieldError('unit_price')}
              name="product_price"
            />
            <Select
              label="Currency"
              data={currencyOptions()}
              searchable
              allowDeselect={false}
              value={form.currency}
              onChange={(v) => v && setForm({ ...form, currency: v })}
              error={errors.fieldError('currency')}
            />
            <Select
              label="Tax rate"
              data={(rates.data?.data ?? [])
                .filter((t) => t.active)
                .map((t) => ({ value: t.id, label: taxRateLabel(t) }))}
              value={form.tax_rate}
              onChange={(v) => setForm({ ...form, tax_rate: v })}
              clearable
              error={errors.fieldError('tax_rate')}
              name="product_tax_rate"
            />
            <TextInput
              label="Unit code"
              description="UN/ECE rec. 20: C62 piece, HUR hour, DAY day, KGM kilogram"
              value={form.unit}
              onChange={(e) => setForm({ ...form, unit: e.currentTarget.value.toUpperCase() })}
              error={errors.fieldError('unit')}
            />
          </SimpleGrid>
          <Textarea
            label="Description on invoices"
            description="Empty: the name"
            autosize
            minRows={2}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
            error={errors.fieldError('description')}
          />
          <Checkbox
            label="Active (offered on invoice lines)"
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="save-product">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
