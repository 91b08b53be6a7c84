import { Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForecast } from '../../api/forecast';
import { useSettings } from '../../api/session';
import { ForecastChart } from '../../components/charts/LazyCharts';
import { EmptyState } from '../../components/EmptyState';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatMonth, todayIn } from '../../lib/dates';
import { formatMoney, sumAmounts } from '../../lib/money';
import { setSearch, useLocation } from '../../lib/router';
import { ReportFilterInputs, useReportFilter } from './ReportFilters';

type Month = {
  month: string;
  quota: string;
  closed_won: string;
  commit: string;
  best_case: string;
  pipeline: string;
  weighted_pipeline: string;
  invoiced: string;
  recurring_scheduled: string;
  expected_cash: string;
};

const ROWS: { label: string; value: (m: Month, currency: string) => string; strong?: boolean }[] = [
  { label: 'Quota', value: (m) => m.quota, strong: true },
  { label: 'Closed won', value: (m) => m.closed_won },
  { label: 'Commit forecast', value: (m, c) => sumAmounts([m.closed_won, m.commit], c), strong: true },
  { label: 'Best case forecast', value: (m, c) => sumAmounts([m.closed_won, m.commit, m.best_case], c) },
  { label: 'Pipeline', value: (m) => m.pipeline },
  { label: 'Weighted pipeline', value: (m) => m.weighted_pipeline },
  { label: 'Invoiced (net)', value: (m) => m.invoiced },
  { label: 'Recurring scheduled', value: (m) => m.recurring_scheduled },
  { label: 'Expected cash', value: (m) => m.expected_cash, strong: true },
];

function attainment(m: Month): string {
  const quota = Number(m.quota);
  return quota > 0 ? `${((Number(m.closed_won) / quota) * 100).toFixed(1)} %` : '—';
}

/** The manager's forecast: months as columns, the cumulative commit and best-case view against quota. */
export function ForecastPage() {
  const settings = useSettings();
  const { search } = useLocation();
  const today = todayIn(settings.data?.time_zone);
  const from = search.get('from') || today.slice(0, 7);
  const months = Number(search.get('months') || 6);
  const filter = useReportFilter();
  const forecast = useForecast(from, months, filter);

  return (
    <Stack>
      <PageHeader
        title="Forecast"
        subtitle="Quota, deals by forecast category, billing and expected cash per month."
        actions={
          <ExportCsvButton
            path="/reports/forecast"
            fileName="forecast"
            query={{ from, months: String(months), ...filter }}
          />
        }
      />
      <Group align="flex-end" wrap="wrap">
        <TextInput
          type="month"
          label="From"
          value={from}
          onChange={(e) => setSearch({ from: e.currentTarget.value })}
        />
        <NumberInput
          label="Months"
          min={1}
          max={24}
          w={100}
          value={months}
          onChange={(v) => setSearch({ months: String(v || 6) })}
        />
        <ReportFilterInputs />
      </Group>
      <QueryState query={forecast} feature="The forecast">
        {(report) =>
          report.currencies.length === 0 ? (
            <EmptyState title="Nothing to forecast yet">
              Quotas, opportunities, invoices and subscriptions appear here per month and currency.
            </EmptyState>
          ) : (
            report.currencies.map((c) => (
              <Paper key={c.currency} withBorder p="md" data-testid={`forecast-${c.currency}`}>
                <Title order={4} mb="sm">
                  {c.currency}
                </Title>
                <ForecastChart months={c.months} currency={c.currency} />
                <Table.ScrollContainer minWidth={160 + c.months.length * 110} mt="sm">
                  <Table verticalSpacing="xs" striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th />
                        {c.months.map((m) => (
                          <Table.Th key={m.month} ta="right">
                            {formatMonth(m.month)}
                          </Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {ROWS.map((row) => (
                        <Table.Tr key={row.label}>
                          <Table.Td>
                            <Text size="sm" fw={row.strong ? 600 : 400}>
                              {row.label}
                            </Text>
                          </Table.Td>
                          {c.months.map((m) => (
                            <Table.Td key={m.month} ta="right" style={{ whiteSpace: 'nowrap' }}>
                              {formatMoney(row.value(m, c.currency), c.currency)}
                            </Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                      <Table.Tr>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            Attainment
                          </Text>
                        </Table.Td>
                        {c.months.map((m) => (
                          <Table.Td key={m.month} ta="right">
                            {attainment(m)}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Paper>
            ))
          )
        }
      </QueryState>
    </Stack>
  );
}
