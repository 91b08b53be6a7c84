import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client';
import { useSettings } from '../api/session';
import { todayIn } from '../lib/dates';
import { useFieldErrors } from '../lib/field-errors';
import { toast } from './Toasts';

/** Records a customer's promise to pay (part of) an invoice by a date: reminders wait while it is open. */
export function PromiseModal({
  invoice,
  onClose,
}: {
  invoice: { id: string; number: string | null; currency: string; amount_due: string };
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const settings = useSettings();
  const [form, setForm] = useState({ amount: invoice.amount_due, date: todayIn(settings.data?.time_zone), note: '' });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['amount', 'date', 'note']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await call(
        api.POST('/api/v1/invoices/{id}/promises', {
          params: { path: { id: invoice.id } },
          body: { amount: form.amount.trim(), date: form.date, note: form.note.trim() || null },
        }),
      );
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['invoices', invoice.id, 'promises'] }),
        qc.invalidateQueries({ queryKey: ['worklist'] }),
      ]);
      toast('Promise recorded');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Promise to pay ${invoice.number ?? ''}`.trim()}>
      <form onSubmit={submit} noValidate data-testid="promise-form">
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label={`Amount (${invoice.currency})`}
            inputMode="decimal"
            value={form.amount}
            onChange={(e) => setForm({ ...form, amount: e.currentTarget.value })}
            error={errors.fieldError('amount')}
            data-autofocus
          />
          <TextInput
            label="Pays by"
            type="date"
            value={form.date}
            onChange={(e) => setForm({ ...form, date: e.currentTarget.value })}
            error={errors.fieldError('date')}
          />
          <Textarea
            label="Note"
            autosize
            minRows={2}
            placeholder="Said on the phone they pay on Friday"
            value={form.note}
            onChange={(e) => setForm({ ...form, note: e.currentTarget.value })}
            error={errors.fieldError('note')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Record promise
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
