import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEvents } from '../../api/events';
import type { ArborEvent } from '../../api/types';
import { Link } from '../../components/Link';
import { describeEvent } from '../../components/Timeline';
import { formatDateTime } from '../../lib/dates';

const SHOWN = new Set([
  'invoice.posted',
  'invoice.sent',
  'invoice.viewed',
  'invoice.paid',
  'payment.created',
  'credit_note.issued',
  'invoice.reminded',
]);

function linkFor(e: ArborEvent): string | null {
  if (e.object.type === 'invoice') return `/invoices/${e.object.id}`;
  if (e.object.type === 'payment') return `/payments/${e.object.id}`;
  if (e.object.type === 'customer') return `/customers/${e.object.id}`;
  return null;
}

/** Posted, sent, viewed, paid: the latest movements of the receivables. */
export function RecentActivity() {
  const events = useEvents({ limit: 100 });
  const shown = (events.data?.data ?? []).filter((e) => SHOWN.has(e.type)).slice(0, 10);
  return (
    <Paper withBorder p="md" h="100%" data-testid="recent-activity">
      <Title order={5} mb="sm">
        Recent activity
      </Title>
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          {events.isPending ? 'Loading…' : 'Invoices posted, sent, viewed and paid show here as they happen.'}
        </Text>
      ) : (
        <Stack gap={6}>
          {shown.map((e) => {
            const to = linkFor(e);
            const d = e.data as { number?: string };
            const text = `${describeEvent(e.type)}${d.number ? ` · ${d.number}` : ''}`;
            return (
              <Group key={e.id} justify="space-between" wrap="nowrap" gap="xs">
                {to ? (
                  <Link to={to} size="sm">
                    {text}
                  </Link>
                ) : (
                  <Text size="sm">{text}</Text>
                )}
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(e.at)}
                </Text>
              </Group>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}
