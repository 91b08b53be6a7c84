import { Badge, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMoveOpportunity, useOpportunity, useStages } from '../../api/crm';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/dates';

/** A deal: amount, MRR, lines, stage (changeable) and the stage history. */
export function OpportunityPage({ params }: { params: Record<string, string> }) {
  const opp = useOpportunity(params.id!);
  const stages = useStages();
  const move = useMoveOpportunity();
  if (opp.isError) return <ErrorAlert error={opp.error} feature="Opportunities" />;
  if (!opp.data || !stages.data) return null;
  const o = opp.data;
  const stageName = (id: string) => stages.data.data.find((s) => s.id === id)?.name ?? id;
  return (
    <Stack>
      <PageHeader
        title={o.name}
        badge={<StatusBadge status={o.status} />}
        subtitle={<Link to={`/customers/${o.customer}`}>Customer</Link>}
      />
      <Group grow align="flex-start">
        <Paper withBorder p="md" radius="md">
          <Text size="sm" c="dimmed">
            Amount
          </Text>
          <Money amount={o.amount} currency={o.currency} fw={700} size="xl" />
          <Text size="sm" c="dimmed" mt="xs">
            MRR <Money amount={o.mrr} currency={o.currency} /> · expected{' '}
            <Money amount={o.expected_revenue} currency={o.currency} />
          </Text>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Select
            label="Stage"
            value={o.stage}
            data={stages.data.data
              .filter((s) => s.active && s.kind !== 'lost')
              .map((s) => ({ value: s.id, label: s.name }))}
            onChange={async (v) => {
              if (!v || v === o.stage) return;
              try {
                await move.mutateAsync({ id: o.id, stage: v });
                toast(`Moved to ${stageName(v)}`);
              } catch (err) {
                toast(err instanceof Error ? err.message : String(err), 'red');
              }
            }}
          />
          <Text size="sm" mt="xs">
            {o.probability} % · {o.forecast_category} {o.close_date ? `· closes ${o.close_date}` : ''}
          </Text>
        </Paper>
      </Group>
      {o.lines.length > 0 ? (
        <Paper withBorder p="md" radius="md">
          <Title order={5} mb="xs">
            Lines
          </Title>
          <Table.ScrollContainer minWidth={480}>
            <Table>
              <Table.Tbody>
                {o.lines.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.description}</Table.Td>
                    <Table.Td>{l.quantity}</Table.Td>
                    <Table.Td>
                      {l.recurring ? `every ${l.recurring.interval_count} ${l.recurring.interval}` : 'once'}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Money amount={l.amount} currency={o.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}
      <Paper withBorder p="md" radius="md">
        <Title order={5} mb="xs">
          Stage history
        </Title>
        <Stack gap={4}>
          {o.stage_history.map((h) => (
            <Group key={h.from} gap="xs">
              <Badge variant="light">{stageName(h.stage)}</Badge>
              <Text size="sm">
                <Money amount={h.amount} currency={o.currency} /> · {h.probability} % · from {formatDateTime(h.from)}
              </Text>
            </Group>
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}
