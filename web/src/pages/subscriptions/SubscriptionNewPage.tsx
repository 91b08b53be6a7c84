import { Alert, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useProducts, useTaxRates } from '../../api/catalog';
import { ApiError, api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import type { Interval, SubscriptionInput } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { LinesForm } from '../../components/LinesForm';
import { PageHeader } from '../../components/PageHeader';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { navigate, useLocation } from '../../lib/router';
import { blankLine, linesToApi, rowParam, type SimpleLine } from '../../lib/simple-lines';

export function SubscriptionNewPage() {
  const qc = useQueryClient();
  const { search } = useLocation();
  const rates = useTaxRates();
  const products = useProducts({ active: true });
  const [customerId, setCustomerId] = useState<string | null>(search.get('customer'));
  const customer = useCustomer(customerId);
  const [interval, setBillingInterval] = useState<Interval>('month');
  const [count, setCount] = useState('1');
  const [startDate, setStartDate] = useState('');
  const [timing, setTiming] = useState<'in_advance' | 'in_arrears'>('in_advance');
  const [autoPost, setAutoPost] = useState(true);
  const [autoSend, setAutoSend] = useState(false);
  const [items, setItems] = useState<SimpleLine[]>([blankLine(null)]);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors([
    'customer',
    'interval',
    'interval_count',
    'start_date',
    'timing',
    ...items.map((i) => `line:${i.key}`),
  ]);
  const currency = customer.data?.currency ?? 'EUR';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customerId) return;
    errors.clear();
    setBusy(true);
    const { keys, lines } = linesToApi(items);
    const body: SubscriptionInput = {
      customer: customerId,
      interval,
      interval_count: Number.parseInt(count, 10) || 1,
      timing,
      auto_post: autoPost,
      auto_send: autoSend,
      ...(startDate ? { start_date: startDate } : {}),
      items: lines.map((l) => ({
        product: l.product,
        description: l.description,
        quantity: l.usage ? null : l.quantity,
        unit_price: l.unit_price,
        tax_rate: l.tax_rate,
        usage: l.usage,
      })),
    };
    try {
      const sub = await call(api.POST('/api/v1/subscriptions', { body }));
      await qc.invalidateQueries({ queryKey: ['subscriptions'] });
      toast('Subscription created');
      navigate(`/subscriptions/${sub.id}`, { replace: true });
    } catch (err) {
      errors.setError(
        err instanceof ApiError
          ? new ApiError(err.status, err.type, err.code, err.message, rowParam(err.param, keys, 'items'))
          : err,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={1100}>
        <PageHeader title="New subscription" />
        {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <CustomerPicker
              label="Customer"
              value={customerId}
              onChange={setCustomerId}
              error={errors.fieldError('customer')}
            />
            <Group grow align="flex-start">
              <TextInput
                label="Every"
                inputMode="numeric"
                value={count}
                onChange={(e) => setCount(e.currentTarget.value)}
                error={errors.fieldError('interval_count')}
              />
              <Select
                label="Interval"
                data={[
                  { value: 'month', label: 'month(s)' },
                  { value: 'quarter', label: 'quarter(s)' },
                  { value: 'year', label: 'year(s)' },
                ]}
                value={interval}
                allowDeselect={false}
                onChange={(v) => v && setBillingInterval(v as Interval)}
              />
            </Group>
            <TextInput
              type="date"
              label="Start date"
              description="Empty: today"
              value={startDate}
              onChange={(e) => setStartDate(e.currentTarget.value)}
              error={errors.fieldError('start_date')}
            />
            <Select
              label="Bill"
              data={[
                { value: 'in_advance', label: 'In advance (on the first day of a period)' },
                { value: 'in_arrears', label: 'In arrears (after the period)' },
              ]}
              value={timing}
              allowDeselect={false}
              onChange={(v) => v && setTiming(v as typeof timing)}
            />
            <Checkbox
              mt="lg"
              label="Post invoices by themselves"
              checked={autoPost}
              onChange={(e) => setAutoPost(e.currentTarget.checked)}
            />
            <Checkbox
              mt="lg"
              label="Email them when posted"
              checked={autoSend}
              onChange={(e) => setAutoSend(e.currentTarget.checked)}
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Items
          </Title>
          <LinesForm
            lines={items}
            onChange={setItems}
            products={products.data?.data ?? []}
            taxRates={(rates.data?.data ?? []).filter((t) => t.active)}
            currency={currency}
            fieldError={errors.fieldError}
            usage
          />
        </Paper>
        <Group>
          <Button type="submit" loading={busy} disabled={!customerId}>
            Create subscription
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
