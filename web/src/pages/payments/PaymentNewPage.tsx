import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useCustomer } from '../../api/customers';
import { useOpenInvoices } from '../../api/invoices';
import { createPayment } from '../../api/payments';
import { useSettings } from '../../api/session';
import type { PaymentMethod } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { DecimalInput } from '../../components/DecimalInput';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { METHOD_LABEL } from '../../components/PaymentTable';
import { ErrorAlert } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { suggestAllocations } from '../../lib/allocation';
import { formatDate, todayIn } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { randomId } from '../../lib/ids';
import { currencyDigits, formatMoney, isDecimalText, subtractAmount, sumAmounts } from '../../lib/money';
import { navigate, useLocation } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';

/** Records money received and applies it to open invoices (suggested oldest due first; every figure editable). */
export function PaymentNewPage() {
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const settings = useSettings();
  const { search } = useLocation();
  const focusInvoice = search.get('invoice');
  const [customerId, setCustomerId] = useState<string | null>(search.get('customer'));
  const customer = useCustomer(customerId);
  const open = useOpenInvoices(customerId);
  const currency = customer.data?.currency ?? settings.data?.base_currency ?? 'EUR';
  const digits = currencyDigits(currency);

  // The invoice the user came from goes first; the rest oldest due first.
  const ordered = useMemo(() => {
    const list = open.data ?? [];
    const first = list.filter((i) => i.id === focusInvoice);
    return [...first, ...list.filter((i) => i.id !== focusInvoice)];
  }, [open.data, focusInvoice]);

  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayIn(settings.data?.time_zone));
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [alloc, setAlloc] = useState<Record<string, string>>({});
  const [manual, setManual] = useState(false);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(() => randomId());
  const [sentOrder, setSentOrder] = useState<string[]>([]);
  const errors = useFieldErrors(['customer', 'amount', 'date', 'method', 'reference', 'allocations']);
  const [rawError, setRawError] = useState<unknown>(null);

  // Coming from an invoice: the amount starts at what it owes.
  const prefilled = useRef(false);
  useEffect(() => {
    if (prefilled.current || !focusInvoice || ordered[0]?.id !== focusInvoice) return;
    prefilled.current = true;
    setAmount(ordered[0].amount_due);
  }, [ordered, focusInvoice]);

  // Auto-suggest until the user edits an allocation by hand.
  useEffect(() => {
    if (manual) return;
    const { allocations } = suggestAllocations(isDecimalText(amount) ? amount : '0', ordered, digits);
    setAlloc(Object.fromEntries(allocations));
  }, [amount, ordered, digits, manual]);

  const allocated = sumAmounts(
    Object.values(alloc).filter((v) => isDecimalText(v)),
    currency,
  );
  const unapplied = isDecimalText(amount) ? subtractAmount(amount, allocated, currency) : null;
  const overAllocated = !!unapplied?.startsWith('-');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customerId) return;
    errors.clear();
    setRawError(null);
    setBusy(true);
    const allocations = ordered
      .filter((i) => isDecimalText(alloc[i.id] ?? '') && !/^0*(\.0*)?$/.test(alloc[i.id]!.trim()))
      .map((i) => ({ invoice: i.id, amount: alloc[i.id]!.trim() }));
    setSentOrder(allocations.map((a) => a.invoice));
    try {
      const payment = await createPayment(
        {
          customer: customerId,
          amount: amount.trim(),
          date,
          method,
          reference: reference.trim() || null,
          ...(allocations.length ? { allocations } : {}),
        },
        idempotencyKey,
      );
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'settings' });
      toast(`Payment of ${formatMoney(payment.amount, payment.currency)} recorded`);
      navigate(focusInvoice ? `/invoices/${focusInvoice}` : `/payments/${payment.id}`, { replace: true });
    } catch (err) {
      errors.setError(err);
      setRawError(err);
    } finally {
      setBusy(false);
    }
  };

  const allocationError = (invoiceId: string) => {
    const i = sentOrder.indexOf(invoiceId);
    return i >= 0 ? errors.fieldError(`allocations[${i}]`) : undefined;
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={960}>
        <PageHeader title="Record payment" />
        {errors.formError ? <ErrorAlert error={rawError} feature="Payments" /> : null}
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <CustomerPicker
              label="Customer"
              value={customerId}
              onChange={(id) => {
                setCustomerId(id);
                setManual(false);
              }}
              error={errors.fieldError('customer')}
              data-testid="payment-customer"
            />
            <DecimalInput
              label={`Amount (${currency})`}
              value={amount}
              onValue={setAmount}
              error={errors.fieldError('amount')}
              name="amount"
              data-testid="payment-amount"
            />
            <TextInput
              type="date"
              label="Date received"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              error={errors.fieldError('date')}
            />
            <Select
              label="Method"
              data={Object.entries(METHOD_LABEL).map(([value, label]) => ({ value, label }))}
              value={method}
              onChange={(v) => v && setMethod(v as PaymentMethod)}
              allowDeselect={false}
              error={errors.fieldError('method')}
            />
            <TextInput
              label="Reference"
              placeholder="Bank reference or check number"
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={errors.fieldError('reference')}
            />
          </SimpleGrid>
        </Paper>
        {customerId ? (
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={4}>Apply to open invoices</Title>
              <Group gap="xs">
                <Checkbox label="Edit by hand" checked={manual} onChange={(e) => setManual(e.currentTarget.checked)} />
                <Button variant="subtle" size="compact-sm" onClick={() => setManual(false)} disabled={!manual}>
                  Suggest oldest first
                </Button>
              </Group>
            </Group>
            {open.isError ? <ErrorAlert error={open.error} /> : null}
            {ordered.length === 0 && open.isSuccess ? (
              <EmptyState title="No open invoices">
                The whole payment becomes credit on the customer's balance, to apply to a later invoice.
              </EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={mobile ? 0 : 560}>
                <Table verticalSpacing="xs" data-testid="allocation-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Invoice</Table.Th>
                      {!mobile ? <Table.Th>Due</Table.Th> : null}
                      <Table.Th ta="right">Open</Table.Th>
                      <Table.Th ta="right">Apply</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {ordered.map((inv) => (
                      <Table.Tr key={inv.id}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {inv.number}
                          </Text>
                          {mobile ? (
                            <Text size="xs" c={inv.overdue ? 'red' : 'dimmed'}>
                              due {formatDate(inv.due_date)}
                            </Text>
                          ) : null}
                        </Table.Td>
                        {!mobile ? (
                          <Table.Td>
                            <Text size="sm" c={inv.overdue ? 'red' : undefined}>
                              {formatDate(inv.due_date)}
                            </Text>
                          </Table.Td>
                        ) : null}
                        <Table.Td ta="right">
                          <Money amount={inv.amount_due} currency={inv.currency} size="sm" />
                        </Table.Td>
                        <Table.Td w={mobile ? 110 : 160}>
                          <TextInput
                            size="xs"
                            inputMode="decimal"
                            aria-label={`Apply to ${inv.number}`}
                            value={alloc[inv.id] ?? ''}
                            onChange={(e) => {
                              setManual(true);
                              setAlloc({ ...alloc, [inv.id]: e.currentTarget.value });
                            }}
                            error={allocationError(inv.id)}
                            styles={{ input: { textAlign: 'right' } }}
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Group justify="flex-end" gap="lg" mt="sm">
              <Text size="sm">
                Applied <Money amount={allocated} currency={currency} fw={600} />
              </Text>
              <Text size="sm" c={overAllocated ? 'red' : undefined}>
                {overAllocated ? 'Over-applied' : 'Left as credit'}{' '}
                <Money amount={unapplied?.replace(/^-/, '') ?? '0'} currency={currency} fw={600} />
              </Text>
            </Group>
          </Paper>
        ) : (
          <Alert color="gray">Choose the customer who paid to see their open invoices.</Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} disabled={!customerId || overAllocated} data-testid="submit-payment">
            Record payment
          </Button>
          <Button variant="default" onClick={() => window.history.back()}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
