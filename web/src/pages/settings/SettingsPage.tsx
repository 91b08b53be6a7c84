import { Select, Stack, Tabs } from '@mantine/core';
import { useMe, useSettings } from '../../api/session';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';
import { BankAccounts } from '../bank/BankPage';
import { ApiKeysSettings } from './ApiKeysSettings';
import { BrandingSettings } from './BrandingSettings';
import { EmailTemplatesSettings } from './EmailTemplatesSettings';
import { IntegritySettings } from './IntegritySettings';
import { NumberingSettings } from './NumberingSettings';
import { OnlinePaymentsSettings } from './OnlinePaymentsSettings';
import { OrganizationSettings } from './OrganizationSettings';
import { ProductsSettings } from './ProductsSettings';
import { RemindersSettings } from './RemindersSettings';
import { TaxRatesSettings } from './TaxRatesSettings';
import { TermsSettings } from './TermsSettings';
import { TerritoriesSettings } from './TerritoriesSettings';
import { UsersSettings } from './UsersSettings';
import { WebhooksSettings } from './WebhooksSettings';

const TABS = [
  { value: 'organization', label: 'Organization', admin: true },
  { value: 'branding', label: 'Branding', admin: true },
  { value: 'numbering', label: 'Numbering', admin: true },
  { value: 'terms', label: 'Payment terms', admin: true },
  { value: 'tax-rates', label: 'Tax rates', admin: false },
  { value: 'products', label: 'Products', admin: false },
  { value: 'territories', label: 'Territories', admin: false },
  { value: 'users', label: 'Users and roles', admin: true },
  { value: 'api-keys', label: 'API keys', admin: true },
  { value: 'online-payments', label: 'Online payments', admin: true },
  { value: 'webhooks', label: 'Webhooks', admin: true },
  { value: 'bank-accounts', label: 'Bank accounts', admin: false },
  { value: 'reminders', label: 'Reminders', admin: true },
  { value: 'emails', label: 'Email templates', admin: true },
  { value: 'check', label: 'Integrity check', admin: true },
] as const;

/** Admins see every section; finance manages the catalog (tax rates, products). */
export function SettingsPage({ params }: { params: Record<string, string> }) {
  const me = useMe();
  const settings = useSettings();
  const admin = can(me.role, 'admin');
  const finance = can(me.role, 'finance');
  const tabs = TABS.filter((t) => admin || (!t.admin && finance));
  const tab = tabs.find((t) => t.value === params.tab)?.value ?? tabs[0]?.value;
  const mobile = useIsMobile();
  if (!tab) return <EmptyState title="Nothing to set here">Settings are for administrators and finance.</EmptyState>;

  return (
    <Stack>
      <PageHeader title="Settings" />
      <Tabs value={tab} onChange={(v) => v && navigate(`/settings/${v}`, { replace: true })} keepMounted={false}>
        {mobile ? (
          // Twelve tabs do not fit a phone: a list to choose the section from does.
          <Select
            aria-label="Section"
            data={tabs.map((t) => ({ value: t.value, label: t.label }))}
            value={tab}
            allowDeselect={false}
            onChange={(v) => v && navigate(`/settings/${v}`, { replace: true })}
          />
        ) : (
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.value} value={t.value} style={{ whiteSpace: 'nowrap' }}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        )}
        <Tabs.Panel value={tab} pt="md">
          <QueryState query={settings}>
            {(s) => (
              <>
                {tab === 'organization' ? <OrganizationSettings settings={s} canEdit={admin} /> : null}
                {tab === 'branding' ? <BrandingSettings settings={s} canEdit={admin} /> : null}
                {tab === 'numbering' ? <NumberingSettings settings={s} canEdit={admin} /> : null}
                {tab === 'terms' ? <TermsSettings settings={s} canEdit={admin} /> : null}
                {tab === 'tax-rates' ? <TaxRatesSettings canEdit={finance} /> : null}
                {tab === 'products' ? <ProductsSettings canEdit={finance} /> : null}
                {tab === 'territories' ? <TerritoriesSettings canEdit={finance} /> : null}
                {tab === 'users' ? <UsersSettings /> : null}
                {tab === 'api-keys' ? <ApiKeysSettings /> : null}
                {tab === 'online-payments' ? <OnlinePaymentsSettings canEdit={admin} /> : null}
                {tab === 'webhooks' ? <WebhooksSettings /> : null}
                {tab === 'bank-accounts' ? <BankAccounts /> : null}
                {tab === 'reminders' ? <RemindersSettings canEdit={admin} /> : null}
                {tab === 'emails' ? <EmailTemplatesSettings canEdit={admin} /> : null}
                {tab === 'check' ? <IntegritySettings /> : null}
              </>
            )}
          </QueryState>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
