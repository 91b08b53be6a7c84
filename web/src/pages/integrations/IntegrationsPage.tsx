import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
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
import { useState } from 'react';
import { ApiError, api, call, downloadFile, ensureCsrfToken } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';

// Every text of the page in one place.
const T = {
  title: 'Integrations',
  subtitle: 'Journal exports for your accounting package, CSV imports from a previous system, and closed periods.',
  tabs: { exports: 'Accounting export', imports: 'Import', closing: 'Closed period' },
  export: {
    format: 'Format',
    from: 'From',
    to: 'To',
    onlyNew: 'Only what was not exported in this format yet',
    run: 'Export',
    history: 'Exports made',
    none: 'No exports yet.',
    download: 'Download',
    columns: ['Made', 'Format', 'Period', 'Entries', 'Lines', 'File', ''],
  },
  import: {
    kind: 'What to import',
    file: 'CSV file (header row of field names, e.g. name, email, billing_address.city)',
    preview: 'First rows of the file',
    dryRun: 'Check (dry run)',
    run: 'Import',
    checked: (n: number, c: number, u: number) =>
      `${n} rows read: ${c} would be created, ${u} updated. Nothing was written yet.`,
    done: (c: number, u: number) => `Imported: ${c} created, ${u} updated.`,
    refused: (n: number) => `${n} problem(s): nothing was imported. Fix the file and check again.`,
    errorColumns: ['Row', 'Column', 'Problem'],
    openingDate: 'Opening date (open invoices)',
  },
  closing: {
    explain:
      'Nothing can be posted, paid, credited, written off or voided on or before this day. It only moves forward unless you reopen the period.',
    date: 'Books closed through',
    reopen: 'Reopen: allow an earlier date (recorded as an event)',
    save: 'Save',
    saved: 'Saved.',
  },
};

const FORMATS = [
  { value: 'csv', label: 'CSV (one row per journal line)' },
  { value: 'json', label: 'JSON' },
  { value: 'datev', label: 'DATEV Buchungsstapel (EXTF 700)' },
  { value: 'xero', label: 'Xero manual journal CSV' },
  { value: 'quickbooks', label: 'QuickBooks Online journal CSV' },
];
const KINDS = [
  { value: 'customers', label: 'Customers' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'products', label: 'Products' },
  { value: 'leads', label: 'Leads' },
  { value: 'open_invoices', label: 'Open invoices (opening balances)' },
];

function monthStart(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-01`;
}
const todayText = () => new Date().toISOString().slice(0, 10);

function ExportsTab() {
  const qc = useQueryClient();
  const [format, setFormat] = useState('csv');
  const [from, setFrom] = useState(monthStart());
  const [to, setTo] = useState(todayText());
  const [onlyNew, setOnlyNew] = useState(true);
  const history = useQuery({ queryKey: ['exports'], queryFn: () => call(api.GET('/api/v1/exports')) });
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/exports', {
          body: { kind: 'journal', format: format as 'csv', from, to, only_new: onlyNew },
        }),
      ),
    onSuccess: (e) => {
      void qc.invalidateQueries({ queryKey: ['exports'] });
      void downloadFile(`/api/v1/exports/${e.id}/file`, e.file_name);
    },
  });
  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack>
          <Group align="flex-end" wrap="wrap">
            <Select
              label={T.export.format}
              data={FORMATS}
              value={format}
              onChange={(v) => setFormat(v ?? 'csv')}
              w={300}
            />
            <TextInput
              label={T.export.from}
              type="date"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <TextInput label={T.export.to} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </Group>
          <Checkbox label={T.export.onlyNew} checked={onlyNew} onChange={(e) => setOnlyNew(e.currentTarget.checked)} />
          <Group>
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              {T.export.run}
            </Button>
          </Group>
          {create.error ? <ErrorAlert error={create.error} feature="The export" /> : null}
        </Stack>
      </Paper>
      <Title order={4}>{T.export.history}</Title>
      {history.error ? <ErrorAlert error={history.error} feature="Exports" /> : null}
      {history.data && history.data.data.length === 0 ? <Text c="dimmed">{T.export.none}</Text> : null}
      {history.data && history.data.data.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                {T.export.columns.map((c) => (
                  <Table.Th key={c}>{c}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.created_at.slice(0, 16).replace('T', ' ')}</Table.Td>
                  <Table.Td>{e.format}</Table.Td>
                  <Table.Td>
                    {e.from} – {e.to}
                  </Table.Td>
                  <Table.Td>{e.entries}</Table.Td>
                  <Table.Td>{e.lines}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.file_name}</Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="xs"
                      onClick={() => downloadFile(`/api/v1/exports/${e.id}/file`, e.file_name)}
                    >
                      {T.export.download}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}

interface ImportAnswer {
  rows: number;
  created: number;
  updated: number;
  dry_run: boolean;
  errors: { row: number; column: string | null; code: string; message: string }[];
}

async function postImport(kind: string, csv: string, dryRun: boolean, openingDate: string): Promise<ImportAnswer> {
  const token = await ensureCsrfToken();
  const query = new URLSearchParams({ dry_run: String(dryRun) });
  if (kind === 'open_invoices' && openingDate) query.set('opening_date', openingDate);
  const res = await fetch(`/api/v1/imports/${kind}?${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv', ...(token ? { 'x-csrf-token': token } : {}) },
    body: csv,
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 200 || res.status === 422) return body as ImportAnswer;
  const e = body?.error ?? {};
  throw new ApiError(
    res.status,
    e.type ?? 'internal',
    e.code ?? 'import_failed',
    e.message ?? 'Import failed.',
    e.param ?? null,
  );
}

function ImportsTab() {
  const [kind, setKind] = useState('customers');
  const [csv, setCsv] = useState<string | null>(null);
  const [openingDate, setOpeningDate] = useState(todayText());
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => postImport(kind, csv ?? '', dryRun, openingDate),
    onSuccess: setAnswer,
  });
  const previewRows = (csv ?? '')
    .split(/\r?\n/)
    .filter(Boolean)
    .slice(0, 6)
    .map((line, n) => ({
      id: `line-${n + 1}`,
      header: n === 0,
      cells: line.split(',').map((text, m) => ({ id: `cell-${m + 1}`, text })),
    }));
  const checkedOk = answer?.dry_run && answer.errors.length === 0;
  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack>
          <Group align="flex-end" wrap="wrap">
            <Select
              label={T.import.kind}
              data={KINDS}
              value={kind}
              onChange={(v) => (setKind(v ?? 'customers'), setAnswer(null))}
              w={300}
            />
            {kind === 'open_invoices' ? (
              <TextInput
                label={T.import.openingDate}
                type="date"
                value={openingDate}
                onChange={(e) => setOpeningDate(e.currentTarget.value)}
              />
            ) : null}
          </Group>
          <FileInput
            label={T.import.file}
            accept=".csv,text/csv"
            onChange={async (file) => {
              setAnswer(null);
              setCsv(file ? await file.text() : null);
            }}
          />
          {previewRows.length > 0 ? (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {T.import.preview}
              </Text>
              <Table.ScrollContainer minWidth={480}>
                <Table withTableBorder fz="xs">
                  <Table.Tbody>
                    {previewRows.map((r) => (
                      <Table.Tr key={r.id}>
                        {r.cells.map((c) =>
                          r.header ? (
                            <Table.Th key={c.id}>{c.text}</Table.Th>
                          ) : (
                            <Table.Td key={c.id}>{c.text}</Table.Td>
                          ),
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          ) : null}
          <Group>
            <Button
              variant="default"
              disabled={!csv}
              loading={run.isPending && run.variables === true}
              onClick={() => run.mutate(true)}
            >
              {T.import.dryRun}
            </Button>
            <Button
              disabled={!checkedOk}
              loading={run.isPending && run.variables === false}
              onClick={() => run.mutate(false)}
            >
              {T.import.run}
            </Button>
          </Group>
          {run.error ? <ErrorAlert error={run.error} feature="The import" /> : null}
          {answer && answer.errors.length > 0 ? (
            <Alert color="red" title={T.import.refused(answer.errors.length)}>
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    {T.import.errorColumns.map((c) => (
                      <Table.Th key={c}>{c}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {answer.errors.slice(0, 200).map((e) => (
                    <Table.Tr key={`${e.row}:${e.column}:${e.code}:${e.message}`}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.column}</Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Alert>
          ) : null}
          {answer && answer.errors.length === 0 ? (
            <Alert color={answer.dry_run ? 'blue' : 'green'}>
              {answer.dry_run
                ? T.import.checked(answer.rows, answer.created, answer.updated)
                : T.import.done(answer.created, answer.updated)}
            </Alert>
          ) : null}
        </Stack>
      </Paper>
    </Stack>
  );
}

function ClosingTab() {
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => call(api.GET('/api/v1/settings')) });
  const [date, setDate] = useState<string | null>(null);
  const [reopen, setReopen] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/api/v1/settings', {
          body: {
            books_closed_through: (date ?? settings.data?.books_closed_through) || null,
            ...(reopen ? { reopen: true } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setReopen(false);
      void qc.invalidateQueries({ queryKey: ['settings'] });
    },
  });
  const value = date ?? settings.data?.books_closed_through ?? '';
  return (
    <Paper withBorder p="md">
      <Stack>
        <Text size="sm" c="dimmed">
          {T.closing.explain}
        </Text>
        <TextInput
          label={T.closing.date}
          type="date"
          value={value}
          onChange={(e) => setDate(e.currentTarget.value)}
          w={220}
        />
        <Checkbox label={T.closing.reopen} checked={reopen} onChange={(e) => setReopen(e.currentTarget.checked)} />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {T.closing.save}
          </Button>
          {save.isSuccess ? <Text c="green">{T.closing.saved}</Text> : null}
        </Group>
        {save.error ? <ErrorAlert error={save.error} feature="Closing the period" /> : null}
      </Stack>
    </Paper>
  );
}

/** Accounting export, imports and the closed period. */
export function IntegrationsPage() {
  return (
    <Stack>
      <PageHeader title={T.title} subtitle={T.subtitle} />
      <Tabs defaultValue="exports" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="exports">{T.tabs.exports}</Tabs.Tab>
          <Tabs.Tab value="imports">{T.tabs.imports}</Tabs.Tab>
          <Tabs.Tab value="closing">{T.tabs.closing}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="exports" pt="md">
          <ExportsTab />
        </Tabs.Panel>
        <Tabs.Panel value="imports" pt="md">
          <ImportsTab />
        </Tabs.Panel>
        <Tabs.Panel value="closing" pt="md">
          <ClosingTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
