import { Alert, Anchor, Button, Grid, Menu, Paper, SimpleGrid, Stack, Switch, Tabs, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { usePromises } from '../../api/activities';
import { api, call, downloadFile } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useInvoiceEvents } from '../../api/invoices';
import { useMe } from '../../api/session';
import type { Invoice } from '../../api/types';
import { ActivitiesPanel } from '../../components/ActivitiesPanel';
import { LinesTable } from '../../components/LinesTable';
import { go, Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { PromiseModal } from '../../components/PromiseModal';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { InvoiceBadges } from '../../components/StatusBadge';
import { EventTimeline } from '../../components/Timeline';
import { toast } from '../../components/Toasts';
import { TotalsPanel } from '../../components/TotalsPanel';
import { formatDate, formatDateTime } from '../../lib/dates';
import { isZero } from '../../lib/money';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';
import { CreditNoteModal } from './CreditNoteModal';
import { InvoiceCreditNotes } from './InvoiceCreditNotes';
import { InvoiceEmails } from './InvoiceEmails';
import { InvoiceOnlinePayments } from './InvoiceOnlinePayments';
import { InvoicePromises } from './InvoicePromises';
import { SendModal } from './SendModal';
import { WriteOffModal } from './WriteOffModal';

type Modal = 'credit' | 'send' | 'writeoff' | 'promise' | null;

export function InvoiceView({ invoice }: { invoice: Invoice }) {
  const me = useMe();
  const qc = useQueryClient();
  const customer = useCustomer(invoice.customer);
  const [modal, setModal] = useState<Modal>(null);
  const promises = usePromises(invoice.id);
  const promiseOpen = promises.data?.data.some((p) => p.status === 'open') ?? false;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finance = can(me.role, 'finance');
  const open = invoice.status === 'posted';
  const untouched =
    isZero(invoice.amount_paid) && isZero(invoice.amount_credited) && isZero(invoice.amount_written_off);

  const refresh = async (updated?: Invoice) => {
    if (updated) qc.setQueryData(['invoices', invoice.id], updated);
    await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'settings' });
  };

  const act = async (name: string, run: () => Promise<Invoice | undefined>, done: string, confirm?: string) => {
    if (confirm && !window.confirm(confirm)) return;
    setBusy(name);
    setError(null);
    try {
      await refresh(await run());
      toast(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const path = { params: { path: { id: invoice.id } } };

  const download = async (kind: 'pdf' | 'ubl') => {
    setBusy(kind);
    setError(null);
    try {
      await downloadFile(
        `/api/v1/invoices/${invoice.id}/${kind}`,
        `${invoice.number ?? invoice.id}.${kind === 'pdf' ? 'pdf' : 'xml'}`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const setFlag = (flag: 'disputed' | 'reminders_paused', value: boolean) =>
    act(
      flag,
      () => call(api.PATCH('/api/v1/invoices/{id}/flags', { ...path, body: { [flag]: value } })),
      value ? (flag === 'disputed' ? 'Marked as disputed' : 'Reminders paused') : 'Flag cleared',
    );

  return (
    <Stack>
      <PageHeader
        title={`Invoice ${invoice.number ?? ''}`}
        badge={<InvoiceBadges invoice={invoice} />}
        subtitle={
          <>
            <Link to={`/customers/${invoice.customer}`}>
              {invoice.customer_snapshot?.name ?? customer.data?.name ?? '…'}
            </Link>{' '}
            · issued {formatDate(invoice.issue_date)} · due {formatDate(invoice.due_date)}
          </>
        }
        actions={
          <>
            {finance && open ? (
              <Button
                onClick={go(`/payments/new?customer=${invoice.customer}&invoice=${invoice.id}`)}
                data-testid="record-payment"
              >
                Record payment
              </Button>
            ) : null}
            {finance && open ? (
              <Button variant="light" onClick={() => setModal('send')} loading={busy === 'send'}>
                Send
              </Button>
            ) : null}
            <Button variant="default" onClick={() => download('pdf')} loading={busy === 'pdf'}>
              PDF
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" data-testid="invoice-more">
                  More
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => download('ubl')}>Download UBL (e-invoice)</Menu.Item>
                {finance && (open || invoice.status === 'paid') ? (
                  <Menu.Item onClick={() => setModal('credit')} data-testid="issue-credit-note">
                    Issue credit note
                  </Menu.Item>
                ) : null}
                {finance && open && !isZero(invoice.amount_due) ? (
                  <Menu.Item onClick={() => setModal('writeoff')}>Write off the rest</Menu.Item>
                ) : null}
                {can(me.role, 'draft') && open && !isZero(invoice.amount_due) && !promiseOpen ? (
                  <Menu.Item onClick={() => setModal('promise')} data-testid="promise-to-pay">
                    Promise to pay
                  </Menu.Item>
                ) : null}
                {can(me.role, 'draft') ? (
                  <Menu.Item
                    onClick={() =>
                      act(
                        'duplicate',
                        async () => {
                          const copy = await call(api.POST('/api/v1/invoices/{id}/duplicate', path));
                          navigate(`/invoices/${copy.id}`);
                          return undefined;
                        },
                        'Copied to a new draft',
                      )
                    }
                  >
                    Duplicate as new draft
                  </Menu.Item>
                ) : null}
                {finance && open ? <Menu.Divider /> : null}
                {finance && open ? (
                  <Menu.Item
                    color="orange"
                    onClick={() =>
                      act(
                        'uncollectible',
                        () => call(api.POST('/api/v1/invoices/{id}/mark_uncollectible', path)),
                        'Marked uncollectible',
                        'Write the amount due off to bad debt? A later payment still pays it.',
                      )
                    }
                  >
                    Mark uncollectible
                  </Menu.Item>
                ) : null}
                {finance && open && untouched ? (
                  <Menu.Item
                    color="red"
                    onClick={() =>
                      act(
                        'void',
                        () => call(api.POST('/api/v1/invoices/{id}/void', path)),
                        'Invoice voided',
                        `Void invoice ${invoice.number}? Its number stays used.`,
                      )
                    }
                  >
                    Void invoice
                  </Menu.Item>
                ) : null}
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      {error ? <ErrorAlert error={error} feature="This action" /> : null}
      {invoice.status === 'uncollectible' ? (
        <Alert color="orange">Written off to bad debt: out of aging and receivables. A payment still pays it.</Alert>
      ) : null}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
                <Fact label="Issue date">{formatDate(invoice.issue_date)}</Fact>
                <Fact label="Due date">{formatDate(invoice.due_date)}</Fact>
                <Fact label="Sent">{invoice.sent_at ? formatDateTime(invoice.sent_at) : 'Not yet'}</Fact>
                <Fact label="Views">
                  {invoice.view_count
                    ? `${invoice.view_count}, first ${formatDateTime(invoice.first_viewed_at)}`
                    : 'Not viewed'}
                </Fact>
                {invoice.po_number ? <Fact label="PO number">{invoice.po_number}</Fact> : null}
                {invoice.buyer_reference ? <Fact label="Buyer reference">{invoice.buyer_reference}</Fact> : null}
                {invoice.source ? (
                  <Fact label="From">
                    <Link to={sourceLink(invoice.source)} size="sm">
                      {invoice.source.type.replace(/_/g, ' ')}
                    </Link>
                  </Fact>
                ) : null}
                {invoice.hosted_url ? (
                  <Fact label="Customer page">
                    <Anchor href={invoice.hosted_url} target="_blank" rel="noreferrer" size="sm">
                      Open
                    </Anchor>
                  </Fact>
                ) : null}
              </SimpleGrid>
            </Paper>
            <Paper withBorder p="md">
              <LinesTable invoice={invoice} />
              {invoice.notes ? (
                <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {invoice.notes}
                </Text>
              ) : null}
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <TotalsPanel invoice={invoice} />
            {finance && invoice.status !== 'void' ? (
              <Paper withBorder p="md">
                <Stack gap="xs">
                  <Switch
                    label="Disputed"
                    checked={invoice.disputed}
                    disabled={busy === 'disputed'}
                    onChange={(e) => setFlag('disputed', e.currentTarget.checked)}
                  />
                  <Switch
                    label="Pause reminders"
                    checked={invoice.reminders_paused}
                    disabled={busy === 'reminders_paused'}
                    onChange={(e) => setFlag('reminders_paused', e.currentTarget.checked)}
                  />
                </Stack>
              </Paper>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      <InvoiceOnlinePayments invoice={invoice} />
      <Tabs defaultValue="timeline" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="credit_notes">Credit notes</Tabs.Tab>
          <Tabs.Tab value="emails">Emails</Tabs.Tab>
          <Tabs.Tab value="activities">Activities</Tabs.Tab>
          <Tabs.Tab value="promises">Promises</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="md">
          <InvoiceTimeline id={invoice.id} />
        </Tabs.Panel>
        <Tabs.Panel value="credit_notes" pt="md">
          <InvoiceCreditNotes invoice={invoice} />
        </Tabs.Panel>
        <Tabs.Panel value="emails" pt="md">
          <InvoiceEmails invoice={invoice} />
        </Tabs.Panel>
        <Tabs.Panel value="activities" pt="md">
          <ActivitiesPanel related={{ type: 'invoice', id: invoice.id }} />
        </Tabs.Panel>
        <Tabs.Panel value="promises" pt="md">
          <InvoicePromises invoice={invoice} />
        </Tabs.Panel>
      </Tabs>
      {modal === 'credit' ? (
        <CreditNoteModal invoice={invoice} onClose={() => setModal(null)} onDone={() => refresh()} />
      ) : null}
      {modal === 'send' ? (
        <SendModal
          invoice={invoice}
          defaultTo={customer.data?.email ?? ''}
          onClose={() => setModal(null)}
          onDone={(inv) => refresh(inv)}
        />
      ) : null}
      {modal === 'promise' ? <PromiseModal invoice={invoice} onClose={() => setModal(null)} /> : null}
      {modal === 'writeoff' ? (
        <WriteOffModal invoice={invoice} onClose={() => setModal(null)} onDone={(inv) => refresh(inv)} />
      ) : null}
    </Stack>
  );
}

function sourceLink(source: { type: string; id: string }): string {
  const base: Record<string, string> = {
    subscription: '/subscriptions',
    order: '/orders',
    quote: '/quotes',
    invoice: '/invoices',
  };
  return `${base[source.type] ?? '/invoices'}/${source.id}`;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function InvoiceTimeline({ id }: { id: string }) {
  const events = useInvoiceEvents(id);
  return <QueryState query={events}>{(page) => <EventTimeline events={page.data} />}</QueryState>;
}
