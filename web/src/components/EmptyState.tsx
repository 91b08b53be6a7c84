import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** Says what is missing and what to do about it. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md" data-testid="empty-state">
      <Stack align="center" gap="xs" ta="center">
        <Title order={4}>{title}</Title>
        {children ? (
          <Text c="dimmed" size="sm" maw={520}>
            {children}
          </Text>
        ) : null}
        {action}
      </Stack>
    </Paper>
  );
}

/** The server does not have this route (an older or partial installation). */
export function Unavailable({ feature }: { feature: string }) {
  return (
    <EmptyState title={`${feature} is not available on this server`}>
      This Arbor server does not offer {feature.toLowerCase()} yet. Update the server to use it; everything else keeps
      working.
    </EmptyState>
  );
}
