import { Badge, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useWorklist } from '../../api/activities';
import { useMe, useSettings } from '../../api/session';
import type { WorklistRow } from '../../api/types';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { PromiseModal } from '../../components/PromiseModal';
import { QueryState } from '../../components/QueryState';
import { formatDate, formatDateTime, todayIn } from '../../lib/dates';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';

/** The collections worklist: overdue invoices, the biggest (amount × days) first in each currency. */
export function WorklistPage() {
  const me = useMe();
  const settings = useSettings();
  const [asOf, setAsOf] = useState(todayIn(settings.data?.time_zone));
  const [currency, setCurrency] = useState<string | null>(null);
  const [mine, setMine] = useState(false);
  const [promising, setPromising] = useState<WorklistRow | null>(null);
  const list = useWorklist({
    ...(asOf ? { as_of: asOf } : {}),
    ...(currency ? { currency } : {}),
    ...(mine ? { owner: 'me' } : {}),
  });
  const mayPromise = can(me.role, 'draft');

  const columns: Column<WorklistRow>[] = [
    {
      key: 'number',
      header: 'Invoice',
      card: 'title',
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {r.number}
          </Text>
          {r.disputed ? (
            <Badge color="orange" size="sm" variant="light">
              Disputed
            </Badge>
          ) : null}
        </Group>
      ),
      cardRender: (r) => `${r.number} · ${r.customer_name}`,
    },
    { key: 'customer', header: 'Customer', card: 'hidden', render: (r) => r.customer_name },
    {
      key: 'amount_due',
      header: 'Due',
      align: 'right',
      card: 'amount',
      render: (r) => <Money amount={r.amount_due} currency={r.currency} />,
    },
    {
      key: 'days',
      header: 'Days overdue',
      align: 'right',
      card: 'meta',
      render: (r) => r.days_overdue,
      cardRender: (r) => `${r.days_overdue} days overdue`,
    },
    {
      key: 'customer_total',
      header: 'Customer overdue',
      align: 'right',
      card: 'hidden',
      render: (r) => <Money amount={r.customer_total_overdue} currency={r.currency} />,
    },
    {
      key: 'last',
      header: 'Last reminder / activity',
      card: 'meta',
      render: (r) => `${formatDateTime(r.last_reminder_at)} / ${formatDateTime(r.last_activity_at)}`,
      cardRender: (r) => (r.last_activity_at ? `Last activity ${formatDateTime(r.last_activity_at)}` : 'No activity'),
    },
    {
      key: 'promise',
      header: 'Promise',
      card: 'meta',
      render: (r) =>
        r.open_promise ? (
          <Badge variant="light" color="teal" size="sm">
            <Money amount={r.open_promise.amount} currency={r.currency} /> by {formatDate(r.open_promise.date)}
          </Badge>
        ) : mayPromise ? (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={(e) => {
              e.stopPropagation();
              setPromising(r);
            }}
            aria-label={`Record a promise to pay ${r.number}`}
          >
            Promise…
          </Button>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Stack>
      <PageHeader title="Collections worklist" subtitle="Overdue invoices, the largest amount × days first" />
      <Group align="flex-end" wrap="wrap">
        <TextInput label="As of" type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} w={170} />
        <Select
          label="Currency"
          placeholder="All"
          clearable
          data={[...new Set(list.data?.data.map((r) => r.currency) ?? []), ...(currency ? [currency] : [])]
            .filter((c, i, all) => all.indexOf(c) === i)
            .map((c) => ({ value: c, label: c }))}
          value={currency}
          onChange={setCurrency}
          w={130}
          comboboxProps={{ withinPortal: true }}
        />
        <Switch label="My customers" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} mb={8} />
      </Group>
      <QueryState query={list}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="Nothing overdue">No posted invoice is overdue on {formatDate(asOf)}.</EmptyState>
          ) : (
            <DataList
              rows={page.data}
              columns={columns}
              rowKey={(r) => r.invoice}
              testId="worklist"
              onOpen={(r) => navigate(`/invoices/${r.invoice}`)}
            />
          )
        }
      </QueryState>
      {promising ? (
        <PromiseModal
          invoice={{
            id: promising.invoice,
            number: promising.number,
            currency: promising.currency,
            amount_due: promising.amount_due,
          }}
          onClose={() => setPromising(null)}
        />
      ) : null}
    </Stack>
  );
}
