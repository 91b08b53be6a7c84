import { Alert, Button, Checkbox, Code, CopyButton, Group, PasswordInput, Stack, Switch, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorAlert, QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { useFieldErrors } from '../../lib/field-errors';

const METHODS = [
  { value: 'card', label: 'Cards, Apple Pay and Google Pay' },
  { value: 'sepa_debit', label: 'SEPA Direct Debit (EUR invoices)' },
] as const;
type Method = (typeof METHODS)[number]['value'];

/** Stripe: keys are write-only, so the form shows their last four characters and leaves them unchanged when empty. */
export function OnlinePaymentsSettings({ canEdit }: { canEdit: boolean }) {
  const qc = useQueryClient();
  const stripe = useQuery({
    queryKey: ['settings', 'payments', 'stripe'],
    queryFn: () => call(api.GET('/api/v1/settings/payments/stripe')),
  });
  const [secretKey, setSecretKey] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [methods, setMethods] = useState<Method[]>(['card']);
  const [saving, setSaving] = useState(false);
  const errors = useFieldErrors(['secret_key', 'webhook_secret', 'methods']);

  useEffect(() => {
    if (!stripe.data) return;
    setEnabled(stripe.data.enabled);
    setMethods(stripe.data.methods.filter((m): m is Method => METHODS.some((x) => x.value === m)));
  }, [stripe.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    setSaving(true);
    try {
      await call(
        api.PUT('/api/v1/settings/payments/stripe', {
          body: {
            enabled,
            methods,
            ...(secretKey ? { secret_key: secretKey } : {}),
            ...(webhookSecret ? { webhook_secret: webhookSecret } : {}),
          },
        }),
      );
      setSecretKey('');
      setWebhookSecret('');
      await qc.invalidateQueries({ queryKey: ['settings', 'payments', 'stripe'] });
      toast('Online payments saved');
    } catch (err) {
      errors.setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <QueryState query={stripe}>
      {(s) => (
        <form onSubmit={save}>
          <Stack maw={560}>
            <Text size="sm" c="dimmed">
              With Stripe on, every open invoice gets a “Pay now” button on its page and a pay link in its emails.
              Payments are recorded on the invoice when Stripe confirms them; refunds made in Stripe are recorded too.
            </Text>
            <Switch
              label="Accept online payments through Stripe"
              checked={enabled}
              disabled={!canEdit}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />
            <PasswordInput
              label="Secret key"
              description={
                s.secret_key_last4
                  ? `Saved, ends in …${s.secret_key_last4}. Leave empty to keep it.`
                  : 'sk_live_… or sk_test_… from the Stripe dashboard'
              }
              value={secretKey}
              disabled={!canEdit}
              autoComplete="off"
              onChange={(e) => setSecretKey(e.currentTarget.value)}
              error={errors.fieldError('secret_key')}
            />
            <PasswordInput
              label="Webhook signing secret"
              description={
                s.webhook_secret_last4
                  ? `Saved, ends in …${s.webhook_secret_last4}. Leave empty to keep it.`
                  : 'whsec_… of the webhook endpoint below'
              }
              value={webhookSecret}
              disabled={!canEdit}
              autoComplete="off"
              onChange={(e) => setWebhookSecret(e.currentTarget.value)}
              error={errors.fieldError('webhook_secret')}
            />
            <Checkbox.Group
              label="Payment methods"
              value={methods}
              onChange={(v) => setMethods(v as Method[])}
              error={errors.fieldError('methods')}
            >
              <Stack gap={6} mt={6}>
                {METHODS.map((m) => (
                  <Checkbox key={m.value} value={m.value} label={m.label} disabled={!canEdit} />
                ))}
              </Stack>
            </Checkbox.Group>
            {s.webhook_url ? (
              <Alert variant="light" title="Webhook endpoint for Stripe">
                <Text size="sm">
                  In Stripe, add this endpoint with the events checkout.session.completed,
                  checkout.session.async_payment_succeeded, checkout.session.async_payment_failed and charge.refunded:
                </Text>
                <Group gap="xs" mt={6} wrap="nowrap">
                  <Code style={{ overflowWrap: 'anywhere', flex: 1 }}>{s.webhook_url}</Code>
                  <CopyButton value={s.webhook_url}>
                    {({ copied, copy }) => (
                      <Button size="compact-xs" variant="light" onClick={copy} style={{ flexShrink: 0 }}>
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </Alert>
            ) : null}
            {errors.formError ? <ErrorAlert error={new Error(errors.formError)} /> : null}
            {canEdit ? (
              <Group>
                <Button type="submit" loading={saving}>
                  Save
                </Button>
              </Group>
            ) : null}
          </Stack>
        </form>
      )}
    </QueryState>
  );
}
