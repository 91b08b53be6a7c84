import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, call } from '../../api/client';
import type { Settings, SettingsPatch } from '../../api/types';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

/** A section of the organization settings: local form state, one PATCH on save, errors next to their fields. */
export function SettingsForm<F>({
  settings,
  initial,
  toPatch,
  fields,
  children,
  canEdit,
}: {
  settings: Settings;
  initial: (s: Settings) => F;
  toPatch: (form: F) => SettingsPatch;
  fields: readonly string[];
  children: (
    form: F,
    set: <K extends keyof F>(k: K, v: F[K]) => void,
    fieldError: (p: string) => string | undefined,
  ) => ReactNode;
  canEdit: boolean;
}) {
  const qc = useQueryClient();
  const [form, setForm] = useState<F>(() => initial(settings));
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(fields);
  const set = <K extends keyof F>(k: K, v: F[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const saved = await call(api.PATCH('/api/v1/settings', { body: toPatch(form) }));
      qc.setQueryData(['settings'], saved);
      toast('Settings saved');
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Paper withBorder p="md">
        <Stack>
          {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
          <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
            {children(form, set, errors.fieldError)}
          </fieldset>
          {canEdit ? (
            <Group>
              <Button type="submit" loading={busy}>
                Save
              </Button>
            </Group>
          ) : null}
        </Stack>
      </Paper>
    </form>
  );
}
