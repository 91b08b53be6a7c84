import { Group, Paper, SegmentedControl, Text, Title } from '@mantine/core';
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
  span,
  onSpan,
}: {
  months: readonly { from: string; to: string }[];
  summaries: UseQueryResult<SummaryReport[]>;
  baseCurrency: string;
  span: number;
  onSpan: (n: number) => void;
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
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={5}>Invoiced and collected by month</Title>
        <SegmentedControl
          size="xs"
          value={String(span)}
          onChange={(v) => onSpan(Number(v))}
          data={[
            { value: '3', label: '3 months' },
            { value: '6', label: '6' },
            { value: '12', label: '12' },
          ]}
          aria-label="Months shown"
        />
      </Group>
      {currencies.length > 1 ? (
        <SegmentedControl size="xs" mb="xs" data={currencies} value={currency} onChange={setPicked} />
      ) : null}
      {summaries.isError ? (
        <ErrorAlert error={summaries.error} feature="Monthly figures" />
      ) : summaries.isPending || summaries.data?.length !== months.length ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : (
        <MonthlyChart months={data} currency={currency} height={220} />
      )}
    </Paper>
  );
}
