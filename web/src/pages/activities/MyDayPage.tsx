import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useActivities } from '../../api/activities';
import { useSettings } from '../../api/session';
import type { Activity } from '../../api/types';
import { useActivityColumns } from '../../components/ActivitiesPanel';
import { ActivityModal } from '../../components/ActivityModal';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDate, todayIn } from '../../lib/dates';
import { navigate } from '../../lib/router';

const RELATED_PATH: Record<string, string> = { customer: '/customers', invoice: '/invoices' };

/** A rep's day: their open activities due today or earlier, oldest first; mark them done, add new ones. */
export function MyDayPage() {
  const settings = useSettings();
  const today = todayIn(settings.data?.time_zone);
  const list = useActivities({ owner: 'me', done: 'false', 'due_date[lte]': today });
  const base = useActivityColumns();
  const [adding, setAdding] = useState(false);
  const columns: Column<Activity>[] = [
    ...base.slice(0, 1),
    {
      key: 'related',
      header: 'About',
      card: 'meta',
      render: (a) => (a.related ? `${a.related.type} ${a.related.id.slice(0, 12)}…` : '—'),
    },
    ...base.slice(1, 2),
    ...base.slice(3),
  ];
  return (
    <Stack>
      <PageHeader
        title="My day"
        subtitle={`Your open activities due by ${formatDate(today)}`}
        actions={
          <Button onClick={() => setAdding(true)} data-testid="add-activity">
            Add activity
          </Button>
        }
      />
      <QueryState query={list}>
        {(page) => {
          const rows = [...page.data].sort((a, b) => (a.due_date ?? '').localeCompare(b.due_date ?? ''));
          return rows.length === 0 ? (
            <EmptyState title="Nothing due">
              <Text size="sm">Nothing is due today. Activities you add with a due date show up here on that day.</Text>
            </EmptyState>
          ) : (
            <DataList
              rows={rows}
              columns={columns}
              rowKey={(a) => a.id}
              testId="my-day"
              onOpen={(a) => {
                const path = a.related ? RELATED_PATH[a.related.type] : undefined;
                if (a.related && path) navigate(`${path}/${a.related.id}`);
              }}
            />
          );
        }}
      </QueryState>
      {adding ? <ActivityModal defaultDue={today} onClose={() => setAdding(false)} /> : null}
    </Stack>
  );
}
