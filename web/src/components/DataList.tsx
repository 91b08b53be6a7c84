import { Button, Center, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useIsMobile } from '../lib/use-mobile';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  align?: 'left' | 'right';
  /** Where the column goes on a phone card: the title line, the amount (top right), a small meta line, or nowhere. */
  card?: 'title' | 'amount' | 'meta' | 'hidden';
  /** What the column shows on a card, when it needs a label there ("Due 3 May"). */
  cardRender?: (row: T) => ReactNode;
}

/** A table on wide screens, a stack of cards at phone width; rows open on click. */
export function DataList<T>({
  rows,
  columns,
  rowKey,
  onOpen,
  footer,
  hasMore,
  onMore,
  loadingMore,
  testId,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  footer?: ReactNode;
  hasMore?: boolean;
  onMore?: () => void;
  loadingMore?: boolean;
  testId?: string;
}) {
  const mobile = useIsMobile();
  const more =
    hasMore && onMore ? (
      <Center mt="sm">
        <Button variant="default" onClick={onMore} loading={loadingMore}>
          Load more
        </Button>
      </Center>
    ) : null;

  if (mobile) {
    const title = columns.filter((c) => c.card === 'title');
    const amount = columns.filter((c) => c.card === 'amount');
    const meta = columns.filter((c) => c.card === 'meta' || c.card === undefined);
    return (
      <Stack gap="xs" data-testid={testId}>
        {rows.map((row) => (
          <Paper
            key={rowKey(row)}
            withBorder
            p="sm"
            radius="md"
            className={onOpen ? 'clickable-row' : undefined}
            onClick={onOpen ? () => onOpen(row) : undefined}
            data-testid="list-card"
          >
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Stack gap={2} style={{ minWidth: 0 }}>
                {title.map((c) => (
                  <Text key={c.key} fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {c.render(row)}
                  </Text>
                ))}
              </Stack>
              <Stack gap={2} align="flex-end">
                {amount.map((c) => (
                  <Text key={c.key} fw={600} size="sm" className="amount">
                    {(c.cardRender ?? c.render)(row)}
                  </Text>
                ))}
              </Stack>
            </Group>
            <Group gap="xs" mt={4} wrap="wrap">
              {meta.map((c) => (
                <Text key={c.key} component="div" size="xs" c="dimmed">
                  {(c.cardRender ?? c.render)(row)}
                </Text>
              ))}
            </Group>
          </Paper>
        ))}
        {footer ? <Paper p="sm">{footer}</Paper> : null}
        {more}
      </Stack>
    );
  }

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table highlightOnHover={!!onOpen} verticalSpacing="xs" data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} ta={c.align}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr
                key={rowKey(row)}
                className={onOpen ? 'clickable-row' : undefined}
                onClick={onOpen ? () => onOpen(row) : undefined}
              >
                {columns.map((c) => (
                  <Table.Td key={c.key} ta={c.align} className={c.align === 'right' ? 'amount' : undefined}>
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
          {footer ? (
            <Table.Tfoot>
              <Table.Tr>
                <Table.Td colSpan={columns.length}>{footer}</Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          ) : null}
        </Table>
      </Table.ScrollContainer>
      {more}
    </>
  );
}
