import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { sendInvoice } from '../../api/documents';
import type { Invoice } from '../../api/types';
import { ErrorAlert } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

/** "a@x.test, b@y.test" -> ["a@x.test", "b@y.test"] */
function splitAddresses(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export function SendModal({
  invoice,
  defaultTo,
  onClose,
  onDone,
}: {
  invoice: Invoice;
  defaultTo: string;
  onClose: () => void;
  onDone: (invoice: Invoice) => void;
}) {
  const [to, setTo] = useState(defaultTo);
  const [cc, setCc] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['to', 'cc', 'message']);
  const [raw, setRaw] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setRaw(null);
    setBusy(true);
    try {
      const res = await sendInvoice(invoice.id, {
        ...(to.trim() ? { to: splitAddresses(to) } : {}),
        ...(cc.trim() ? { cc: splitAddresses(cc) } : {}),
        ...(message.trim() ? { message: message.trim() } : {}),
      });
      toast(
        res.email.status === 'local'
          ? `Kept in the outbox for ${res.email.to.join(', ')}: no mail server is configured`
          : `Queued for ${res.email.to.join(', ')}`,
      );
      onDone(res.invoice);
      onClose();
    } catch (err) {
      errors.setError(err);
      setRaw(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Send ${invoice.number}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? <ErrorAlert error={raw} feature="Sending invoices" /> : null}
          <TextInput
            label="To"
            description="Empty: the customer's invoice contacts; separate several with commas"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={errors.fieldError('to')}
            data-autofocus
          />
          <TextInput
            label="Cc"
            value={cc}
            onChange={(e) => setCc(e.currentTarget.value)}
            error={errors.fieldError('cc')}
          />
          <Textarea
            label="Message"
            autosize
            minRows={3}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            error={errors.fieldError('message')}
          />
          <Alert color="gray">The PDF is attached and the email links to the invoice's page.</Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
