import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useSettings } from '../../api/session';
import type { Customer } from '../../api/types';
import { AddressFields, type AddressValue, addressFrom, addressToApi } from '../../components/AddressFields';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { currencyOptions } from '../../lib/options';
import { navigate } from '../../lib/router';

export function CustomerFormPage({ params }: { params: Record<string, string> }) {
  const customer = useCustomer(params.id);
  if (!params.id) return <CustomerForm />;
  return <QueryState query={customer}>{(c) => <CustomerForm customer={c} />}</QueryState>;
}

interface FormState {
  name: string;
  email: string;
  phone: string;
  currency: string;
  payment_terms_days: number | '';
  tax_id: string;
  locale: string;
  peppol_scheme: string;
  peppol_id: string;
  reminders_paused: boolean;
  address: AddressValue;
}

function CustomerForm({ customer }: { customer?: Customer }) {
  const qc = useQueryClient();
  const settings = useSettings();
  const [form, setForm] = useState<FormState>(() => ({
    name: customer?.name ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    currency: customer?.currency ?? settings.data?.base_currency ?? 'EUR',
    payment_terms_days: customer?.payment_terms_days ?? '',
    tax_id: customer?.tax_id ?? '',
    locale: customer?.locale ?? '',
    peppol_scheme: customer?.peppol_id?.scheme ?? '',
    peppol_id: customer?.peppol_id?.id ?? '',
    reminders_paused: customer?.reminders_paused ?? false,
    address: addressFrom(customer?.billing_address),
  }));
  useEffect(() => {
    if (!customer && settings.data) setForm((f) => ({ ...f, currency: f.currency || settings.data.base_currency }));
  }, [customer, settings.data]);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors([
    'name',
    'email',
    'phone',
    'currency',
    'payment_terms_days',
    'tax_id',
    'locale',
    'peppol_id',
    'billing_address',
  ]);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const body = {
      name: form.name,
      email: form.email.trim() || null,
      phone: form.phone.trim() || null,
      currency: form.currency,
      payment_terms_days: form.payment_terms_days === '' ? null : form.payment_terms_days,
      tax_id: form.tax_id.trim() || null,
      locale: form.locale.trim() || null,
      peppol_id:
        form.peppol_scheme.trim() && form.peppol_id.trim()
          ? { scheme: form.peppol_scheme.trim(), id: form.peppol_id.trim() }
          : null,
      reminders_paused: form.reminders_paused,
      billing_address: addressToApi(form.address),
    };
    try {
      const saved = customer
        ? await call(api.PATCH('/api/v1/customers/{id}', { params: { path: { id: customer.id } }, body }))
        : await call(api.POST('/api/v1/customers', { body }));
      qc.setQueryData(['customers', saved.id], saved);
      await qc.invalidateQueries({ queryKey: ['customers', 'list'] });
      toast(customer ? 'Customer saved' : `Customer ${saved.name} created`);
      navigate(`/customers/${saved.id}`, { replace: !!customer });
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={860}>
        <PageHeader title={customer ? `Edit ${customer.name}` : 'New customer'} />
        {errors.formError ? (
          <Alert color="red" role="alert">
            {errors.formError}
          </Alert>
        ) : null}
        <Paper withBorder p="md">
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Name"
                required
                value={form.name}
                onChange={(e) => set('name', e.currentTarget.value)}
                error={errors.fieldError('name')}
                name="name"
                autoFocus
              />
              <TextInput
                label="Email"
                type="email"
                value={form.email}
                onChange={(e) => set('email', e.currentTarget.value)}
                error={errors.fieldError('email')}
                name="email"
              />
              <TextInput
                label="Phone"
                value={form.phone}
                onChange={(e) => set('phone', e.currentTarget.value)}
                error={errors.fieldError('phone')}
                name="phone"
              />
              <Select
                label="Currency"
                description={customer ? 'Fixed once the customer has documents.' : 'All its documents use it.'}
                data={currencyOptions()}
                value={form.currency}
                onChange={(v) => set('currency', v ?? '')}
                searchable
                allowDeselect={false}
                error={errors.fieldError('currency')}
                name="currency"
              />
              <NumberInput
                label="Payment terms (days)"
                description="Empty: the organization's default."
                value={form.payment_terms_days}
                onChange={(v) => set('payment_terms_days', typeof v === 'number' ? v : '')}
                min={0}
                max={3650}
                allowDecimal={false}
                error={errors.fieldError('payment_terms_days')}
                name="payment_terms_days"
              />
              <TextInput
                label="Tax id (VAT number)"
                value={form.tax_id}
                onChange={(e) => set('tax_id', e.currentTarget.value)}
                error={errors.fieldError('tax_id')}
                name="tax_id"
              />
              <TextInput
                label="Document language"
                description="Locale such as de or fr-FR; empty: the organization's."
                value={form.locale}
                onChange={(e) => set('locale', e.currentTarget.value)}
                error={errors.fieldError('locale')}
                name="locale"
              />
              <Group grow align="flex-start">
                <TextInput
                  label="Peppol scheme"
                  placeholder="0088"
                  value={form.peppol_scheme}
                  onChange={(e) => set('peppol_scheme', e.currentTarget.value)}
                  error={errors.fieldError('peppol_id.scheme')}
                />
                <TextInput
                  label="Peppol id"
                  value={form.peppol_id}
                  onChange={(e) => set('peppol_id', e.currentTarget.value)}
                  error={errors.fieldError('peppol_id.id') ?? errors.fieldError('peppol_id')}
                />
              </Group>
            </SimpleGrid>
            <Checkbox
              label="Pause payment reminders for this customer"
              checked={form.reminders_paused}
              onChange={(e) => set('reminders_paused', e.currentTarget.checked)}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            Billing address
          </Title>
          <AddressFields
            value={form.address}
            onChange={(a) => set('address', a)}
            prefix="billing_address"
            fieldError={errors.fieldError}
          />
        </Paper>
        <Group>
          <Button type="submit" loading={busy}>
            {customer ? 'Save customer' : 'Create customer'}
          </Button>
          <Button variant="default" onClick={() => window.history.back()}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
