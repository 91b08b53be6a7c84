import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAmount } from '../money/money';
import type { Site } from '../platform/context';
import { IdParam } from '../platform/schemas';
import { OnlinePaymentOut, OnlineSummaryOut, OnlineSummaryQuery, StripeSettingsIn, StripeSettingsOut } from './schemas';
import * as service from './service';
import type { StripeConfig } from './stripe-transport';

const tags = ['Online payments'];

/** Stripe settings under /api/v1 (admin). */
export async function onlinePaymentSettingsRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/settings/payments/stripe',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'The Stripe account: on or off, methods, the last 4 characters of each key, the webhook URL',
        response: { 200: StripeSettingsOut },
      },
    },
    async (req) => service.getStripeSettings(req.ctx),
  );
  app.put(
    '/settings/payments/stripe',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Connect Stripe: keys are write-only (kept when left out), never shown again and never logged',
        body: StripeSettingsIn,
        response: { 200: StripeSettingsOut },
      },
    },
    async (req) => service.putStripeSettings(req.ctx, req.body),
  );
  app.get(
    '/invoices/:id/online_payments',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Payments of this invoice made online, with their Stripe ids',
        params: IdParam,
        response: { 200: z.object({ data: z.array(OnlinePaymentOut) }) },
      },
    },
    async (req) => ({
      data: (await service.onlinePaymentsOf(req.ctx, req.params.id)).map((r) => ({
        payment: r.paymentId,
        amount: formatAmount(r.amount, r.currency),
        currency: r.currency,
        payment_intent: r.paymentIntent,
        checkout_session: r.checkoutSession,
        refunded_amount: formatAmount(r.refundedAmount, r.currency),
        created_at: r.createdAt.toISOString(),
      })),
    }),
  );
  app.get(
    '/online_payments/summary',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'What customers paid online in a period (payment dates), per currency',
        querystring: OnlineSummaryQuery,
        response: { 200: OnlineSummaryOut },
      },
    },
    async (req) => service.onlineSummary(req.ctx, req.query.from, req.query.to),
  );
}

const TokenParam = z.object({ token: z.string().max(100) });
const KeyParam = z.object({ key: z.string().max(100) });

/** At the site root: "Pay now" from the hosted page, and Stripe's webhook (neither is under /api/v1). */
export function onlinePaymentPublicRoutes(site: Site, stripe: StripeConfig) {
  return async (app: FastifyInstance) => {
    // The hosted page's button is a plain HTML form; its body carries nothing we read.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    // Stripe signs the exact bytes it sent: the webhook keeps the body raw.
    // (The app's own JSON parser, with its input gate, stays for every other route: this plugin is encapsulated.)
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.post(
      '/i/:token/checkout',
      {
        config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { hide: true, params: TokenParam },
      },
      async (req, reply) => {
        const { token } = req.params as z.infer<typeof TokenParam>;
        return reply.redirect(await service.createCheckout(site, stripe, token), 303);
      },
    );

    app.post(
      '/webhooks/stripe/:key',
      { config: { access: 'public' }, schema: { hide: true, params: KeyParam } },
      async (req, reply) => {
        const { key } = req.params as z.infer<typeof KeyParam>;
        const account = await service.accountByWebhookKey(site, key);
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body ?? ''));
        const signature = req.headers['stripe-signature'];
        const event = service.verifyEvent(site, account, stripe, body, typeof signature === 'string' ? signature : '');
        await service.handleEvent(site, account, stripe, event);
        return reply.code(200).send({ received: true });
      },
    );
  };
}
