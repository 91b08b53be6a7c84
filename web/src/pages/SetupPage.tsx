import { Alert, Button, Center, Paper, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call, setCsrfToken } from '../api/client';
import { rememberSignedIn } from '../api/session';
import { useFieldErrors } from '../lib/field-errors';
import { browserTimeZone, currencyOptions, timeZoneOptions } from '../lib/options';

/** First run: no organization exists yet. Creates it and its admin, and signs in. */
export function SetupPage() {
  const qc = useQueryClient();
  const [form, setForm] = useState({
    org_name: '',
    currency: 'EUR',
    email: '',
    password: '',
    time_zone: browserTimeZone(),
  });
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['org_name', 'currency', 'email', 'password', 'time_zone']);
  const set = (k: keyof typeof form) => (v: string | null) => setForm((f) => ({ ...f, [k]: v ?? '' }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      await call(api.POST('/api/v1/setup', { body: form }));
      const csrf = await call(api.GET('/api/v1/auth/csrf'));
      setCsrfToken(csrf.csrf_token);
      rememberSignedIn(true);
      await qc.invalidateQueries({ queryKey: ['session'] });
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2}>Welcome to Arbor</Title>
              <Text c="dimmed" size="sm">
                Set up your organization and its first administrator. You can change everything later in Settings.
              </Text>
            </div>
            {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
            <TextInput
              label="Organization name"
              required
              value={form.org_name}
              onChange={(e) => set('org_name')(e.currentTarget.value)}
              error={errors.fieldError('org_name')}
              name="org_name"
              autoFocus
            />
            <Select
              label="Currency"
              description="Your base currency; each customer can have its own."
              data={currencyOptions()}
              value={form.currency}
              onChange={set('currency')}
              searchable
              allowDeselect={false}
              error={errors.fieldError('currency')}
              name="currency"
            />
            <Select
              label="Time zone"
              description="Decides what “today” is for due dates and reports."
              data={timeZoneOptions()}
              value={form.time_zone}
              onChange={set('time_zone')}
              searchable
              allowDeselect={false}
              error={errors.fieldError('time_zone')}
              name="time_zone"
            />
            <TextInput
              label="Your email"
              type="email"
              required
              value={form.email}
              onChange={(e) => set('email')(e.currentTarget.value)}
              error={errors.fieldError('email')}
              name="email"
              autoComplete="username"
            />
            <PasswordInput
              label="Password"
              description="At least 8 characters."
              required
              value={form.password}
              onChange={(e) => set('password')(e.currentTarget.value)}
              error={errors.fieldError('password')}
              name="password"
              autoComplete="new-password"
            />
            <Button type="submit" loading={busy}>
              Create organization
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
