import { Button, Group, Menu, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useEvents } from '../../api/events';
import { useOpenInvoices } from '../../api/invoices';
import { useCustomerBalances } from '../../api/reports';
import { useMe } from '../../api/session';
import type { Customer } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { InvoiceTable } from '../../components/InvoiceTable';
import { go, Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { StatCard } from '../../components/StatCard';
import { EventTimeline } from '../../components/Timeline';
import { toast } from '../../components/Toasts';
import { formatMoney, isZero } from '../../lib/money';
import { can } from '../../lib/roles';
import { navigate, setSearch, useLocation } from '../../lib/router';
import { ApplyCreditModal } from './ApplyCreditModal';
import { ContactsPanel } from './ContactsPanel';
import { CustomerPaymentsPanel } from './CustomerPaymentsPanel';
import { DealsPanel } from './DealsPanel';
import { StatementPanel } from './StatementPanel';

export function CustomerDetailPage({ params }: { params: Record<string, string> }) {
  const customer = useCustomer(params.id);
  return <QueryState query={customer}>{(c) => <CustomerDetail customer={c} />}</QueryState>;
}

function CustomerDetail({ customer }: { customer: Customer }) {
  const me = useMe();
  const qc = useQueryClient();
  const { search } = useLocation();
  const tab = search.get('tab') ?? 'overview';
  const open = useOpenInvoices(customer.id);
  const { balances, available } = useCustomerBalances();
  const balance = balances.get(customer.id);
  const [applyOpen, setApplyOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const overdue = (open.data ?? []).filter((i) => i.overdue);

  const remove = async () => {
    if (!window.confirm(`Delete ${customer.name}? This cannot be undone.`)) return;
    try {
      await call(api.DELETE('/api/v1/customers/{id}', { params: { path: { id: customer.id } } }));
      await qc.invalidateQueries({ queryKey: ['customers'] });
      toast(`${customer.name} deleted`);
      navigate('/customers');
    } catch (err) {
      setDeleteError(err);
    }
  };

  const a = customer.billing_address;
  return (
    <Stack>
      <PageHeader
        title={customer.name}
        subtitle={[customer.email, customer.currency, customer.tax_id].filter(Boolean).join(' · ')}
        actions={
          <>
            {can(me.role, 'draft') ? (
              <Button onClick={go(`/invoices/new?customer=${customer.id}`)} data-testid="customer-new-invoice">
                New invoice
              </Button>
            ) : null}
            {can(me.role, 'finance') ? (
              <Button variant="light" onClick={go(`/payments/new?customer=${customer.id}`)}>
                Record payment
              </Button>
            ) : null}
            {can(me.role, 'draft') ? (
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button variant="default">More</Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={go(`/customers/${customer.id}/edit`)}>Edit customer</Menu.Item>
                  <Menu.Item onClick={go(`/quotes/new?customer=${customer.id}`)}>New quote</Menu.Item>
                  {can(me.role, 'finance') ? (
                    <Menu.Item onClick={go(`/subscriptions/new?customer=${customer.id}`)}>New subscription</Menu.Item>
                  ) : null}
                  {can(me.role, 'finance') && !isZero(customer.credit_balance) ? (
                    <Menu.Item onClick={() => setApplyOpen(true)}>Apply credit to an invoice</Menu.Item>
                  ) : null}
                  <Menu.Item color="red" onClick={remove}>
                    Delete customer
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </>
        }
      />
      {deleteError ? <ErrorAlert error={deleteError} /> : null}
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <StatCard
          label="Outstanding"
          value={available ? formatMoney(balance?.total ?? '0', customer.currency) : '—'}
          hint={open.data ? `${open.data.length} open invoice${open.data.length === 1 ? '' : 's'}` : undefined}
        />
        <StatCard
          label="Overdue"
          color={overdue.length ? 'red.7' : undefined}
          value={`${overdue.length} invoice${overdue.length === 1 ? '' : 's'}`}
          hint={overdue.length ? `Oldest ${overdue[0]?.days_overdue} days late` : 'Nothing is late'}
        />
        <StatCard
          label="Credit balance"
          value={formatMoney(customer.credit_balance, customer.currency)}
          hint="Unapplied payments and credit notes"
        />
      </SimpleGrid>
      <Tabs value={tab} onChange={(v) => setSearch({ tab: v === 'overview' ? null : v })} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          <Tabs.Tab value="overview">Open invoices</Tabs.Tab>
          <Tabs.Tab value="payments">Payments</Tabs.Tab>
          <Tabs.Tab value="contacts">Contacts</Tabs.Tab>
          <Tabs.Tab value="deals">Deals</Tabs.Tab>
          <Tabs.Tab value="statement">Statement</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <QueryState query={open}>
            {(rows) =>
              rows.length === 0 ? (
                <EmptyState title="No open invoices">
                  {customer.name} owes nothing right now. Draft an invoice to bill them.
                </EmptyState>
              ) : (
                <InvoiceTable invoices={rows} showCustomer={false} />
              )
            }
          </QueryState>
          <Group mt="sm">
            <Link to={`/invoices?customer=${customer.id}`}>All invoices of {customer.name}</Link>
          </Group>
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <CustomerPaymentsPanel customer={customer} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts" pt="md">
          <ContactsPanel customer={customer} canEdit={can(me.role, 'draft')} />
        </Tabs.Panel>
        <Tabs.Panel value="deals" pt="md">
          <DealsPanel customer={customer.id} />
        </Tabs.Panel>
        <Tabs.Panel value="statement" pt="md">
          <StatementPanel customer={customer} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <CustomerTimeline id={customer.id} />
        </Tabs.Panel>
        <Tabs.Panel value="details" pt="md">
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Detail label="Billing address">
                {a
                  ? [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.region, a.country]
                      .filter(Boolean)
                      .join(', ')
                  : '—'}
              </Detail>
              <Detail label="Phone">{customer.phone ?? '—'}</Detail>
              <Detail label="Payment terms">
                {customer.payment_terms_days === null
                  ? "Organization's default"
                  : `${customer.payment_terms_days} days`}
              </Detail>
              <Detail label="Peppol id">
                {customer.peppol_id ? `${customer.peppol_id.scheme}:${customer.peppol_id.id}` : '—'}
              </Detail>
              <Detail label="Reminders">{customer.reminders_paused ? 'Paused' : 'Active'}</Detail>
              <Detail label="Language">{customer.locale ?? "Organization's"}</Detail>
            </SimpleGrid>
          </Paper>
        </Tabs.Panel>
      </Tabs>
      {applyOpen ? (
        <ApplyCreditModal customer={customer} invoices={open.data ?? []} onClose={() => setApplyOpen(false)} />
      ) : null}
    </Stack>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function CustomerTimeline({ id }: { id: string }) {
  const events = useEvents({ customer: id, limit: 100 });
  return <QueryState query={events}>{(page) => <EventTimeline events={page.data} />}</QueryState>;
}
