import { Badge, Group } from '@mantine/core';

const STATUS_COLOR: Record<string, string> = {
  draft: 'gray',
  posted: 'blue',
  paid: 'green',
  void: 'dark',
  uncollectible: 'orange',
  issued: 'blue',
  succeeded: 'green',
  reversed: 'red',
  active: 'teal',
  completed: 'green',
  completed_with_errors: 'orange',
  pending: 'blue',
  running: 'blue',
  sent: 'cyan',
  accepted: 'green',
  declined: 'red',
  expired: 'gray',
  cancelled: 'dark',
  ended: 'gray',
  queued: 'blue',
  sending: 'blue',
  failed: 'red',
  local: 'yellow',
  open: 'blue',
  won: 'green',
  lost: 'red',
  new: 'blue',
  working: 'cyan',
  qualified: 'teal',
  disqualified: 'gray',
  converted: 'green',
};

const LABEL: Record<string, string> = {
  partially_paid: 'Partially paid',
  unpaid: 'Unpaid',
  uncollectible: 'Uncollectible',
};

export function label(status: string): string {
  return LABEL[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ');
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light">
      {label(status)}
    </Badge>
  );
}

/** An invoice's state at a glance: status, partial payment, overdue, disputed. */
export function InvoiceBadges({
  invoice,
}: {
  invoice: { status: string; payment_status: string; overdue: boolean; days_overdue: number; disputed: boolean };
}) {
  return (
    <Group gap={4} wrap="wrap">
      <StatusBadge status={invoice.status} />
      {invoice.status === 'posted' && invoice.payment_status === 'partially_paid' ? (
        <Badge color="teal" variant="light">
          Partially paid
        </Badge>
      ) : null}
      {invoice.overdue ? (
        <Badge color="red" variant="light">
          Overdue {invoice.days_overdue} d
        </Badge>
      ) : null}
      {invoice.disputed ? (
        <Badge color="yellow" variant="light">
          Disputed
        </Badge>
      ) : null}
    </Group>
  );
}
