import {
  Alert,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api, call, ensureCsrfToken } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { useIsMobile } from '../../lib/use-mobile';

// Every text of the page in one place.
const T = {
  title: 'Bank',
  subtitle: 'Bank accounts, statement import and matching bank lines to invoices.',
  tabs: { reconcile: 'Reconcile', import: 'Import statement', accounts: 'Bank accounts' },
  accounts: {
    name: 'Name',
    iban: 'IBAN',
    currency: 'Currency',
    ledger: 'Ledger account',
    add: 'Add bank account',
    none: 'No bank accounts yet. Add one to import statements.',
    columns: ['Name', 'IBAN', 'Currency', 'Ledger account', 'Active'],
  },
  import: {
    account: 'Bank account',
    format: 'Format',
    mapping: 'CSV mapping',
    file: 'Statement file (drop or choose)',
    run: 'Import',
    result: (i: number, d: number, p: number) =>
      `${i} lines imported, ${d} duplicates skipped, ${p} pending entries skipped.`,
    matched: (m: number, s: number) => `${m} matched automatically, ${s} with suggestions.`,
    balance: { ok: 'Balance check: ok', mismatch: 'Balance check: mismatch', not_given: 'Balance check: not given' },
  },
  reconcile: {
    keys: 'Keys: a = accept, j / k = next / previous, s = skip',
    accept: 'Accept',
    ignore: 'Ignore',
    unmatch: 'Unmatch',
    matchByHand: 'Match by hand',
    none: 'No bank lines to work on.',
    noSuggestion: 'No suggestion',
    search: 'Find invoices (number)',
    remainder: (r: string) => `Remaining of the line: ${r}`,
    confirm: 'Match',
    statement: 'Statement balance',
    ledger: 'Ledger balance',
    difference: 'Difference',
  },
};

const FORMATS = [
  { value: 'camt053', label: 'CAMT.053 (XML)' },
  { value: 'mt940', label: 'MT940' },
  { value: 'ofx', label: 'OFX' },
  { value: 'csv', label: 'CSV (saved mapping)' },
];
const CONTENT_TYPES: Record<string, string> = {
  camt053: 'application/xml',
  mt940: 'text/plain',
  ofx: 'application/x-ofx',
  csv: 'text/csv',
};

async function postJson(path: string, body: unknown) {
  const token = await ensureCsrfToken();
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
    body: JSON.stringify(body),
  });
  const out = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = out?.error ?? {};
    throw new ApiError(res.status, e.type ?? 'internal', e.code ?? 'failed', e.message ?? 'Failed.', e.param ?? null);
  }
  return out;
}

export function BankPage() {
  const accounts = useQuery({ queryKey: ['bank_accounts'], queryFn: () => call(api.GET('/api/v1/bank_accounts')) });
  const list = accounts.data?.data ?? [];
  const [account, setAccount] = useState<string | null>(null);
  const current = account ?? list[0]?.id ?? null;
  return (
    <Stack>
      <PageHeader title={T.title} subtitle={T.subtitle} />
      {accounts.error && <ErrorAlert error={accounts.error} />}
      {list.length > 0 && (
        <Select
          label={T.import.account}
          data={list.map((a) => ({ value: a.id, label: `${a.name} (${a.currency})` }))}
          value={current}
          onChange={setAccount}
          maw={360}
        />
      )}
      <Tabs defaultValue="reconcile" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="reconcile">{T.tabs.reconcile}</Tabs.Tab>
          <Tabs.Tab value="import">{T.tabs.import}</Tabs.Tab>
          <Tabs.Tab value="accounts">{T.tabs.accounts}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="reconcile" pt="md">
          {current ? <Reconcile account={current} /> : <Text>{T.accounts.none}</Text>}
        </Tabs.Panel>
        <Tabs.Panel value="import" pt="md">
          {current ? <ImportStatement account={current} /> : <Text>{T.accounts.none}</Text>}
        </Tabs.Panel>
        <Tabs.Panel value="accounts" pt="md">
          <BankAccounts />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function BankAccounts() {
  const qc = useQueryClient();
  const accounts = useQuery({ queryKey: ['bank_accounts'], queryFn: () => call(api.GET('/api/v1/bank_accounts')) });
  const [name, setName] = useState('');
  const [iban, setIban] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [ledger, setLedger] = useState('');
  const create = useMutation({
    mutationFn: () =>
      postJson('/api/v1/bank_accounts', {
        name,
        iban: iban || null,
        currency,
        ...(ledger ? { ledger_account: ledger } : {}),
      }),
    onSuccess: () => {
      setName('');
      setIban('');
      qc.invalidateQueries({ queryKey: ['bank_accounts'] });
    },
  });
  const rows = accounts.data?.data ?? [];
  return (
    <Stack>
      {rows.length === 0 ? (
        <Text c="dimmed">{T.accounts.none}</Text>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {T.accounts.columns.map((c) => (
                  <Table.Th key={c}>{c}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.name}</Table.Td>
                  <Table.Td>{a.iban}</Table.Td>
                  <Table.Td>{a.currency}</Table.Td>
                  <Table.Td>{a.ledger_account}</Table.Td>
                  <Table.Td>{a.active ? 'yes' : 'no'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={4}>{T.accounts.add}</Title>
          <Group grow wrap="wrap">
            <TextInput label={T.accounts.name} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TextInput label={T.accounts.iban} value={iban} onChange={(e) => setIban(e.currentTarget.value)} />
            <TextInput
              label={T.accounts.currency}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={T.accounts.ledger} value={ledger} onChange={(e) => setLedger(e.currentTarget.value)} />
          </Group>
          {create.error && <ErrorAlert error={create.error} />}
          <Group>
            <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!name}>
              {T.accounts.add}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

interface StatementResult {
  lines_imported: number;
  lines_duplicate: number;
  lines_pending_skipped: number;
  matched_automatically: number;
  suggested: number;
  balance_check: 'ok' | 'mismatch' | 'not_given';
}

function ImportStatement({ account }: { account: string }) {
  const qc = useQueryClient();
  const [format, setFormat] = useState<string>('camt053');
  const [mapping, setMapping] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const mappings = useQuery({
    queryKey: ['csv_mappings'],
    queryFn: () => call(api.GET('/api/v1/csv_mappings')),
    enabled: format === 'csv',
  });
  const run = useMutation({
    mutationFn: async (): Promise<StatementResult> => {
      const token = await ensureCsrfToken();
      const q = new URLSearchParams({ format });
      if (format === 'csv' && mapping) q.set('csv_mapping', mapping);
      const res = await fetch(`/api/v1/bank_accounts/${account}/statements?${q}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': CONTENT_TYPES[format]!, ...(token ? { 'x-csrf-token': token } : {}) },
        body: await file!.arrayBuffer(),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status !== 201) {
        const e = body?.error ?? {};
        throw new ApiError(
          res.status,
          e.type ?? 'internal',
          e.code ?? 'failed',
          `${e.message ?? 'Import failed.'}${e.param ? ` (${e.param})` : ''}`,
          e.param ?? null,
        );
      }
      return body;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['bank_lines'] }),
  });
  return (
    <Stack maw={600}>
      <Select label={T.import.format} data={FORMATS} value={format} onChange={(v) => setFormat(v ?? 'camt053')} />
      {format === 'csv' && (
        <Select
          label={T.import.mapping}
          data={(mappings.data?.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          value={mapping}
          onChange={setMapping}
        />
      )}
      <FileInput label={T.import.file} value={file} onChange={setFile} clearable data-testid="statement-file" />
      <Group>
        <Button onClick={() => run.mutate()} disabled={!file} loading={run.isPending}>
          {T.import.run}
        </Button>
      </Group>
      {run.error && <ErrorAlert error={run.error} />}
      {run.data && (
        <Alert color={run.data.balance_check === 'mismatch' ? 'orange' : 'green'} data-testid="import-result">
          <Text>
            {T.import.result(run.data.lines_imported, run.data.lines_duplicate, run.data.lines_pending_skipped)}
          </Text>
          <Text>{T.import.matched(run.data.matched_automatically, run.data.suggested)}</Text>
          <Text>{T.import.balance[run.data.balance_check]}</Text>
        </Alert>
      )}
    </Stack>
  );
}

interface Line {
  id: string;
  booking_date: string;
  amount: string;
  currency: string;
  counterparty_name: string | null;
  reference: string | null;
  status: string;
  suggestions: {
    rank: number;
    confidence: number;
    customer: string;
    reasons: string[];
    invoices: { invoice: string; amount: string }[];
  }[];
  match: { reasons: string[] } | null;
}

function Reconcile({ account }: { account: string }) {
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const lines = useQuery({
    queryKey: ['bank_lines', account],
    queryFn: async () => {
      const res = await fetch(`/api/v1/bank_lines?bank_account=${account}&limit=500`, { credentials: 'same-origin' });
      return ((await res.json()).data ?? []) as Line[];
    },
  });
  const rec = useQuery({
    queryKey: ['bank_lines', account, 'reconciliation'],
    queryFn: async () =>
      (await fetch(`/api/v1/bank_accounts/${account}/reconciliation`, { credentials: 'same-origin' })).json(),
  });
  const [cursor, setCursor] = useState(0);
  const [manual, setManual] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['bank_lines'] });
  const act = useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: string; body?: unknown }) =>
      postJson(`/api/v1/bank_lines/${id}/${action}`, body ?? {}),
    onSuccess: refresh,
  });
  const rows = lines.data ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'j' || e.key === 's') setCursor((c) => Math.min(c + 1, Math.max(rows.length - 1, 0)));
      if (e.key === 'k') setCursor((c) => Math.max(c - 1, 0));
      if (e.key === 'a') {
        const line = rows[cursor];
        if (line && line.status === 'suggested') act.mutate({ id: line.id, action: 'accept' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, cursor, act]);

  return (
    <Stack>
      {rec.data && (
        <Group data-testid="reconciliation">
          <Text>
            {T.reconcile.statement}: {rec.data.statement_balance ?? '—'}
          </Text>
          <Text>
            {T.reconcile.ledger}: {rec.data.ledger_balance}
          </Text>
          <Text fw={600}>
            {T.reconcile.difference}: {rec.data.difference ?? '—'}
          </Text>
        </Group>
      )}
      <Text size="sm" c="dimmed">
        {T.reconcile.keys}
      </Text>
      {act.error && <ErrorAlert error={act.error} />}
      {rows.length === 0 && <Text>{T.reconcile.none}</Text>}
      <Stack gap="xs">
        {rows.map((l, i) => {
          const best = l.suggestions[0];
          return (
            <Card
              key={l.id}
              withBorder
              padding="sm"
              data-testid="bank-line"
              data-status={l.status}
              style={i === cursor ? { outline: '2px solid var(--mantine-color-blue-5)' } : undefined}
              onClick={() => setCursor(i)}
            >
              <Group justify="space-between" wrap={mobile ? 'wrap' : 'nowrap'} align="flex-start">
                <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                  <Group gap="xs">
                    <Text fw={600}>
                      {l.amount} {l.currency}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {l.booking_date}
                    </Text>
                    <Badge variant="light">{l.status}</Badge>
                  </Group>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {[l.counterparty_name, l.reference].filter(Boolean).join(' · ')}
                  </Text>
                  {l.status === 'matched' && l.match && (
                    <Text size="sm" c="green">
                      {l.match.reasons.join('; ')}
                    </Text>
                  )}
                  {l.status === 'suggested' && best && (
                    <Text size="sm" data-testid="suggestion">
                      {Math.round(best.confidence * 100)}%: {best.reasons.join('; ')}
                    </Text>
                  )}
                  {l.status === 'unmatched' && (
                    <Text size="sm" c="dimmed">
                      {T.reconcile.noSuggestion}
                    </Text>
                  )}
                </Stack>
                <Group gap="xs">
                  {l.status === 'suggested' && (
                    <Button size="xs" onClick={() => act.mutate({ id: l.id, action: 'accept' })}>
                      {T.reconcile.accept}
                    </Button>
                  )}
                  {(l.status === 'suggested' || l.status === 'unmatched') && (
                    <>
                      <Button size="xs" variant="light" onClick={() => setManual(manual === l.id ? null : l.id)}>
                        {T.reconcile.matchByHand}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() =>
                          act.mutate({ id: l.id, action: 'ignore', body: { reason: 'Ignored in the workspace' } })
                        }
                      >
                        {T.reconcile.ignore}
                      </Button>
                    </>
                  )}
                  {(l.status === 'matched' || l.status === 'ignored') && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => act.mutate({ id: l.id, action: 'unmatch' })}
                    >
                      {T.reconcile.unmatch}
                    </Button>
                  )}
                </Group>
              </Group>
              {manual === l.id && (
                <ManualMatch
                  line={l}
                  onDone={() => {
                    setManual(null);
                    refresh();
                  }}
                />
              )}
            </Card>
          );
        })}
      </Stack>
    </Stack>
  );
}

interface OpenInvoice {
  id: string;
  number: string | null;
  customer: string;
  amount_due: string;
}

function ManualMatch({ line, onDone }: { line: Line; onDone: () => void }) {
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ inv: OpenInvoice; amount: number }[]>([]);
  const found = useQuery({
    queryKey: ['open-invoices', search],
    queryFn: async () => {
      const res = await fetch(`/api/v1/invoices?status=posted&limit=50`, { credentials: 'same-origin' });
      const data = ((await res.json()).data ?? []) as OpenInvoice[];
      const s = search.trim().toLowerCase();
      return data.filter((i) => Number(i.amount_due) > 0 && (!s || (i.number ?? '').toLowerCase().includes(s)));
    },
  });
  const total = picked.reduce((acc, p) => acc + Math.round(p.amount * 100), 0);
  const remainder = ((Math.round(Number(line.amount) * 100) - total) / 100).toFixed(2);
  const submit = useMutation({
    mutationFn: () =>
      postJson(`/api/v1/bank_lines/${line.id}/match`, {
        customer: picked[0]!.inv.customer,
        invoices: picked.map((p) => ({ invoice: p.inv.id, amount: p.amount.toFixed(2) })),
      }),
    onSuccess: onDone,
  });
  return (
    <Stack gap="xs" mt="sm" data-testid="manual-match">
      <TextInput label={T.reconcile.search} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      {(found.data ?? []).slice(0, 10).map((inv) => (
        <Group key={inv.id} justify="space-between">
          <Text size="sm">
            {inv.number} — {inv.amount_due}
          </Text>
          <Button
            size="xs"
            variant="light"
            disabled={picked.some((p) => p.inv.id === inv.id)}
            onClick={() => {
              const left = Number(remainder);
              setPicked([...picked, { inv, amount: Math.min(Number(inv.amount_due), left) }]);
            }}
          >
            +
          </Button>
        </Group>
      ))}
      {picked.map((p, i) => (
        <Group key={p.inv.id}>
          <Text size="sm">{p.inv.number}</Text>
          <NumberInput
            size="xs"
            decimalScale={2}
            value={p.amount}
            onChange={(v) => setPicked(picked.map((x, j) => (j === i ? { ...x, amount: Number(v) || 0 } : x)))}
          />
        </Group>
      ))}
      <Text size="sm" data-testid="remainder">
        {T.reconcile.remainder(remainder)}
      </Text>
      {submit.error && <ErrorAlert error={submit.error} />}
      <Group>
        <Button size="xs" disabled={picked.length === 0} onClick={() => submit.mutate()} loading={submit.isPending}>
          {T.reconcile.confirm}
        </Button>
      </Group>
    </Stack>
  );
}
