import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { saveReminderPolicy, useReminderPolicy } from '../../api/documents';
import type { ReminderPolicy, ReminderRun } from '../../api/types';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { formatDate } from '../../lib/dates';
import { useFieldErrors } from '../../lib/field-errors';
import { randomId } from '../../lib/ids';
import { formatMoney } from '../../lib/money';

type Step = ReminderPolicy['steps'][number];

const NEW_STEP: Step = {
  offset_days: 7,
  subject: 'Reminder: invoice {{ invoice.number }} is overdue',
  body: 'Dear {{ customer.name }},\n\ninvoice {{ invoice.number }} of {{ invoice.total }} was due on {{ invoice.due_date }}. Please pay it at {{ invoice.hosted_url }}.\n\nThank you.',
  late_fee: null,
};

/** When reminders go out and what they say (email templates with {{ placeholders }}), plus optional late fees. */
export function RemindersSettings({ canEdit }: { canEdit: boolean }) {
  const policy = useReminderPolicy();
  return (
    <QueryState query={policy} feature="Payment reminders">
      {(p) => (
        <Stack>
          <PolicyForm policy={editable(p)} canEdit={canEdit} />
          {canEdit ? <RunReminders /> : null}
        </Stack>
      )}
    </QueryState>
  );
}

/** The API echoes late fees as decimals of unknown JSON type; the form edits them as text. */
function editable(p: {
  enabled: boolean;
  steps: (Omit<Step, 'late_fee'> & { late_fee?: { amount?: unknown; percent?: unknown } | null })[];
}): ReminderPolicy {
  return {
    enabled: p.enabled,
    steps: p.steps.map((s) => ({
      ...s,
      late_fee: !s.late_fee
        ? null
        : s.late_fee.percent !== undefined && s.late_fee.percent !== null
          ? { percent: String(s.late_fee.percent) }
          : { amount: String(s.late_fee.amount ?? '0') },
    })),
  };
}

function PolicyForm({ policy, canEdit }: { policy: ReminderPolicy; canEdit: boolean }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<ReminderPolicy>(policy);
  // Stable keys for the steps while they are added and removed.
  const [keys, setKeys] = useState(() => policy.steps.map(() => randomId()));
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['enabled', 'steps']);
  const setStep = (i: number, step: Step) =>
    setForm({ ...form, steps: form.steps.map((s, j) => (j === i ? step : s)) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const saved = await saveReminderPolicy(form);
      qc.setQueryData(['reminder_policy'], saved);
      setForm(editable(saved));
      toast('Reminder policy saved');
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
        <Switch
          label="Send payment reminders"
          checked={form.enabled}
          disabled={!canEdit}
          onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
        />
        <Text size="sm" c="dimmed">
          Each step goes out the given number of days after the due date (negative: before it). Paused or disputed
          invoices and customers are skipped.
        </Text>
        {form.steps.map((step, i) => (
          <Paper key={keys[i]} withBorder p="md">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>Step {i + 1}</Text>
              {canEdit ? (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove step ${i + 1}`}
                  onClick={() => {
                    setForm({ ...form, steps: form.steps.filter((_, j) => j !== i) });
                    setKeys(keys.filter((_, j) => j !== i));
                  }}
                >
                  ×
                </ActionIcon>
              ) : null}
            </Group>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label="Days after due date"
                  inputMode="numeric"
                  value={String(step.offset_days)}
                  onChange={(e) => {
                    const n = Number.parseInt(e.currentTarget.value, 10);
                    setStep(i, { ...step, offset_days: Number.isNaN(n) ? 0 : n });
                  }}
                  error={errors.fieldError(`steps[${i}].offset_days`)}
                />
                <SegmentedControl
                  mt="lg"
                  value={step.late_fee ? (step.late_fee.percent !== undefined ? 'percent' : 'amount') : 'none'}
                  onChange={(v) =>
                    setStep(i, {
                      ...step,
                      late_fee: v === 'none' ? null : v === 'percent' ? { percent: '1' } : { amount: '5.00' },
                    })
                  }
                  data={[
                    { value: 'none', label: 'No fee' },
                    { value: 'amount', label: 'Fixed fee' },
                    { value: 'percent', label: '% fee' },
                  ]}
                />
                {step.late_fee ? (
                  <TextInput
                    label={step.late_fee.percent !== undefined ? 'Late fee (% of amount due)' : 'Late fee amount'}
                    inputMode="decimal"
                    value={String(step.late_fee.percent ?? step.late_fee.amount ?? '')}
                    onChange={(e) =>
                      setStep(i, {
                        ...step,
                        late_fee:
                          step.late_fee?.percent !== undefined
                            ? { percent: e.currentTarget.value }
                            : { amount: e.currentTarget.value },
                      })
                    }
                    error={errors.fieldError(`steps[${i}].late_fee`)}
                  />
                ) : null}
              </SimpleGrid>
              <TextInput
                label="Email subject"
                value={step.subject}
                onChange={(e) => setStep(i, { ...step, subject: e.currentTarget.value })}
                error={errors.fieldError(`steps[${i}].subject`)}
              />
              <Textarea
                label="Email text"
                description="Placeholders like {{ customer.name }}, {{ invoice.number }}, {{ invoice.amount_due }}, {{ invoice.hosted_url }}"
                autosize
                minRows={4}
                value={step.body}
                onChange={(e) => setStep(i, { ...step, body: e.currentTarget.value })}
                error={errors.fieldError(`steps[${i}].body`)}
              />
            </Stack>
          </Paper>
        ))}
        {canEdit ? (
          <Group>
            <Button
              variant="light"
              onClick={() => {
                setForm({
                  ...form,
                  steps: [...form.steps, { ...NEW_STEP, offset_days: (form.steps.at(-1)?.offset_days ?? 0) + 7 }],
                });
                setKeys([...keys, randomId()]);
              }}
            >
              Add step
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

/** Shows who would get which reminder and fee on a date (nothing sent), then sends them once confirmed. */
function RunReminders() {
  const [asOf, setAsOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ReminderRun | null>(null);
  const [result, setResult] = useState<ReminderRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const request = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call(
        api.POST('/api/v1/reminders/run', { body: { ...(asOf ? { as_of: asOf } : {}), dry_run: dryRun } }),
      );
      if (dryRun) {
        setResult(null);
        setPreview(answer);
      } else {
        setPreview(null);
        setResult(answer);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Text fw={600}>Run reminders now</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Reminders go out every day by themselves; this sends what is due on a date at once, after showing you who gets
        what. Each step goes to an invoice only once.
      </Text>
      <Group align="flex-end">
        <TextInput
          type="date"
          label="As of"
          description="Empty: today"
          value={asOf}
          onChange={(e) => setAsOf(e.currentTarget.value)}
        />
        <Button onClick={() => request(true)} loading={busy && !preview} data-testid="reminders-preview">
          Preview due reminders
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      {preview ? (
        <Stack mt="sm" gap="xs" data-testid="reminders-preview-result">
          <Text fw={600}>
            {preview.reminders.length === 0
              ? 'No reminder is due on this date.'
              : `${preview.reminders.length} reminder${preview.reminders.length === 1 ? '' : 's'} would be sent (nothing is sent yet):`}
          </Text>
          {preview.reminders.length > 0 ? (
            <Table.ScrollContainer minWidth={600}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Invoice</Table.Th>
                    <Table.Th>Step</Table.Th>
                    <Table.Th ta="right">Due</Table.Th>
                    <Table.Th ta="right">Late fee</Table.Th>
                    <Table.Th>To</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.reminders.map((r) => (
                    <Table.Tr key={r.invoice}>
                      <Table.Td>{r.customer_name}</Table.Td>
                      <Table.Td>{r.invoice_number}</Table.Td>
                      <Table.Td>
                        {r.offset_days === 0
                          ? 'on the due date'
                          : r.offset_days < 0
                            ? `${-r.offset_days} days before due`
                            : `${r.offset_days} days overdue`}
                      </Table.Td>
                      <Table.Td ta="right">{formatMoney(r.amount_due, r.currency)}</Table.Td>
                      <Table.Td ta="right">{r.late_fee ? formatMoney(r.late_fee, r.currency) : '—'}</Table.Td>
                      <Table.Td>{r.to.length ? r.to.join(', ') : 'no email address'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
          {preview.errors.map((e) => (
            <Alert key={e.invoice} color="orange">
              {e.message}
            </Alert>
          ))}
          <Group>
            <Button
              onClick={() => request(false)}
              loading={busy}
              disabled={preview.reminders.length === 0}
              data-testid="reminders-confirm"
            >
              Send {preview.reminders.length} reminder{preview.reminders.length === 1 ? '' : 's'}
            </Button>
            <Button variant="default" onClick={() => setPreview(null)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : null}
      {result ? (
        <Alert color="green" mt="sm" data-testid="reminders-result">
          {result.sent} reminder{result.sent === 1 ? '' : 's'} done, {result.skipped} earlier step
          {result.skipped === 1 ? '' : 's'} skipped (as of {formatDate(result.as_of)}). Each invoice's Emails list shows
          whether its mail went out.
        </Alert>
      ) : null}
    </Paper>
  );
}
