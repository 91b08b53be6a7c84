import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, call, downloadFile } from '../../api/client';
import { useStatement } from '../../api/reports';
import { useMe } from '../../api/session';
import type { Customer, Statement } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { label } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { downloadText, toCsv } from '../../lib/csv';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';

type Line = Statement['lines'][number];

/** Opening balance, every invoice, credit note, payment and refund of the period, closing balance. */
export function StatementPanel({ customer }: { customer: Customer }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const statement = useStatement(customer.id, from || undefined, to || undefined);
  const me = useMe();
  const canSend = can(me.role, 'finance');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };

  const downloadPdf = async () => {
    setBusy('pdf');
    setError(null);
    try {
      await downloadFile(
        `/api/v1/customers/${customer.id}/statement/pdf?${new URLSearchParams(period)}`,
        `statement-${customer.name.replace(/\W+/g, '-')}.pdf`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const send = async () => {
    setBusy('send');
    setError(null);
    try {
      const email = await call(
        api.POST('/api/v1/customers/{id}/statement/send', { params: { path: { id: customer.id } }, body: period }),
      );
      toast(
        email.status === 'local'
          ? `Kept in the outbox for ${email.to.join(', ')}: no mail server is configured`
          : `Statement queued for ${email.to.join(', ')}`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const open = (l: Line) => {
    if (l.document.startsWith('inv')) navigate(`/invoices/${l.document}`);
    else if (l.document.startsWith('pay')) navigate(`/payments/${l.document}`);
  };

  const columns: Column<Line>[] = [
    { key: 'date', header: 'Date', render: (l) => formatDate(l.date), card: 'meta' },
    { key: 'type', header: 'Document', render: (l) => `${label(l.type)} ${l.number ?? ''}`, card: 'title' },
    {
      key: 'debit',
      header: 'Charges',
      align: 'right',
      card: 'meta',
      render: (l) => (l.debit ? <Money amount={l.debit} currency={customer.currency} /> : ''),
    },
    {
      key: 'credit',
      header: 'Payments and credits',
      align: 'right',
      card: 'meta',
      render: (l) => (l.credit ? <Money amount={l.credit} currency={customer.currency} /> : ''),
    },
    {
      key: 'balance',
      header: 'Balance',
      align: 'right',
      card: 'amount',
      render: (l) => <Money amount={l.balance} currency={customer.currency} />,
    },
  ];

  const exportCsv = (s: Statement) =>
    downloadText(
      `statement-${customer.name.replace(/\W+/g, '-')}-${s.to}.csv`,
      toCsv([
        ['date', 'type', 'number', 'debit', 'credit', 'balance', 'currency'],
        [s.from, 'opening_balance', '', '', '', s.opening_balance, s.currency],
        ...s.lines.map((l) => [l.date, l.type, l.number, l.debit, l.credit, l.balance, s.currency]),
        [s.to, 'closing_balance', '', '', '', s.closing_balance, s.currency],
      ]),
    );

  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        {statement.data ? (
          <>
            <Button variant="default" onClick={() => exportCsv(statement.data)}>
              Export CSV
            </Button>
            <Button variant="default" onClick={downloadPdf} loading={busy === 'pdf'}>
              PDF
            </Button>
            {canSend ? (
              <Button variant="light" onClick={send} loading={busy === 'send'}>
                Email statement
              </Button>
            ) : null}
          </>
        ) : null}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      <QueryState query={statement} feature="Statements">
        {(s) => (
          <Stack gap="xs">
            <Text size="sm">
              Opening balance on {formatDate(s.from)}: <b>{formatMoney(s.opening_balance, s.currency)}</b>
            </Text>
            {s.lines.length === 0 ? (
              <EmptyState title="No movements in this period">
                Posted invoices, credit notes, payments and refunds appear here by date.
              </EmptyState>
            ) : (
              <DataList
                rows={s.lines}
                columns={columns}
                rowKey={(l) => `${l.document}-${l.date}-${l.type}`}
                onOpen={open}
              />
            )}
            <Text size="sm">
              Closing balance on {formatDate(s.to)}: <b>{formatMoney(s.closing_balance, s.currency)}</b>
            </Text>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
