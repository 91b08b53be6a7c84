import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useInvoiceList } from '../../api/invoices';
import { useAging } from '../../api/reports';
import { useSettings } from '../../api/session';
import type { AgingReport } from '../../api/types';
import { AgingChart } from '../../components/charts/LazyCharts';
import { EmptyState } from '../../components/EmptyState';
import { InvoiceTable } from '../../components/InvoiceTable';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { StatCard } from '../../components/StatCard';
import { BUCKET_LABELS, BUCKETS } from '../../lib/aging';
import { downloadText, toCsv } from '../../lib/csv';
import { formatDate, todayIn } from '../../lib/dates';
import { formatMoney, isZero } from '../../lib/money';
import { setSearch, useLocation } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';

function exportCsv(report: AgingReport) {
  const rows: (string | null)[][] = [['as_of', 'currency', 'customer_id', 'customer', ...BUCKETS, 'total']];
  for (const c of report.currencies) {
    for (const row of c.customers)
      rows.push([report.as_of, c.currency, row.customer, row.name, ...BUCKETS.map((b) => row.buckets[b]), row.total]);
    rows.push([report.as_of, c.currency, '', 'Total', ...BUCKETS.map((b) => c.buckets[b]), c.total]);
  }
  downloadText(`aging-${report.as_of}.csv`, toCsv(rows));
}

/** Receivables aging as of any date; a customer row opens its invoices. */
export function AgingReportPage() {
  const settings = useSettings();
  const { search } = useLocation();
  const asOf = search.get('as_of') ?? '';
  const aging = useAging(asOf || undefined);
  const [open, setOpen] = useState<string | null>(null);
  const mobile = useIsMobile();

  return (
    <Stack>
      <PageHeader
        title="Aging report"
        subtitle="What customers owe, by how long it is past due."
        actions={
          aging.data ? (
            <Button variant="default" onClick={() => exportCsv(aging.data)} data-testid="export-csv">
              Export CSV
            </Button>
          ) : null
        }
      />
      <Group align="flex-end">
        <TextInput
          type="date"
          label="As of"
          value={asOf || todayIn(settings.data?.time_zone)}
          onChange={(e) => setSearch({ as_of: e.currentTarget.value })}
          data-testid="aging-as-of"
        />
        {asOf ? (
          <Button variant="subtle" onClick={() => setSearch({ as_of: null })}>
            Today
          </Button>
        ) : null}
      </Group>
      <QueryState query={aging} feature="The aging report">
        {(report) =>
          report.currencies.length === 0 ? (
            <EmptyState title={`Nothing open on ${formatDate(report.as_of)}`}>
              Posted invoices with an amount due appear here, grouped by days past due.
            </EmptyState>
          ) : (
            <Stack>
              {report.currencies.map((c) => (
                <Paper key={c.currency} withBorder p="md" data-testid={`aging-${c.currency}`}>
                  <Group justify="space-between" mb="sm">
                    <Title order={4}>{c.currency}</Title>
                    <Text fw={700} className="amount" data-testid="aging-total">
                      Total {formatMoney(c.total, c.currency)}
                    </Text>
                  </Group>
                  {!mobile ? (
                    <SimpleGrid cols={5} mb="sm">
                      {BUCKETS.map((b) => (
                        <StatCard key={b} label={BUCKET_LABELS[b]} value={formatMoney(c.buckets[b], c.currency)} />
                      ))}
                    </SimpleGrid>
                  ) : null}
                  <AgingChart buckets={c.buckets} currency={c.currency} />
                  {mobile ? (
                    <Stack gap="xs" mt="sm">
                      {c.customers.map((row) => {
                        const key = `${c.currency}:${row.customer}`;
                        const late = BUCKETS.filter((b) => b !== 'current' && !isZero(row.buckets[b]));
                        return (
                          <Paper
                            key={key}
                            withBorder
                            p="sm"
                            className="clickable-row"
                            data-testid="list-card"
                            onClick={() => setOpen(open === key ? null : key)}
                            aria-expanded={open === key}
                          >
                            <Group justify="space-between" wrap="nowrap">
                              <Text size="sm" fw={600}>
                                {open === key ? '▾' : '▸'} {row.name}
                              </Text>
                              <Money amount={row.total} currency={c.currency} fw={600} size="sm" />
                            </Group>
                            <Text size="xs" c={late.length ? 'red' : 'dimmed'}>
                              {late.length
                                ? late
                                    .map((b) => `${BUCKET_LABELS[b]}: ${formatMoney(row.buckets[b], c.currency)}`)
                                    .join(' · ')
                                : 'Nothing past due'}
                            </Text>
                            {open === key ? (
                              // biome-ignore lint/a11y/noStaticElementInteractions: stops the card's toggle when using the drill-down
                              <div onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                                <CustomerDrillDown customer={row.customer} asOf={report.as_of} />
                              </div>
                            ) : null}
                          </Paper>
                        );
                      })}
                    </Stack>
                  ) : (
                    <Table.ScrollContainer minWidth={720} mt="sm">
                      <Table highlightOnHover verticalSpacing="xs">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>Customer</Table.Th>
                            {BUCKETS.map((b) => (
                              <Table.Th key={b} ta="right">
                                {BUCKET_LABELS[b]}
                              </Table.Th>
                            ))}
                            <Table.Th ta="right">Total</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {c.customers.map((row) => {
                            const key = `${c.currency}:${row.customer}`;
                            return (
                              <Fragment key={key}>
                                <Table.Tr
                                  className="clickable-row"
                                  onClick={() => setOpen(open === key ? null : key)}
                                  aria-expanded={open === key}
                                >
                                  <Table.Td>
                                    <Text size="sm" fw={500}>
                                      {open === key ? '▾' : '▸'} {row.name}
                                    </Text>
                                  </Table.Td>
                                  {BUCKETS.map((b) => (
                                    <Table.Td key={b} ta="right">
                                      <Money amount={row.buckets[b]} currency={c.currency} size="sm" />
                                    </Table.Td>
                                  ))}
                                  <Table.Td ta="right">
                                    <Money amount={row.total} currency={c.currency} size="sm" fw={600} />
                                  </Table.Td>
                                </Table.Tr>
                                {open === key ? (
                                  <Table.Tr>
                                    <Table.Td colSpan={BUCKETS.length + 2}>
                                      <CustomerDrillDown customer={row.customer} asOf={report.as_of} />
                                    </Table.Td>
                                  </Table.Tr>
                                ) : null}
                              </Fragment>
                            );
                          })}
                        </Table.Tbody>
                        <Table.Tfoot>
                          <Table.Tr>
                            <Table.Th>Total</Table.Th>
                            {BUCKETS.map((b) => (
                              <Table.Th key={b} ta="right">
                                <Money amount={c.buckets[b]} currency={c.currency} size="sm" />
                              </Table.Th>
                            ))}
                            <Table.Th ta="right">
                              <Money amount={c.total} currency={c.currency} size="sm" />
                            </Table.Th>
                          </Table.Tr>
                        </Table.Tfoot>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                </Paper>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

function CustomerDrillDown({ customer, asOf }: { customer: string; asOf: string }) {
  const { query, rows } = useInvoiceList({ customer, status: 'posted', as_of: asOf, 'issue_date[lte]': asOf });
  return (
    <Stack gap="xs" py="xs">
      <QueryState query={query}>
        {() =>
          rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              No invoice of this customer is open today; its amounts on {formatDate(asOf)} were settled since.
            </Text>
          ) : (
            <InvoiceTable
              invoices={rows}
              showCustomer={false}
              hasMore={query.hasNextPage}
              onMore={() => query.fetchNextPage()}
            />
          )
        }
      </QueryState>
      <Link to={`/customers/${customer}`} size="sm">
        Open the customer
      </Link>
    </Stack>
  );
}
