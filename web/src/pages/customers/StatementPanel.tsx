import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Statement } from '../../api/pending-types';
import { useStatement } from '../../api/reports';
import type { Customer } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/QueryState';
import { label } from '../../components/StatusBadge';
import { downloadText, toCsv } from '../../lib/csv';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { navigate } from '../../lib/router';

type Line = Statement['lines'][number];

/** Opening balance, every invoice, credit note, payment and refund of the period, closing balance. */
export function StatementPanel({ customer }: { customer: Customer }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const statement = useStatement(customer.id, from || undefined, to || undefined);

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
          <Button variant="default" onClick={() => exportCsv(statement.data)}>
            Export CSV
          </Button>
        ) : null}
      </Group>
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
