import { Group, Paper, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useSummary } from '../../api/reports';
import { useSettings } from '../../api/session';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { StatCard } from '../../components/StatCard';
import { formatDate, monthStart, todayIn } from '../../lib/dates';
import { formatDecimal, formatMoney } from '../../lib/money';
import { setSearch, useLocation } from '../../lib/router';

/** The period's invoicing and collection figures per currency. */
export function SummaryReportPage() {
  const settings = useSettings();
  const { search } = useLocation();
  const today = todayIn(settings.data?.time_zone);
  const to = search.get('to') || today;
  const from = search.get('from') || monthStart(to);
  const summary = useSummary(from, to);

  return (
    <Stack>
      <PageHeader title="Summary" subtitle="Invoiced, collected and outstanding over a period." />
      <Group align="flex-end">
        <TextInput type="date" label="From" value={from} onChange={(e) => setSearch({ from: e.currentTarget.value })} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setSearch({ to: e.currentTarget.value })} />
      </Group>
      <QueryState query={summary} feature="The summary report">
        {(report) =>
          report.currencies.length === 0 ? (
            <EmptyState title="Nothing in this period">
              Post invoices and record payments; their figures appear here per currency.
            </EmptyState>
          ) : (
            report.currencies.map((c) => (
              <Paper key={c.currency} withBorder p="md">
                <Title order={4} mb="sm">
                  {c.currency} · {formatDate(report.from)} – {formatDate(report.to)}
                </Title>
                <SimpleGrid cols={{ base: 2, sm: 4 }}>
                  <StatCard label="Invoiced" value={formatMoney(c.invoiced, c.currency)} />
                  <StatCard label="Collected" value={formatMoney(c.collected, c.currency)} />
                  <StatCard label="Credited" value={formatMoney(c.credited, c.currency)} />
                  <StatCard label="Written off" value={formatMoney(c.written_off, c.currency)} />
                  <StatCard
                    label="Outstanding"
                    value={formatMoney(c.outstanding, c.currency)}
                    hint={`on ${formatDate(report.to)}`}
                  />
                  <StatCard label="Overdue" value={formatMoney(c.overdue, c.currency)} color="red.7" />
                  <StatCard
                    label="Average days to pay"
                    value={c.average_days_to_pay === null ? '—' : formatDecimal(c.average_days_to_pay, 1)}
                    hint="Weighted by amount, invoices paid in the period"
                  />
                  <StatCard
                    label="DSO"
                    value={c.dso === null ? '—' : formatDecimal(c.dso, 1)}
                    hint="Days sales outstanding"
                  />
                </SimpleGrid>
              </Paper>
            ))
          )
        }
      </QueryState>
    </Stack>
  );
}
