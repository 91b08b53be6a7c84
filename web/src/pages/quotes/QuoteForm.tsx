import { Alert, Button, Group, Paper, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useProducts, useTaxRates } from '../../api/catalog';
import { ApiError, api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import type { Quote, QuoteInput } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { LinesForm } from '../../components/LinesForm';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { navigate } from '../../lib/router';
import { blankLine, linesToApi, rowParam, type SimpleLine } from '../../lib/simple-lines';

function linesOf(q: Quote): SimpleLine[] {
  return q.lines.map((l) => ({
    ...blankLine(l.tax_rate),
    product: l.product,
    description: l.description,
    quantity: l.quantity,
    unit_price: l.unit_price,
    discount_percent: l.discount_percent ?? '',
    recurring: l.recurring?.interval ?? 'none',
  }));
}

/** A new quote, or a draft quote's changes: customer, validity, lines (once or recurring), notes. */
export function QuoteForm({
  quote,
  initialCustomer,
  onSaved,
}: {
  quote?: Quote;
  initialCustomer?: string | null;
  onSaved?: () => void;
}) {
  const qc = useQueryClient();
  const rates = useTaxRates();
  const products = useProducts({ active: true });
  const [customerId, setCustomerId] = useState<string | null>(quote?.customer ?? initialCustomer ?? null);
  const customer = useCustomer(customerId);
  const [validUntil, setValidUntil] = useState(quote?.valid_until ?? '');
  const [startDate, setStartDate] = useState(quote?.start_date ?? '');
  const [notes, setNotes] = useState(quote?.notes ?? '');
  const [lines, setLines] = useState<SimpleLine[]>(() => (quote?.lines.length ? linesOf(quote) : [blankLine(null)]));
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors([
    'customer',
    'valid_until',
    'start_date',
    'notes',
    ...lines.map((l) => `line:${l.key}`),
  ]);
  const activeRates = (rates.data?.data ?? []).filter((t) => t.active);
  const currency = customer.data?.currency ?? quote?.currency ?? 'EUR';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customerId) return;
    errors.clear();
    setBusy(true);
    const { keys, lines: apiLines } = linesToApi(lines);
    const body: QuoteInput = {
      customer: customerId,
      valid_until: validUntil || null,
      start_date: startDate || null,
      notes: notes.trim() || null,
      lines: apiLines.map(({ usage: _usage, ...l }) => l),
    };
    try {
      const saved = quote
        ? await call(api.PATCH('/api/v1/quotes/{id}', { params: { path: { id: quote.id } }, body }))
        : await call(api.POST('/api/v1/quotes', { body }));
      qc.setQueryData(['quotes', saved.id], saved);
      await qc.invalidateQueries({ queryKey: ['quotes', 'list'] });
      toast(quote ? 'Quote saved' : `Quote ${saved.number} created`);
      if (onSaved) onSaved();
      else navigate(`/quotes/${saved.id}`, { replace: true });
    } catch (err) {
      errors.setError(
        err instanceof ApiError
          ? new ApiError(err.status, err.type, err.code, err.message, rowParam(err.param, keys))
          : err,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <CustomerPicker
              label="Customer"
              value={customerId}
              onChange={setCustomerId}
              error={errors.fieldError('customer')}
            />
            <TextInput
              type="date"
              label="Valid until"
              value={validUntil}
              onChange={(e) => setValidUntil(e.currentTarget.value)}
              error={errors.fieldError('valid_until')}
            />
            <TextInput
              type="date"
              label="Subscriptions start"
              description="For recurring lines; empty: the day it is accepted"
              value={startDate}
              onChange={(e) => setStartDate(e.currentTarget.value)}
              error={errors.fieldError('start_date')}
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Lines
          </Title>
          <LinesForm
            lines={lines}
            onChange={setLines}
            products={products.data?.data ?? []}
            taxRates={activeRates}
            currency={currency}
            fieldError={errors.fieldError}
            recurring
            discount
          />
        </Paper>
        <Textarea
          label="Notes"
          autosize
          minRows={2}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errors.fieldError('notes')}
        />
        <Group>
          <Button type="submit" loading={busy} disabled={!customerId}>
            {quote ? 'Save quote' : 'Create quote'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
