import { Paper, SegmentedControl, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { SummaryReport } from '../../api/types';
import { MonthlyChart } from '../../components/charts/LazyCharts';
import { ErrorAlert } from '../../components/QueryState';

/** Invoiced against collected per month (one summary report per month). */
export function MonthlyPanel({
  months,
  summaries,
  baseCurrency,
}: {
  months: readonly { from: string; to: string }[];
  summaries: UseQueryResult<SummaryReport[]>;
  baseCurrency: string;
}) {
  const currencies = [...new Set((summaries.data ?? []).flatMap((s) => s.currencies.map((c) => c.currency)))];
  const [picked, setPicked] = useState<string | null>(null);
  const currency = picked ?? (currencies.includes(baseCurrency) ? baseCurrency : (currencies[0] ?? baseCurrency));
  const data = months.map((m, i) => {
    const c = summaries.data?.[i]?.currencies.find((x) => x.currency === currency);
    return { month: m.from, invoiced: c?.invoiced ?? '0', collected: c?.collected ?? '0' };
  });

  return (
    <Paper withBorder p="md" h="100%">
      <Title order={5} mb="sm">
        Invoiced and collected by month
      </Title>
      {currencies.length > 1 ? (
        <SegmentedControl size="xs" mb="xs" data={currencies} value={currency} onChange={setPicked} />
      ) : null}
      {summaries.isError ? (
        <ErrorAlert error={summaries.error} feature="Monthly figures" />
      ) : summaries.isPending ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : (
        <MonthlyChart months={data} currency={currency} height={220} />
      )}
    </Paper>
  );
}
