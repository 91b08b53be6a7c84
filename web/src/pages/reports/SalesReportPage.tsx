import { Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type ReportFilter, useSalesRows, useTerritories, useUsersForPicker } from '../../api/forecast';
import { useMe, useSettings } from '../../api/session';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, todayIn } from '../../lib/dates';
import { formatDecimal, formatMoney } from '../../lib/money';
import { can } from '../../lib/roles';
import { setSearch, useLocation } from '../../lib/router';

const pct = (rate: string | null) => (rate === null ? '—' : `${(Number(rate) * 100).toFixed(1)} %`);

/** Sales metrics per rep and per territory over a period (GET /reports/sales once per row). */
export function SalesReportPage() {
  const me = useMe();
  const settings = useSettings();
  const { search } = useLocation();
  const today = todayIn(settings.data?.time_zone);
  const to = search.get('to') || today;
  const from = search.get('from') || `${to.slice(0, 4)}-01-01`;
  const territories = useTerritories();
  const users = useUsersForPicker(can(me.role, 'admin'));
  const reps = (users.data?.data ?? []).filter((u) => u.role === 'sales');
  const rows: { label: string; kind: string; filter: ReportFilter }[] = [
    { label: 'Whole organization', kind: 'Organization', filter: {} },
    ...reps.map((u) => ({ label: u.name || u.email, kind: 'Rep', filter: { owner: u.id } })),
    ...(territories.data?.data ?? []).map((t) => ({ label: t.name, kind: 'Territory', filter: { territory: t.id } })),
  ];
  const results = useSalesRows(
    from,
    to,
    rows.map((r) => r.filter),
  );

  return (
    <Stack>
      <PageHeader
        title="Sales"
        subtitle="Lead conversion, win rates, deal size and cycle per rep and territory."
        actions={<ExportCsvButton path="/reports/sales" fileName="sales" query={{ from, to }} />}
      />
      <Group align="flex-end">
        <TextInput type="date" label="From" value={from} onChange={(e) => setSearch({ from: e.currentTarget.value })} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setSearch({ to: e.currentTarget.value })} />
      </Group>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          {formatDate(from)} – {formatDate(to)}
        </Title>
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" striped data-testid="sales-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rep or territory</Table.Th>
                <Table.Th>Currency</Table.Th>
                <Table.Th ta="right">Leads</Table.Th>
                <Table.Th ta="right">Converted</Table.Th>
                <Table.Th ta="right">Won</Table.Th>
                <Table.Th ta="right">Won amount</Table.Th>
                <Table.Th ta="right">Win rate</Table.Th>
                <Table.Th ta="right">By amount</Table.Th>
                <Table.Th ta="right">Average deal</Table.Th>
                <Table.Th ta="right">Cycle (days)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.flatMap((row, i) => {
                const blocks = results[i]?.data?.currencies ?? [];
                if (blocks.length === 0)
                  return [
                    <Table.Tr key={`${row.kind}-${row.label}`}>
                      <Table.Td>
                        <Text size="sm">{row.label}</Text>
                        <Text size="xs" c="dimmed">
                          {row.kind}
                        </Text>
                      </Table.Td>
                      <Table.Td colSpan={9}>
                        <Text size="sm" c="dimmed">
                          {results[i]?.isLoading ? 'Loading…' : 'No activity in the period'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>,
                  ];
                return blocks.map((c) => (
                  <Table.Tr key={`${row.kind}-${row.label}-${c.currency}`}>
                    <Table.Td>
                      <Text size="sm">{row.label}</Text>
                      <Text size="xs" c="dimmed">
                        {row.kind}
                      </Text>
                    </Table.Td>
                    <Table.Td>{c.currency}</Table.Td>
                    <Table.Td ta="right">{c.leads_created}</Table.Td>
                    <Table.Td ta="right">
                      {c.leads_converted} ({pct(c.lead_conversion_rate)})
                    </Table.Td>
                    <Table.Td ta="right">
                      {c.won_count} / {c.won_count + c.lost_count}
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(c.won_amount, c.currency)}</Table.Td>
                    <Table.Td ta="right">{pct(c.win_rate)}</Table.Td>
                    <Table.Td ta="right">{pct(c.win_rate_by_amount)}</Table.Td>
                    <Table.Td ta="right">
                      {c.average_deal_size === null ? '—' : formatMoney(c.average_deal_size, c.currency)}
                    </Table.Td>
                    <Table.Td ta="right">
                      {c.average_cycle_days === null ? '—' : formatDecimal(c.average_cycle_days, 1)}
                    </Table.Td>
                  </Table.Tr>
                ));
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}
