import { NumberInput, SimpleGrid, TextInput } from '@mantine/core';
import type { Settings } from '../../api/types';
import { SettingsForm } from './SettingsForm';

export function TermsSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  return (
    <SettingsForm
      settings={settings}
      canEdit={canEdit}
      fields={['payment_terms_days', 'write_off_limit']}
      initial={(s) => ({
        payment_terms_days: s.payment_terms_days,
        write_off_limit: typeof s.write_off_limit === 'string' ? s.write_off_limit : String(s.write_off_limit ?? '0'),
      })}
      toPatch={(f) => ({ payment_terms_days: f.payment_terms_days, write_off_limit: f.write_off_limit.trim() })}
    >
      {(f, set, err) => (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="Payment terms (days)"
            description="Due date = issue date + these days, unless the customer or invoice says otherwise"
            min={0}
            max={3650}
            allowDecimal={false}
            value={f.payment_terms_days}
            onChange={(v) => set('payment_terms_days', typeof v === 'number' ? v : 0)}
            error={err('payment_terms_days')}
          />
          <TextInput
            label={`Write-off limit (${settings.base_currency})`}
            description="The largest remaining difference that may be written off on an invoice"
            inputMode="decimal"
            value={f.write_off_limit}
            onChange={(e) => set('write_off_limit', e.currentTarget.value)}
            error={err('write_off_limit')}
          />
        </SimpleGrid>
      )}
    </SettingsForm>
  );
}
