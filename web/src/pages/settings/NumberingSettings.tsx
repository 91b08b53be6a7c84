import { Checkbox, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { Settings } from '../../api/types';
import { SettingsForm } from './SettingsForm';

/** "INV-{YYYY}-{seq:6}" with start 1 -> "INV-2025-000001": what the next number in a fresh series looks like. */
export function previewNumber(format: string, start: number, year: string): string {
  return format
    .replace(/\{YYYY\}/g, year)
    .replace(/\{seq(?::(\d{1,2}))?\}/g, (_, n: string | undefined) => String(start).padStart(Number(n ?? 0), '0'));
}

export function NumberingSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const year = String(new Date().getFullYear());
  return (
    <SettingsForm
      settings={settings}
      canEdit={canEdit}
      fields={[
        'invoice_number_format',
        'invoice_number_start',
        'credit_note_number_format',
        'enforce_chronological_numbering',
      ]}
      initial={(s) => ({
        invoice_number_format: s.invoice_number_format,
        invoice_number_start: s.invoice_number_start,
        credit_note_number_format: s.credit_note_number_format,
        enforce_chronological_numbering: s.enforce_chronological_numbering,
      })}
      toPatch={(f) => f}
    >
      {(f, set, err) => (
        <Stack>
          <Text size="sm" c="dimmed">
            {'{YYYY}'} is the issue date's year, {'{seq:N}'} the sequence padded to N digits. Numbers are gapless per
            series.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Invoice numbers"
              value={f.invoice_number_format}
              onChange={(e) => set('invoice_number_format', e.currentTarget.value)}
              description={`Next in a new series: ${previewNumber(f.invoice_number_format, f.invoice_number_start, year)}`}
              error={err('invoice_number_format')}
            />
            <NumberInput
              label="Start at"
              min={1}
              allowDecimal={false}
              value={f.invoice_number_start}
              onChange={(v) => set('invoice_number_start', typeof v === 'number' ? v : 1)}
              error={err('invoice_number_start')}
            />
            <TextInput
              label="Credit note numbers"
              value={f.credit_note_number_format}
              onChange={(e) => set('credit_note_number_format', e.currentTarget.value)}
              description={`Next in a new series: ${previewNumber(f.credit_note_number_format, 1, year)}`}
              error={err('credit_note_number_format')}
            />
          </SimpleGrid>
          <Checkbox
            label="Issue dates may not go backwards within a series"
            checked={f.enforce_chronological_numbering}
            onChange={(e) => set('enforce_chronological_numbering', e.currentTarget.checked)}
          />
        </Stack>
      )}
    </SettingsForm>
  );
}
