import { Alert, Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useActivityActions } from '../api/activities';
import type { ActivityInput, ActivityType } from '../api/types';
import { useFieldErrors } from '../lib/field-errors';
import { toast } from './Toasts';

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  task: 'Task',
  note: 'Note',
};

/** Logs a call, email, meeting, task or note; owned by the signed-in user. */
export function ActivityModal({
  related,
  defaultDue,
  onClose,
}: {
  related?: ActivityInput['related'];
  defaultDue?: string;
  onClose: () => void;
}) {
  const { create } = useActivityActions();
  const [form, setForm] = useState({ type: 'call' as ActivityType, subject: '', due_date: defaultDue ?? '', body: '' });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['type', 'subject', 'due_date', 'body', 'related.id']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await create({
        type: form.type,
        subject: form.subject,
        due_date: form.due_date || null,
        body: form.body.trim() || null,
        ...(related ? { related } : {}),
      });
      toast('Activity added');
      onClose();
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Add activity">
      <form onSubmit={submit} noValidate data-testid="activity-form">
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <Select
            label="Type"
            data={Object.entries(ACTIVITY_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
            value={form.type}
            onChange={(v) => v && setForm({ ...form, type: v as ActivityType })}
            allowDeselect={false}
            error={errors.fieldError('type')}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Subject"
            required
            value={form.subject}
            onChange={(e) => setForm({ ...form, subject: e.currentTarget.value })}
            error={errors.fieldError('subject')}
            data-autofocus
          />
          <TextInput
            label="Due date"
            type="date"
            value={form.due_date}
            onChange={(e) => setForm({ ...form, due_date: e.currentTarget.value })}
            error={errors.fieldError('due_date')}
          />
          <Textarea
            label="Notes"
            autosize
            minRows={2}
            value={form.body}
            onChange={(e) => setForm({ ...form, body: e.currentTarget.value })}
            error={errors.fieldError('body') ?? errors.fieldError('related.id')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
