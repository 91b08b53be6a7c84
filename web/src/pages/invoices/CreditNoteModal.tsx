import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { createCreditNote } from '../../api/credit-notes';
import type { CreditNoteInput, Invoice } from '../../api/types';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';
import { formatDecimal, formatMoney, isZero } from '../../lib/money';

/** A credit note against a posted invoice, by gross amount or by lines (the invoice's prices and tax groups). */
export function CreditNoteModal({
  invoice,
  onClose,
  onDone,
}: {
  invoice: Invoice;
  onClose: () => void;
  onDone: () => void;
}) {
  const [mode, setMode] = useState<'amount' | 'lines'>('amount');
  const [amount, setAmount] = useState(isZero(invoice.amount_due) ? '' : invoice.amount_due);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [creditTo, setCreditTo] = useState<CreditNoteInput['credit_to']>(
    isZero(invoice.amount_due) ? 'customer_balance' : 'invoice',
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['amount', 'lines', 'credit_to', 'reason']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const body: CreditNoteInput = {
      invoice: invoice.id,
      credit_to: creditTo,
      reason: reason.trim() || null,
      ...(mode === 'amount'
        ? { amount: amount.trim() }
        : {
            lines: invoice.lines
              .filter((l) => (quantities[l.id] ?? '').trim() !== '')
              .map((l) => ({ invoice_line: l.id, quantity: quantities[l.id]!.trim() })),
          }),
    };
    try {
      const note = await createCreditNote(body);
      toast(`Credit note ${note.number ?? ''} issued for ${formatMoney(note.total, note.currency)}`);
      onDone();
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Credit note for ${invoice.number}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors.formError ? (
            <Alert color="red" role="alert">
              {errors.formError}
            </Alert>
          ) : null}
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'amount' | 'lines')}
            data={[
              { value: 'amount', label: 'By amount' },
              { value: 'lines', label: 'By lines' },
            ]}
          />
          {mode === 'amount' ? (
            <TextInput
              label={`Amount including tax (${invoice.currency})`}
              description={`Split over the invoice's tax rates. Invoice total ${formatMoney(invoice.total, invoice.currency)}.`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={errors.fieldError('amount')}
              name="credit_amount"
              data-autofocus
            />
          ) : (
            <Table.ScrollContainer minWidth={360}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Line</Table.Th>
                    <Table.Th ta="right">Invoiced</Table.Th>
                    <Table.Th ta="right">Credit quantity</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {invoice.lines.map((l, i) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td ta="right">{formatDecimal(l.quantity)}</Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          inputMode="decimal"
                          aria-label={`Credit quantity for ${l.description}`}
                          value={quantities[l.id] ?? ''}
                          onChange={(e) => setQuantities({ ...quantities, [l.id]: e.currentTarget.value })}
                          error={errors.fieldError(`lines[${i}].quantity`)}
                          styles={{ input: { textAlign: 'right' } }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Select
            label="Credit to"
            data={[
              { value: 'invoice', label: 'This invoice (reduces what is due)' },
              { value: 'customer_balance', label: "The customer's credit balance" },
              { value: 'refund', label: 'Refund (pay money back)' },
            ]}
            value={creditTo}
            onChange={(v) => v && setCreditTo(v as CreditNoteInput['credit_to'])}
            allowDeselect={false}
            error={errors.fieldError('credit_to')}
          />
          <TextInput
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.fieldError('reason')}
          />
          <Text size="xs" c="dimmed">
            The credit note gets its own number and cannot be changed; void it while nothing of it was used.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="submit-credit-note">
              Issue credit note
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
