import { Paper, Stack, Table, Text } from '@mantine/core';
import type { Invoice } from '../api/types';
import { formatDecimal, formatPercent, formatPrice } from '../lib/money';
import { useIsMobile } from '../lib/use-mobile';
import { Money } from './Money';

/** A posted invoice's lines, read-only. */
export function LinesTable({ invoice }: { invoice: Invoice }) {
  const mobile = useIsMobile();
  const c = invoice.currency;
  if (mobile)
    return (
      <Stack gap="xs">
        {invoice.lines.map((l) => (
          <Paper key={l.id} withBorder p="xs">
            <Text size="sm" fw={600}>
              {l.description}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDecimal(l.quantity)} × {formatPrice(l.unit_price, c)}
              {l.discount_percent ? ` − ${formatPercent(l.discount_percent)}` : ''} · tax{' '}
              {formatPercent(l.tax_percentage)}
            </Text>
            <Text size="sm" ta="right" className="amount">
              <Money amount={l.amount} currency={c} />
            </Text>
          </Paper>
        ))}
      </Stack>
    );
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Description</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th ta="right">Unit price</Table.Th>
            <Table.Th ta="right">Discount</Table.Th>
            <Table.Th ta="right">Tax</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td ta="right" className="amount">
                {formatDecimal(l.quantity)} {l.unit === 'C62' ? '' : l.unit}
              </Table.Td>
              <Table.Td ta="right" className="amount">
                {formatPrice(l.unit_price, c)}
              </Table.Td>
              <Table.Td ta="right">{l.discount_percent ? formatPercent(l.discount_percent) : '—'}</Table.Td>
              <Table.Td ta="right">
                {l.tax_category} {formatPercent(l.tax_percentage)}
              </Table.Td>
              <Table.Td ta="right" className="amount">
                <Money amount={l.amount} currency={c} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
