import {
  AppShell,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  Progress,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useIsFetching } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useMe, useSignOut } from '../api/session';
import { can } from '../lib/roles';
import { navigate, useLocation } from '../lib/router';
import { GlobalSearch } from './GlobalSearch';

interface NavItem {
  to: string;
  label: string;
  show?: boolean;
  children?: NavItem[];
}

/** Header, role-aware navigation (a drawer at phone width) and the page. */
export function AppLayout({ children }: { children: ReactNode }) {
  const me = useMe();
  const signOut = useSignOut();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { path } = useLocation();
  const fetching = useIsFetching();
  useEffect(() => {
    if (path) close();
  }, [path, close]);

  const items: NavItem[] = [
    { to: '/', label: 'Dashboard' },
    { to: '/my-day', label: 'My day', show: can(me.role, 'draft') },
    { to: '/customers', label: 'Customers' },
    { to: '/invoices', label: 'Invoices' },
    { to: '/payments', label: 'Payments' },
    { to: '/credit-notes', label: 'Credit notes' },
    { to: '/collections', label: 'Collections', show: can(me.role, 'finance') },
    {
      to: '/sales',
      label: 'Quotes and billing',
      children: [
        { to: '/pipeline', label: 'Pipeline' },
        { to: '/leads', label: 'Leads' },
        { to: '/quotes', label: 'Quotes' },
        { to: '/orders', label: 'Orders' },
        { to: '/subscriptions', label: 'Subscriptions' },
        { to: '/bill-runs', label: 'Bill runs' },
      ],
    },
    {
      to: '/reports',
      label: 'Reports',
      children: [
        { to: '/reports/aging', label: 'Aging' },
        { to: '/reports/summary', label: 'Summary' },
        { to: '/reports/forecast', label: 'Forecast' },
        { to: '/reports/sales', label: 'Sales' },
        { to: '/reports/trial-balance', label: 'Trial balance' },
      ],
    },
    { to: '/bank', label: 'Bank', show: can(me.role, 'finance') },
    { to: '/integrations', label: 'Integrations', show: can(me.role, 'finance') },
    { to: '/settings', label: 'Settings', show: can(me.role, 'finance') },
  ];

  const isActive = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        {fetching > 0 ? (
          <Progress
            value={100}
            animated
            striped
            size={3}
            radius={0}
            aria-label="Loading"
            style={{ position: 'absolute', top: 0, left: 0, right: 0 }}
          />
        ) : null}
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <UnstyledButton onClick={() => navigate('/')}>
              <Text fw={700} size="lg" c="teal.8">
                Arbor
              </Text>
            </UnstyledButton>
            <Text size="sm" c="dimmed" visibleFrom="xs" truncate maw={220}>
              {me.organization.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <GlobalSearch />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="subtle" size="compact-sm" data-testid="user-menu">
                  <Text size="sm" truncate maw={160}>
                    {me.user?.name ?? me.user?.email ?? 'Signed in'}
                  </Text>
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.user?.email} · {me.role}
                </Menu.Label>
                <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <AppShell.Section grow component={ScrollArea}>
          {items
            .filter((i) => i.show !== false)
            .map((item) =>
              item.children ? (
                <NavLink key={item.to} label={item.label} defaultOpened childrenOffset="sm">
                  {item.children.map((c) => (
                    <NavLink
                      key={c.to}
                      href={c.to}
                      label={c.label}
                      active={isActive(c.to)}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(c.to);
                      }}
                    />
                  ))}
                </NavLink>
              ) : (
                <NavLink
                  key={item.to}
                  href={item.to}
                  label={item.label}
                  active={isActive(item.to)}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(item.to);
                  }}
                />
              ),
            )}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm">
            Signed in as {me.role}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
