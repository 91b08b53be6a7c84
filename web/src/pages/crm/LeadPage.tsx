import { Alert, Badge, Button, Checkbox, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useConvertLead, useLead } from '../../api/crm';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/dates';

/** A lead: its fields, score reasons, possible duplicates, and conversion to customer, contact and deal. */
export function LeadPage({ params }: { params: Record<string, string> }) {
  const lead = useLead(params.id!);
  const convert = useConvertLead();
  const [open, setOpen] = useState(false);
  const [withDeal, setWithDeal] = useState(true);
  const [deal, setDeal] = useState({ name: '', close_date: '', amount: '' });
  const [error, setError] = useState<string | null>(null);
  if (lead.isError) return <ErrorAlert error={lead.error} feature="Leads" />;
  if (!lead.data) return null;
  const l = lead.data;
  const submit = async () => {
    setError(null);
    try {
      await convert.mutateAsync({
        id: l.id,
        opportunity: withDeal
          ? {
              name: deal.name || `${l.company ?? l.name}`,
              close_date: deal.close_date,
              ...(deal.amount ? { amount: deal.amount } : {}),
            }
          : null,
      });
      setOpen(false);
      toast('Lead converted');
      void lead.refetch();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const rows: [string, string | null][] = [
    ['Company', l.company],
    ['Email', l.email],
    ['Phone', l.phone],
    ['Title', l.title],
    ['Country', l.country],
    ['Industry', l.industry],
    ['Employees', l.employees === null ? null : String(l.employees)],
    ['Source', l.source],
  ];
  return (
    <Stack>
      <PageHeader
        title={l.name ?? l.company}
        badge={<StatusBadge status={l.status} />}
        subtitle={`Created ${formatDateTime(l.created_at)}`}
        actions={
          ['new', 'working', 'qualified'].includes(l.status) ? (
            <Button onClick={() => setOpen(true)}>Convert</Button>
          ) : null
        }
      />
      {l.converted ? (
        <Alert color="green" title="Converted to a customer">
          <Group gap="md">
            <Link to={`/customers/${l.converted.customer}`}>Customer</Link>
            {l.converted.opportunity ? <Link to={`/opportunities/${l.converted.opportunity}`}>Deal</Link> : null}
          </Group>
        </Alert>
      ) : null}
      {l.possible_duplicates.length > 0 ? (
        <Alert color="orange" title="Possible duplicates">
          {l.possible_duplicates.map((d) => (
            <div key={d.id}>
              {d.type === 'customer' ? <Link to={`/customers/${d.id}`}>Customer {d.id}</Link> : `${d.type} ${d.id}`}
            </div>
          ))}
        </Alert>
      ) : null}
      <Paper withBorder p="md" radius="md">
        <Table>
          <Table.Tbody>
            {rows.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={140}>{k}</Table.Th>
                <Table.Td>{v ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th>Estimated value</Table.Th>
              <Table.Td>
                {l.estimated_value ? <Money amount={l.estimated_value} currency={l.currency ?? 'EUR'} /> : '—'}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Score</Table.Th>
              <Table.Td>
                <Group gap="xs">
                  <Badge variant="default">{l.score}</Badge>
                  {l.score_reasons.map((r) => (
                    <Text key={r.rule} size="xs" c="dimmed">
                      {r.rule} {r.points > 0 ? `+${r.points}` : r.points}
                    </Text>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
      <Modal opened={open} onClose={() => setOpen(false)} title="Convert lead">
        <Stack>
          <Text size="sm">
            Makes a customer ({l.company ?? l.name}) and a contact ({l.name ?? l.company}) in one step.
          </Text>
          <Checkbox
            label="Also create a deal"
            checked={withDeal}
            onChange={(e) => setWithDeal(e.currentTarget.checked)}
          />
          {withDeal ? (
            <>
              <TextInput
                label="Deal name"
                placeholder={l.company ?? l.name ?? ''}
                value={deal.name}
                onChange={(e) => setDeal({ ...deal, name: e.currentTarget.value })}
              />
              <TextInput
                label="Expected close date"
                type="date"
                required
                value={deal.close_date}
                onChange={(e) => setDeal({ ...deal, close_date: e.currentTarget.value })}
              />
              <TextInput
                label="Amount"
                placeholder={l.estimated_value ?? '0.00'}
                value={deal.amount}
                onChange={(e) => setDeal({ ...deal, amount: e.currentTarget.value })}
              />
            </>
          ) : null}
          {error ? <Alert color="red">{error}</Alert> : null}
          <Group justify="flex-end">
            <Button onClick={submit} loading={convert.isPending} disabled={withDeal && !deal.close_date}>
              Convert
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
