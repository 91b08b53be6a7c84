import { Badge, Button, Group, Kbd, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { navigate } from '../lib/router';

const KIND: Record<string, string> = {
  customer: 'Customer',
  invoice: 'Invoice',
  credit_note: 'Credit note',
  quote: 'Quote',
  payment: 'Payment',
  lead: 'Lead',
  opportunity: 'Deal',
};

/** Where a hit opens; kinds without a page of their own open their list. */
export function hitPath(type: string, id: string): string {
  switch (type) {
    case 'customer':
      return `/customers/${id}`;
    case 'invoice':
      return `/invoices/${id}`;
    case 'quote':
      return `/quotes/${id}`;
    case 'payment':
      return `/payments/${id}`;
    case 'credit_note':
      return '/credit-notes';
    default:
      return `/${type}s/${id}`;
  }
}

/** Search everything from anywhere: Ctrl/Cmd-K or the header button. */
export function GlobalSearch() {
  const [opened, { open, close }] = useDisclosure(false);
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 200);
  const [active, setActive] = useState(0);
  useHotkeys([['mod+K', () => open()]]);
  const hits = useQuery({
    queryKey: ['search', q],
    queryFn: async () => (await call(api.GET('/api/v1/search', { params: { query: { q } } }))).data,
    enabled: opened && q.length > 0,
  });
  const rows = q ? (hits.data ?? []) : [];
  const go = (i: number) => {
    const hit = rows[i];
    if (!hit) return;
    close();
    setText('');
    navigate(hitPath(hit.type, hit.id));
  };
  return (
    <>
      <Button variant="default" size="compact-sm" onClick={open} data-testid="global-search" visibleFrom="xs">
        <Group gap={6} wrap="nowrap">
          <Text size="sm">Search</Text>
          <Kbd size="xs">Ctrl K</Kbd>
        </Group>
      </Button>
      <Button variant="default" size="compact-sm" onClick={open} hiddenFrom="xs" aria-label="Search">
        Search
      </Button>
      <Modal opened={opened} onClose={close} title="Search" size="lg">
        <TextInput
          data-autofocus
          placeholder="Customer, invoice or quote number, payment reference or amount"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, rows.length - 1));
            if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            if (e.key === 'Enter') go(active);
          }}
          data-testid="global-search-input"
        />
        <Stack gap={2} mt="sm" data-testid="global-search-results">
          {q && hits.isSuccess && rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing found for “{q}”.
            </Text>
          ) : null}
          {rows.map((hit, i) => (
            <UnstyledButton
              key={`${hit.type}:${hit.id}`}
              onClick={() => go(i)}
              onMouseEnter={() => setActive(i)}
              p={6}
              style={{ borderRadius: 4, background: i === active ? 'var(--mantine-color-gray-1)' : undefined }}
            >
              <Group gap="xs" wrap="nowrap">
                <Badge variant="light" size="sm" w={96}>
                  {KIND[hit.type] ?? hit.type}
                </Badge>
                <Text size="sm" truncate>
                  {hit.label}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      </Modal>
    </>
  );
}
