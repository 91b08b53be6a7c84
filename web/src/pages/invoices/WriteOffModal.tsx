import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import type { Invoice } from '../../api/types';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

/** Writes off a small remaining difference (at most the organization's write-off limit). */
export function WriteOffModal({
  invoice,
  onClose,
  onDone,
}: {
  invoice: Invoice;
  onClose: () => void;
  onDone: (invoice: Invoice) => void;
}) {
  const [amount, setAmount] = useState(invoice.amount_due);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['amount', 'reason']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const inv = await call(
        api.POST('/api/v1/invoices/{id}/write_off', {
          params: { path: { id: invoice.id } },
          body: { amount: amount.trim(), reason: reason.trim() || null },
        }),
      );
      toast('Written off');
      onDone(inv);
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Write off a small difference">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label={`Amount (${invoice.currency})`}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.fieldError('amount')}
            data-autofocus
          />
          <TextInput
            label="Reason"
            placeholder="Bank charges"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.fieldError('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Write off
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
