import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useActivities, useActivityActions } from '../api/activities';
import { useMe } from '../api/session';
import type { Activity, ActivityInput } from '../api/types';
import { formatDate, formatDateTime } from '../lib/dates';
import { can } from '../lib/roles';
import { ACTIVITY_TYPE_LABELS, ActivityModal } from './ActivityModal';
import { type Column, DataList } from './DataList';
import { EmptyState } from './EmptyState';
import { QueryState } from './QueryState';
import { toast } from './Toasts';

/** Whether the signed-in user may change an activity: finance and admin all, sales reps their own. */
export function useMayChangeActivity(): (a: Activity) => boolean {
  const me = useMe();
  return (a) => can(me.role, 'finance') || (me.role === 'sales' && !!me.user && a.owner === me.user.id);
}

export function ownerLabel(owner: string | null, meId: string | null): string {
  if (owner === null) return 'Nobody';
  return owner === meId ? 'You' : 'Another user';
}

/** The columns every activity list shares; `done` renders the mark-done button where allowed. */
export function useActivityColumns(): Column<Activity>[] {
  const me = useMe();
  const mayChange = useMayChangeActivity();
  const { complete } = useActivityActions();
  const [busy, setBusy] = useState<string | null>(null);
  const markDone = async (a: Activity) => {
    setBusy(a.id);
    try {
      await complete(a.id);
      toast('Marked done');
    } finally {
      setBusy(null);
    }
  };
  return [
    {
      key: 'subject',
      header: 'Activity',
      card: 'title',
      render: (a) => (
        <Group gap="xs" wrap="nowrap">
          <Badge variant="light" size="sm">
            {ACTIVITY_TYPE_LABELS[a.type]}
          </Badge>
          <Text size="sm" fw={500} td={a.done_at ? 'line-through' : undefined} style={{ overflowWrap: 'anywhere' }}>
            {a.subject}
          </Text>
        </Group>
      ),
    },
    {
      key: 'due',
      header: 'Due',
      card: 'meta',
      render: (a) => formatDate(a.due_date),
      cardRender: (a) => (a.due_date ? `Due ${formatDate(a.due_date)}` : 'No due date'),
    },
    { key: 'owner', header: 'Owner', card: 'meta', render: (a) => ownerLabel(a.owner, me.user?.id ?? null) },
    {
      key: 'done',
      header: '',
      align: 'right',
      card: 'amount',
      render: (a) =>
        a.done_at ? (
          <Text size="xs" c="dimmed">
            Done {formatDateTime(a.done_at)}
          </Text>
        ) : mayChange(a) ? (
          <Button
            size="compact-xs"
            variant="light"
            loading={busy === a.id}
            onClick={(e) => {
              e.stopPropagation();
              void markDone(a);
            }}
            aria-label={`Mark “${a.subject}” done`}
          >
            Done
          </Button>
        ) : null,
    },
  ];
}

/** A record's activities (customer, invoice, lead, opportunity): open ones first, then done ones; add one. */
export function ActivitiesPanel({ related }: { related: NonNullable<ActivityInput['related']> }) {
  const me = useMe();
  const list = useActivities({ related: `${related.type}:${related.id}` });
  const columns = useActivityColumns();
  const [adding, setAdding] = useState(false);
  return (
    <Stack data-testid="activities-panel">
      {can(me.role, 'draft') ? (
        <Group>
          <Button variant="light" onClick={() => setAdding(true)} data-testid="add-activity">
            Add activity
          </Button>
        </Group>
      ) : null}
      <QueryState query={list}>
        {(page) => {
          const rows = [...page.data].sort((a, b) => Number(!!a.done_at) - Number(!!b.done_at));
          return rows.length === 0 ? (
            <EmptyState title="No activities">Log calls, emails, meetings, tasks and notes here.</EmptyState>
          ) : (
            <DataList rows={rows} columns={columns} rowKey={(a) => a.id} testId="activities" />
          );
        }}
      </QueryState>
      {adding ? <ActivityModal related={related} onClose={() => setAdding(false)} /> : null}
    </Stack>
  );
}
