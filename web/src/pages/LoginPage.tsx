import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call, setCsrfToken } from '../api/client';
import { rememberSignedIn } from '../api/session';
import { useFieldErrors } from '../lib/field-errors';
import { navigate } from '../lib/router';

export function LoginPage() {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['email', 'password']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const res = await call(api.POST('/api/v1/auth/login', { body: { email, password } }));
      setCsrfToken(res.csrf_token);
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
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2}>Sign in to Arbor</Title>
              <Text c="dimmed" size="sm">
                Invoicing and receivables.
              </Text>
            </div>
            {errors.formError ? (
              <Alert color="red" role="alert">
                {errors.formError}
              </Alert>
            ) : null}
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errors.fieldError('email')}
              name="email"
              autoComplete="username"
              autoFocus
            />
            <PasswordInput
              label="Password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={errors.fieldError('password')}
              name="password"
              autoComplete="current-password"
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Button variant="subtle" size="compact-sm" onClick={() => navigate('/reset-password')}>
              Forgot your password?
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
