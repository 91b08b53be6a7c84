import { Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { Settings } from '../../api/types';
import { AddressFields, addressFrom, addressToApi } from '../../components/AddressFields';
import { currencyOptions, timeZoneOptions } from '../../lib/options';
import { SettingsForm } from './SettingsForm';

const orNull = (s: string) => s.trim() || null;

export function OrganizationSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  return (
    <SettingsForm
      settings={settings}
      canEdit={canEdit}
      fields={[
        'legal_name',
        'address',
        'tax_id',
        'iban',
        'bic',
        'email',
        'phone',
        'peppol_id',
        'base_currency',
        'locale',
        'time_zone',
      ]}
      initial={(s) => ({
        legal_name: s.legal_name,
        address: addressFrom(s.address),
        tax_id: s.tax_id ?? '',
        iban: typeof s.iban === 'string' ? s.iban : '',
        bic: s.bic ?? '',
        email: s.email ?? '',
        phone: s.phone ?? '',
        peppol_scheme: s.peppol_id?.scheme ?? '',
        peppol_id: s.peppol_id?.id ?? '',
        base_currency: s.base_currency,
        locale: s.locale,
        time_zone: s.time_zone,
      })}
      toPatch={(f) => ({
        legal_name: f.legal_name,
        address: addressToApi(f.address),
        tax_id: orNull(f.tax_id),
        iban: orNull(f.iban),
        bic: orNull(f.bic),
        email: orNull(f.email),
        phone: orNull(f.phone),
        peppol_id:
          f.peppol_scheme.trim() && f.peppol_id.trim()
            ? { scheme: f.peppol_scheme.trim(), id: f.peppol_id.trim() }
            : null,
        base_currency: f.base_currency,
        locale: f.locale,
        time_zone: f.time_zone,
      })}
    >
      {(f, set, err) => (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Legal name"
              value={f.legal_name}
              onChange={(e) => set('legal_name', e.currentTarget.value)}
              error={err('legal_name')}
            />
            <TextInput
              label="Tax id (VAT number)"
              value={f.tax_id}
              onChange={(e) => set('tax_id', e.currentTarget.value)}
              error={err('tax_id')}
            />
            <TextInput
              label="Email"
              type="email"
              value={f.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={err('email')}
            />
            <TextInput
              label="Phone"
              value={f.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
              error={err('phone')}
            />
            <TextInput
              label="IBAN"
              value={f.iban}
              onChange={(e) => set('iban', e.currentTarget.value)}
              error={err('iban')}
            />
            <TextInput
              label="BIC"
              value={f.bic}
              onChange={(e) => set('bic', e.currentTarget.value)}
              error={err('bic')}
            />
            <TextInput
              label="Peppol scheme"
              placeholder="0088"
              value={f.peppol_scheme}
              onChange={(e) => set('peppol_scheme', e.currentTarget.value)}
              error={err('peppol_id.scheme')}
            />
            <TextInput
              label="Peppol id"
              value={f.peppol_id}
              onChange={(e) => set('peppol_id', e.currentTarget.value)}
              error={err('peppol_id.id') ?? err('peppol_id')}
            />
            <Select
              label="Base currency"
              data={currencyOptions()}
              searchable
              allowDeselect={false}
              value={f.base_currency}
              onChange={(v) => v && set('base_currency', v)}
              error={err('base_currency')}
            />
            <TextInput
              label="Locale"
              description="How amounts and dates are written, e.g. de-DE"
              value={f.locale}
              onChange={(e) => set('locale', e.currentTarget.value)}
              error={err('locale')}
            />
            <Select
              label="Time zone"
              description="Decides what “today” is"
              data={timeZoneOptions()}
              searchable
              allowDeselect={false}
              value={f.time_zone}
              onChange={(v) => v && set('time_zone', v)}
              error={err('time_zone')}
            />
          </SimpleGrid>
          <Title order={5}>Address</Title>
          <AddressFields value={f.address} onChange={(a) => set('address', a)} prefix="address" fieldError={err} />
        </Stack>
      )}
    </SettingsForm>
  );
}
