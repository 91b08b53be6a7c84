import { Badge, Group, Timeline as MTimeline, Text } from '@mantine/core';
import type { ArborEvent } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { EmptyState } from './EmptyState';

const COLORS: Record<string, string> = {
  posted: 'blue',
  sent: 'cyan',
  viewed: 'grape',
  downloaded: 'grape',
  reminded: 'orange',
  paid: 'green',
  voided: 'dark',
  issued: 'yellow',
  created: 'gray',
  reversed: 'red',
  uncollectible: 'orange',
  marked_uncollectible: 'orange',
  written_off: 'orange',
};

const TEXT: Record<string, string> = {
  'invoice.created': 'Draft created',
  'invoice.updated': 'Draft changed',
  'invoice.posted': 'Posted',
  'invoice.sent': 'Sent by email',
  'invoice.viewed': 'Viewed by the customer',
  'invoice.downloaded': 'Downloaded by the customer',
  'invoice.reminded': 'Reminder sent',
  'invoice.paid': 'Paid in full',
  'invoice.voided': 'Voided',
  'invoice.marked_uncollectible': 'Marked uncollectible',
  'invoice.written_off': 'Written off',
  'invoice.duplicated': 'Duplicated',
  'invoice.flags_updated': 'Flags changed',
  'invoice.deleted': 'Draft deleted',
  'credit_note.issued': 'Credit note issued',
  'credit_note.voided': 'Credit note voided',
  'payment.created': 'Payment recorded',
  'payment.allocated': 'Payment applied',
  'payment.refunded': 'Refund',
  'payment.reversed': 'Payment reversed',
  'customer.created': 'Customer created',
  'customer.updated': 'Customer changed',
};

/** "invoice.posted" -> "Posted"; unknown types read as their words. */
export function describeEvent(type: string): string {
  return TEXT[type] ?? type.replace(/[._]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

function detail(e: ArborEvent): string | null {
  const d = e.data as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.number === 'string') parts.push(d.number);
  if (typeof d.amount === 'string' && typeof d.currency === 'string') parts.push(formatMoney(d.amount, d.currency));
  if (typeof d.to === 'string') parts.push(`to ${d.to}`);
  if (typeof d.step === 'number') parts.push(`step ${d.step + 1}`);
  if (typeof d.reason === 'string') parts.push(d.reason);
  return parts.length ? parts.join(' · ') : null;
}

/** Autosave writes an event per save: consecutive changes of the same kind show as one entry with a count. */
function collapse(events: readonly ArborEvent[]): { event: ArborEvent; count: number }[] {
  const out: { event: ArborEvent; count: number }[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (last && last.event.type === e.type && e.type.endsWith('.updated')) last.count++;
    else out.push({ event: e, count: 1 });
  }
  return out;
}

export function EventTimeline({ events, empty }: { events: readonly ArborEvent[]; empty?: string }) {
  if (events.length === 0) return <EmptyState title="Nothing happened yet">{empty}</EmptyState>;
  return (
    <MTimeline bulletSize={14} lineWidth={2} data-testid="timeline">
      {collapse(events).map(({ event: e, count }) => {
        const verb = e.type.split('.').pop() ?? '';
        const extra = detail(e);
        return (
          <MTimeline.Item
            key={e.id}
            color={COLORS[verb] ?? 'gray'}
            title={`${describeEvent(e.type)}${count > 1 ? ` (${count} times)` : ''}`}
          >
            <Group gap="xs" wrap="wrap">
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)}
              </Text>
              <Badge size="xs" variant="outline" color="gray">
                {e.actor.type === 'public' ? 'customer' : e.actor.type}
              </Badge>
            </Group>
            {extra ? <Text size="sm">{extra}</Text> : null}
          </MTimeline.Item>
        );
      })}
    </MTimeline>
  );
}
