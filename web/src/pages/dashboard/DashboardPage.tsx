import { Grid, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useAging, useMonthlySummaries } from '../../api/reports';
import { useSettings } from '../../api/session';
import { AgingChart } from '../../components/charts/LazyCharts';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatCard } from '../../components/StatCard';
import { addMonths, monthEnd, monthStart, todayIn } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { GettingStarted } from './GettingStarted';
import { MonthlyPanel } from './MonthlyPanel';
import { RecentActivity } from './RecentActivity';
import { TopOverdue } from './TopOverdue';

const SPAN_KEY = 'arbor.dashboard-months';

/** How many months the chart shows (3, 6 or 12; each month is one summary report), remembered in this browser. */
function useMonthSpan(): [number, (n: number) => void] {
  const [span, setSpan] = useState(() => {
    try {
      const n = Number(localStorage.getItem(SPAN_KEY));
      return [3, 6, 12].includes(n) ? n : 3;
    } catch {
      return 3;
    }
  });
  const choose = (n: number) => {
    setSpan(n);
    try {
      localStorage.setItem(SPAN_KEY, String(n));
    } catch {
      // not remembered then
    }
  };
  return [span, choose];
}

/** The last `count` calendar months up to today, the current one cut at today. */
function lastMonths(today: string, count: number): { from: string; to: string }[] {
  const first = addMonths(monthStart(today), -(count - 1));
  return Array.from({ length: count }, (_, i) => {
    const from = addMonths(first, i);
    const end = monthEnd(from);
    return { from, to: end > today ? today : end };
  });
}

/** Receivables at a glance: what is owed and late, its age, money in against money billed, who is late, what happened. */
export function DashboardPage() {
  const settings = useSettings();
  const today = todayIn(settings.data?.time_zone);
  const [span, setSpan] = useMonthSpan();
  const months = lastMonths(today, span);
  // One summary per month feeds the chart; the last one (this month so far) also gives today's figures.
  const summaries = useMonthlySummaries(months);
  const aging = useAging();
  const currencies = summaries.data?.at(-1)?.currencies ?? [];

  return (
    <Stack>
      <PageHeader title="Dashboard" subtitle={settings.data?.legal_name} />
      <GettingStarted />
      {summaries.isError ? <ErrorAlert error={summaries.error} feature="Receivables figures" /> : null}
      {currencies.map((c) => (
        <SimpleGrid key={c.currency} cols={{ base: 2, md: 4 }} data-testid={`dashboard-${c.currency}`}>
          <StatCard
            label="Outstanding"
            value={formatMoney(c.outstanding, c.currency)}
            hint={`${c.currency} receivables today`}
          />
          <StatCard
            label="Overdue"
            value={formatMoney(c.overdue, c.currency)}
            color={/^0(\.0+)?$/.test(c.overdue) ? undefined : 'red.7'}
            hint="Past the due date"
          />
          <StatCard label="Invoiced this month" value={formatMoney(c.invoiced, c.currency)} />
          <StatCard label="Collected this month" value={formatMoney(c.collected, c.currency)} />
        </SimpleGrid>
      ))}
      <PaidOnline from={months.at(-1)?.from ?? today} to={today} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="md" h="100%">
            <Title order={5} mb="sm">
              Aging
            </Title>
            {aging.isError ? (
              <ErrorAlert error={aging.error} feature="The aging report" />
            ) : aging.data && aging.data.currencies.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing is owed right now. Posted invoices with an amount due show here by how late they are.
              </Text>
            ) : (
              aging.data?.currencies.map((c) => (
                <div key={c.currency}>
                  <Text size="sm" fw={600}>
                    {c.currency} · {formatMoney(c.total, c.currency)} open
                  </Text>
                  <AgingChart buckets={c.buckets} currency={c.currency} height={200} />
                </div>
              ))
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <MonthlyPanel
            months={months}
            summaries={summaries}
            baseCurrency={settings.data?.base_currency ?? 'EUR'}
            span={span}
            onSpan={setSpan}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TopOverdue aging={aging} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <RecentActivity />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** This month's online payments (Stripe), shown only once there are any. */
function PaidOnline({ from, to }: { from: string; to: string }) {
  const online = useQuery({
    queryKey: ['online_payments', 'summary', from, to],
    queryFn: () => call(api.GET('/api/v1/online_payments/summary', { params: { query: { from, to } } })),
  });
  const currencies = online.data?.currencies ?? [];
  if (currencies.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="dashboard-online">
      {currencies.map((c) => (
        <StatCard
          key={c.currency}
          label="Paid online this month"
          value={formatMoney(c.amount, c.currency)}
          hint={`${c.count} payment${c.count === 1 ? '' : 's'} through Stripe${/^0(\.0+)?$/.test(c.refunded) ? '' : `, ${formatMoney(c.refunded, c.currency)} refunded`}`}
        />
      ))}
    </SimpleGrid>
  );
}
