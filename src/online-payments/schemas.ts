import { z } from 'zod';
import { IsoDate } from '../platform/schemas';

export const ONLINE_METHODS = ['card', 'sepa_debit', 'link', 'paypal', 'bancontact', 'ideal', 'sofort', 'eps'] as const;

export const StripeSettingsIn = z
  .object({
    secret_key: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'Must be a Stripe secret or restricted key (sk_… or rk_…)')
      .optional()
      .meta({ description: 'Write-only; kept when left out' }),
    webhook_secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{8,}$/, 'Must be a webhook signing secret (whsec_…)')
      .optional()
      .meta({ description: 'Write-only; kept when left out' }),
    methods: z.array(z.enum(ONLINE_METHODS)).min(1).max(ONLINE_METHODS.length).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type StripeSettingsIn = z.output<typeof StripeSettingsIn>;

export const StripeSettingsOut = z.object({
  enabled: z.boolean(),
  methods: z.array(z.enum(ONLINE_METHODS)),
  secret_key_last4: z.string().nullable(),
  webhook_secret_last4: z.string().nullable(),
  webhook_url: z.string().nullable().meta({ description: 'Give this URL to Stripe as the webhook endpoint' }),
});
export type StripeSettingsOut = z.infer<typeof StripeSettingsOut>;

export const OnlinePaymentOut = z.object({
  payment: z.string().nullable(),
  amount: z.string(),
  currency: z.string(),
  payment_intent: z.string(),
  checkout_session: z.string().nullable(),
  refunded_amount: z.string(),
  created_at: z.string(),
});

export const OnlineSummaryQuery = z.object({ from: IsoDate, to: IsoDate });
export const OnlineSummaryOut = z.object({
  from: z.string(),
  to: z.string(),
  currencies: z.array(
    z.object({ currency: z.string(), count: z.number().int(), amount: z.string(), refunded: z.string() }),
  ),
});
