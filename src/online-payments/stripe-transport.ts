import Stripe from 'stripe';

/** Where the SDK talks to: Stripe's own API, or a local stand-in (STRIPE_API_BASE) in tests. */
export interface StripeConfig {
  apiBase: string | null;
}

/** The official SDK for one organization's secret key. */
export function stripeClient(secretKey: string, config: StripeConfig): Stripe {
  if (!config.apiBase) return new Stripe(secretKey, { maxNetworkRetries: 2 });
  const base = new URL(config.apiBase);
  return new Stripe(secretKey, {
    host: base.hostname,
    port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 2,
  });
}
