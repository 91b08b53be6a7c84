import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client';
import { useFieldErrors } from '../lib/field-errors';
import { navigate, useLocation } from '../lib/router';

/** Forgot password: asks for the email (a link is mailed), or, with the link's token, sets the new password. */
export function PasswordResetPage() {
  const { search } = useLocation();
  const token = search.get('token');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['email', 'password', 'token']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      if (token) {
        await call(api.POST('/api/v1/auth/password_reset/confirm', { body: { token, password } }));
        setDone('Your password is set. Sign in with it.');
      } else {
        await call(api.POST('/api/v1/auth/password_reset', { body: { email } }));
        setDone(
          'If this email belongs to a user, a link to choose a new password is on its way. It works for one hour.',
        );
      }
    } catch (err) {
      errors.setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={2}>{token ? 'Choose a new password' : 'Forgot your password?'}</Title>
            {done ? <Alert color="green">{done}</Alert> : null}
            {errors.formError ? <Alert color="red">{errors.formError}</Alert> : null}
            {errors.fieldError('token') ? <Alert color="red">{errors.fieldError('token')}</Alert> : null}
            {token ? (
              <PasswordInput
                label="New password"
                description="At least 8 characters"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={errors.fieldError('password')}
                autoComplete="new-password"
              />
            ) : (
              <TextInput
                label="Email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={errors.fieldError('email')}
                autoComplete="email"
              />
            )}
            {!done ? (
              <Button type="submit" loading={busy}>
                {token ? 'Set password' : 'Email me a link'}
              </Button>
            ) : null}
            <Text size="sm">
              <Button variant="subtle" size="compact-sm" onClick={() => navigate('/')}>
                Back to sign in
              </Button>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
