import { Alert, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useOpenInvoices } from '../../api/invoices';
import { allocatePayment, refundPayment, reversePayment, usePayment } from '../../api/payments';
import { useMe } from '../../api/session';
import type { Payment } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { METHOD_LABEL } from '../../components/PaymentTable';
import { QueryState } from '../../components/QueryState';
import { StatCard } from '../../components/StatCard';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { suggestAllocations } from '../../lib/allocation';
import { formatDate } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { currencyDigits, formatMoney, isZero } from '../../lib/money';
import { can } from '../../lib/roles';

export function PaymentDetailPage({ params }: { params: Record<string, string> }) {
  const payment = usePayment(params.id!);
  return (
    <QueryState query={payment} feature="Payments">
      {(p) => <PaymentDetail payment={p} />}
    </QueryState>
  );
}

type Dialog = 'allocate' | 'refund' | 'reverse' | null;

function PaymentDetail({ payment }: { payment: Payment }) {
  const me = useMe();
  const customer = useCustomer(payment.customer);
  const [dialog, setDialog] = useState<Dialog>(null);
  const invoices = useQueries({
    queries: payment.allocations.map((a) => ({
      queryKey: ['invoices', a.invoice],
      queryFn: () => call(api.GET('/api/v1/invoices/{id}', { params: { path: { id: a.invoice } } })),
    })),
  });
  const numberOf = (id: string) => invoices.find((q) => q.data?.id === id)?.data?.number ?? '…';
  const finance = can(me.role, 'finance');
  const live = payment.status === 'succeeded';

  return (
    <Stack>
      <PageHeader
        title={`Payment ${formatMoney(payment.amount, payment.currency)}`}
        badge={<StatusBadge status={payment.status} />}
        subtitle={
          <>
            from <Link to={`/customers/${payment.customer}`}>{customer.data?.name ?? '…'}</Link> ·{' '}
            {formatDate(payment.date)} · {METHOD_LABEL[payment.method]}
            {payment.reference ? ` · ${payment.reference}` : ''}
          </>
        }
        actions={
          finance && live ? (
            <>
              {!isZero(payment.unapplied_amount) ? (
                <Button onClick={() => setDialog('allocate')}>Apply to invoices</Button>
              ) : null}
              {!isZero(payment.unapplied_amount) ? (
                <Button variant="light" onClick={() => setDialog('refund')}>
                  Refund
                </Button>
              ) : null}
              <Button variant="subtle" color="red" onClick={() => setDialog('reverse')}>
                Reverse
              </Button>
            </>
          ) : null
        }
      />
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <StatCard label="Amount" value={formatMoney(payment.amount, payment.currency)} />
        <StatCard
          label="Unapplied"
          value={formatMoney(payment.unapplied_amount, payment.currency)}
          hint="Part of the customer's credit balance"
        />
        <StatCard label="Refunded" value={formatMoney(payment.refunded_amount, payment.currency)} />
      </SimpleGrid>
      <Paper withBorder p="md">
        <Text fw={600} mb="xs">
          Applied to
        </Text>
        {payment.allocations.length === 0 ? (
          <EmptyState title="Not applied to any invoice">
            The money is on the customer's credit balance. Apply it to an open invoice, or refund it.
          </EmptyState>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Invoice</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {payment.allocations.map((a) => (
                <Table.Tr key={`${a.invoice}-${a.date}-${a.amount}`}>
                  <Table.Td>
                    <Link to={`/invoices/${a.invoice}`}>{numberOf(a.invoice)}</Link>
                  </Table.Td>
                  <Table.Td>{formatDate(a.date)}</Table.Td>
                  <Table.Td ta="right">
                    <Money amount={a.amount} currency={payment.currency} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {dialog === 'allocate' ? <AllocateModal payment={payment} onClose={() => setDialog(null)} /> : null}
      {dialog === 'refund' ? <RefundModal payment={payment} onClose={() => setDialog(null)} /> : null}
      {dialog === 'reverse' ? <ReverseModal payment={payment} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function useAction(payment: Payment, onClose: () => void) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['amount', 'date', 'reason', 'allocations']);
  const run = async (fn: () => Promise<Payment>, done: string) => {
    errors.clear();
    setBusy(true);
    try {
      const updated = await fn();
      qc.setQueryData(['payments', payment.id], updated);
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'settings' });
      toast(done);
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, run };
}

function AllocateModal({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const open = useOpenInvoices(payment.customer);
  const { busy, errors, run } = useAction(payment, onClose);
  const [alloc, setAlloc] = useState<Record<string, string> | null>(null);
  const suggested =
    alloc ??
    Object.fromEntries(
      suggestAllocations(payment.unapplied_amount, open.data ?? [], currencyDigits(payment.currency)).allocations,
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const allocations = Object.entries(suggested)
      .filter(([, v]) => v.trim() && !isZero(v))
      .map(([invoice, amount]) => ({ invoice, amount: amount.trim() }));
    void run(() => allocatePayment(payment.id, allocations), 'Payment applied');
  };
  return (
    <Modal opened onClose={onClose} title="Apply to open invoices">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">Unapplied: {formatMoney(payment.unapplied_amount, payment.currency)}</Text>
          {errors.error ? <Alert color="red">{errors.error.message}</Alert> : null}
          {(open.data ?? []).length === 0 ? (
            <Text size="sm" c="dimmed">
              No open invoices.
            </Text>
          ) : (
            (open.data ?? []).map((inv) => (
              <Group key={inv.id} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {inv.number} · due {formatMoney(inv.amount_due, inv.currency)}
                </Text>
                <TextInput
                  size="xs"
                  w={120}
                  inputMode="decimal"
                  aria-label={`Apply to ${inv.number}`}
                  value={suggested[inv.id] ?? ''}
                  onChange={(e) => setAlloc({ ...suggested, [inv.id]: e.currentTarget.value })}
                />
              </Group>
            ))
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Apply
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RefundModal({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const { busy, errors, run } = useAction(payment, onClose);
  const [amount, setAmount] = useState(payment.unapplied_amount);
  const [date, setDate] = useState('');
  return (
    <Modal opened onClose={onClose} title="Refund unapplied money">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => refundPayment(payment.id, amount.trim(), date || undefined), 'Refund recorded');
        }}
      >
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label={`Amount (${payment.currency})`}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.fieldError('amount')}
          />
          <TextInput
            type="date"
            label="Date"
            description="Empty: today"
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.fieldError('date')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Refund
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ReverseModal({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const { busy, errors, run } = useAction(payment, onClose);
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title="Reverse payment">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => reversePayment(payment.id, reason.trim()), 'Payment reversed');
        }}
      >
        <Stack>
          <Text size="sm">
            A bounced or mistaken payment: all its allocations are removed and the invoices are open again.
          </Text>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <TextInput
            label="Reason"
            required
            placeholder="Bounced"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.fieldError('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Reverse
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
