import { Badge, Button, Group, Modal, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type Lead, useCreateLead, useLeadList } from '../../api/crm';
import { type Column, DataList } from '../../components/DataList';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { navigate } from '../../lib/router';

type Status = 'new' | 'working' | 'qualified' | 'disqualified' | 'converted';

/** Leads with their score and possible duplicates; a new lead is one form away. */
export function LeadsPage() {
  const [status, setStatus] = useState<Status | 'all'>('all');
  const { query, rows } = useLeadList(status === 'all' ? {} : { status });
  const create = useCreateLead();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name: '', company: '', email: '', phone: '' });
  const [error, setError] = useState<string | null>(null);
  const columns: Column<Lead>[] = [
    { key: 'name', header: 'Name', render: (l) => l.name ?? l.company, card: 'title' },
    { key: 'company', header: 'Company', render: (l) => l.company ?? '', card: 'meta' },
    { key: 'email', header: 'Email', render: (l) => l.email ?? '', card: 'meta' },
    { key: 'status', header: 'Status', render: (l) => <StatusBadge status={l.status} />, card: 'meta' },
    {
      key: 'score',
      header: 'Score',
      align: 'right',
      card: 'amount',
      render: (l) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {l.possible_duplicates.length > 0 ? (
            <Badge color="orange" variant="light" size="sm">
              possible duplicate
            </Badge>
          ) : null}
          <Badge variant="default">{l.score}</Badge>
        </Group>
      ),
    },
    { key: 'created', header: 'Created', render: (l) => formatDate(l.created_at), card: 'meta' },
  ];
  const submit = async () => {
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== ''));
      const lead = await create.mutateAsync(body);
      setOpen(false);
      setForm({ name: '', company: '', email: '', phone: '' });
      toast('Lead created');
      navigate(`/leads/${lead.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Stack>
      <PageHeader
        title="Leads"
        subtitle="People and companies who may buy: qualify them, then convert them to customers and deals."
        actions={<Button onClick={() => setOpen(true)}>New lead</Button>}
      />
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as Status | 'all')}
        data={['all', 'new', 'working', 'qualified', 'converted', 'disqualified'].map((v) => ({
          value: v,
          label: v[0]!.toUpperCase() + v.slice(1),
        }))}
        style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
      />
      {query.isError ? (
        <ErrorAlert error={query.error} feature="Leads" />
      ) : query.isPending ? null : rows.length === 0 ? (
        <EmptyState title="No leads here">Add one by hand, import a CSV, or put the web form on your site.</EmptyState>
      ) : (
        <DataList
          rows={rows}
          columns={columns}
          rowKey={(l) => l.id}
          onOpen={(l) => navigate(`/leads/${l.id}`)}
          hasMore={query.hasNextPage}
          onMore={() => query.fetchNextPage()}
          loadingMore={query.isFetchingNextPage}
        />
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title="New lead">
        <Stack>
          {(['name', 'company', 'email', 'phone'] as const).map((f) => (
            <TextInput
              key={f}
              label={f[0]!.toUpperCase() + f.slice(1)}
              value={form[f]}
              onChange={(e) => setForm({ ...form, [f]: e.currentTarget.value })}
              error={error && (f === 'name' || error.startsWith(f)) ? error : undefined}
            />
          ))}
          <Group justify="flex-end">
            <Button onClick={submit} loading={create.isPending}>
              Create lead
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
