import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { CustomerPicker } from '../../components/CustomerPicker';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useFieldErrors } from '../../lib/field-errors';
import { navigate, useLocation } from '../../lib/router';

/** Step one of a new invoice: whose is it. The draft is created then, and edited with live totals. */
export function InvoiceNewPage() {
  const qc = useQueryClient();
  const { search } = useLocation();
  const [customer, setCustomer] = useState<string | null>(search.get('customer'));
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['customer']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customer) return;
    errors.clear();
    setBusy(true);
    try {
      const invoice = await call(api.POST('/api/v1/invoices', { body: { customer } }));
      qc.setQueryData(['invoices', invoice.id], invoice);
      await qc.invalidateQueries({ queryKey: ['invoices', 'list'] });
      navigate(`/invoices/${invoice.id}`, { replace: true });
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={560}>
      <PageHeader title="New invoice" subtitle="Choose the customer; you add lines on the next step." />
      <Paper withBorder p="md">
        <form onSubmit={submit}>
          <Stack>
            {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
            <CustomerPicker
              label="Customer"
              value={customer}
              onChange={setCustomer}
              error={errors.fieldError('customer')}
              data-testid="invoice-customer"
              autoFocus={!customer}
            />
            <Text size="xs" c="dimmed">
              Not there yet? <Link to="/customers/new">Add the customer</Link> first.
            </Text>
            <Group>
              <Button type="submit" loading={busy} disabled={!customer} data-testid="start-draft">
                Start draft
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
