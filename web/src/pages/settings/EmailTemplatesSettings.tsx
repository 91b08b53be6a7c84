import { Alert, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { saveEmailTemplates, useEmailTemplates } from '../../api/documents';
import type { EmailTemplates } from '../../api/types';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

const KINDS: { key: keyof EmailTemplates; title: string; hint: string }[] = [
  {
    key: 'invoice',
    title: 'Invoice',
    hint: '{{ customer.name }}, {{ invoice.number }}, {{ invoice.total }}, {{ invoice.due_date }}, {{ invoice.hosted_url }}, {{ message }}',
  },
  {
    key: 'reminder',
    title: 'Reminder (default text of new steps)',
    hint: '{{ invoice.amount_due }}, {{ invoice.number }}, {{ invoice.hosted_url }}',
  },
  {
    key: 'statement',
    title: 'Statement',
    hint: '{{ statement.from }}, {{ statement.to }}, {{ statement.closing_balance }}',
  },
  { key: 'quote', title: 'Quote', hint: '{{ quote.number }}, {{ quote.hosted_url }}' },
];

/** The emails Arbor sends, as Liquid templates (escaped and sandboxed on the server). */
export function EmailTemplatesSettings({ canEdit }: { canEdit: boolean }) {
  const templates = useEmailTemplates();
  return (
    <QueryState query={templates} feature="Email templates">
      {(t) => <TemplatesForm templates={t} canEdit={canEdit} />}
    </QueryState>
  );
}

function TemplatesForm({ templates, canEdit }: { templates: EmailTemplates; canEdit: boolean }) {
  const qc = useQueryClient();
  const [form, setForm] = useState(templates);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(KINDS.map((k) => k.key));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const saved = await saveEmailTemplates(form);
      qc.setQueryData(['email_templates'], saved);
      toast('Email templates saved');
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
        {KINDS.map(({ key, title, hint }) => (
          <Paper key={key} withBorder p="md">
            <Title order={5}>{title}</Title>
            <Text size="xs" c="dimmed" mb="xs">
              Placeholders: {hint}, {'{{ organization.name }}'}
            </Text>
            <Stack gap="xs">
              <TextInput
                label="Subject"
                disabled={!canEdit}
                value={form[key].subject}
                onChange={(e) => setForm({ ...form, [key]: { ...form[key], subject: e.currentTarget.value } })}
                error={errors.fieldError(`${key}.subject`)}
              />
              <Textarea
                label="Text"
                autosize
                minRows={4}
                disabled={!canEdit}
                value={form[key].body}
                onChange={(e) => setForm({ ...form, [key]: { ...form[key], body: e.currentTarget.value } })}
                error={errors.fieldError(`${key}.body`)}
              />
            </Stack>
          </Paper>
        ))}
        {canEdit ? (
          <Group>
            <Button type="submit" loading={busy}>
              Save templates
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
