import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import type { IntegrityCheck } from '../../api/types';
import { ErrorAlert } from '../../components/QueryState';

/** Runs the same invariant checks as `arbor check`: balanced journal, receivables = open amounts = aging. */
export function IntegritySettings() {
  const [result, setResult] = useState<IntegrityCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call(api.GET('/api/v1/admin/check')));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Checks that every journal entry balances and that the receivables account equals the open amounts and the aging
        total. It reads everything once, which can take a moment on a large database.
      </Text>
      <Group>
        <Button onClick={run} loading={busy}>
          Run the check
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} feature="The integrity check" /> : null}
      {result ? (
        result.ok ? (
          <Alert color="green" title="All invariants hold">
            The books are consistent.
          </Alert>
        ) : (
          <Alert color="red" title={`${result.violations.length} problem(s) found`}>
            <List size="sm">
              {result.violations.map((v) => (
                <List.Item key={`${v.check}:${v.message}`}>
                  <b>{v.check}</b>: {v.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )
      ) : null}
    </Stack>
  );
}
