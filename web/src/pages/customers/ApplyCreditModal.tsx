import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { applyCredit } from '../../api/payments';
import type { Customer, Invoice } from '../../api/types';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { formatMoney, minAmount } from '../../lib/money';

/** Uses the customer's credit balance (unapplied payments, credit notes) to pay an open invoice. */
export function ApplyCreditModal({
  customer,
  invoices,
  onClose,
}: {
  customer: Customer;
  invoices: readonly Invoice[];
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const first = invoices[0];
  const [invoice, setInvoice] = useState<string | null>(first?.id ?? null);
  const [amount, setAmount] = useState(first ? minAmount(customer.credit_balance, first.amount_due) : '');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['invoice', 'amount']);

  const choose = (id: string | null) => {
    setInvoice(id);
    const inv = invoices.find((i) => i.id === id);
    if (inv) setAmount(minAmount(customer.credit_balance, inv.amount_due));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!invoice) return;
    errors.clear();
    setBusy(true);
    try {
      await applyCredit(customer.id, invoice, amount);
      await qc.invalidateQueries();
      toast('Credit applied');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Apply credit">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">Available credit: {formatMoney(customer.credit_balance, customer.currency)}</Text>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          {invoices.length === 0 ? (
            <Text size="sm" c="dimmed">
              {customer.name} has no open invoice to apply credit to.
            </Text>
          ) : (
            <>
              <Select
                label="Invoice"
                data={invoices.map((i) => ({
                  value: i.id,
                  label: `${i.number} · due ${formatMoney(i.amount_due, i.currency)}`,
                }))}
                value={invoice}
                onChange={choose}
                allowDeselect={false}
                error={errors.fieldError('invoice')}
              />
              <TextInput
                label="Amount"
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value)}
                error={errors.fieldError('amount')}
              />
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!invoice}>
              Apply
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
