import { createApiKeyFor } from '../../src/organizations/service';
import { rows, sql } from '../../src/platform/db';
import type { RunningServer } from '../../src/platform/server';
import { apiRequest } from '../helpers/server';
import { type StripeStandIn, signedEvent } from '../online-payments/stripe-stand-in';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;
const WEBHOOK_SECRET = 'whsec_ZTJlc2VjcmV0Zm9yYXJib3JlMmV0ZXN0cw==';

/**
 * The admin connects Stripe in settings; a customer on a phone opens the hosted page, sees "Pay now" and is sent to
 * (the stand-in for) Stripe Checkout; Stripe's signed webhook records the payment, which the invoice page shows.
 */
export async function onlinePaymentsFlow(
  run: Run,
  admin: Browser,
  phone: Browser,
  server: RunningServer,
  stripe: StripeStandIn,
) {
  let webhookUrl = '';
  await run.step(`${admin.label}: connect Stripe in settings`, admin, async () => {
    const { page } = admin;
    await admin.goto('/settings/online-payments');
    await page.getByLabel('Accept online payments through Stripe').check();
    await page.getByLabel('Secret key').fill('sk_test_51ArborBrowserTest0000');
    await page.getByLabel('Webhook signing secret').fill(WEBHOOK_SECRET);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Webhook endpoint for Stripe').waitFor({ timeout: TIMEOUT });
    webhookUrl = (await page.locator('code', { hasText: '/webhooks/stripe/' }).innerText()).trim();
    assert(/\/webhooks\/stripe\/[A-Za-z0-9_-]{20,}$/.test(webhookUrl), `webhook URL shown: ${webhookUrl}`);
    assert(await page.getByText('Saved, ends in …0000').isVisible(), 'the secret key is shown by its last 4 only');
    await admin.shot('settings-online-payments');
  });

  // An open invoice of the organization the flows set up, made through the API.
  const [org] = await rows<{ id: string }>(
    server.database.db,
    sql`select id from organizations order by created_at limit 1`,
  );
  assert(org, 'an organization exists');
  const { secret } = await createApiKeyFor(
    { db: server.database.db, clock: server.clock },
    org.id,
    'e2e online',
    'admin',
  );
  const auth = { authorization: `Bearer ${secret}` };
  const customer = (
    await apiRequest(server.url, 'POST', '/api/v1/customers', { name: 'Pay Online GmbH', currency: 'EUR' }, auth)
  ).body;
  const rate = (
    await apiRequest(
      server.url,
      'POST',
      '/api/v1/tax_rates',
      { name: 'Zero (e2e)', percentage: '0', category: 'Z' },
      auth,
    )
  ).body;
  const draft = (
    await apiRequest(
      server.url,
      'POST',
      '/api/v1/invoices',
      {
        customer: customer.id,
        lines: [{ description: 'Consulting', quantity: '1', unit_price: '1190.00', tax_rate: rate.id }],
      },
      auth,
    )
  ).body;
  const invoice = (await apiRequest(server.url, 'POST', `/api/v1/invoices/${draft.id}/post`, {}, auth)).body;
  const hostedPath = new URL(invoice.hosted_url).pathname;

  await run.step(`${phone.label}: the hosted page offers "Pay now", which opens Stripe Checkout`, phone, async () => {
    const { page } = phone;
    await phone.goto(hostedPath);
    const pay = page.getByRole('button', { name: 'Pay now' });
    await pay.waitFor({ timeout: TIMEOUT });
    await phone.assertNoHorizontalScroll();
    await phone.shot('hosted-pay-now', false);
    await Promise.all([page.waitForURL(`${stripe.url}/pay/**`, { timeout: TIMEOUT }), pay.click()]);
    assert(page.url().startsWith(`${stripe.url}/pay/cs_test_`), `sent to Checkout: ${page.url()}`);
    phone.takeErrors(); // the stand-in's page is not ours
  });

  await run.step(
    `${admin.label}: Stripe's webhook records the payment; the invoice shows it with its Stripe ids`,
    admin,
    async () => {
      const session = stripe.sessions.length;
      const { body, signature } = signedEvent(
        WEBHOOK_SECRET,
        {
          id: 'evt_e2e_paid',
          type: 'checkout.session.completed',
          created: Math.floor(server.clock.now().getTime() / 1000),
          object: {
            id: `cs_test_${session}`,
            object: 'checkout.session',
            payment_status: 'paid',
            amount_total: 119000,
            currency: 'eur',
            client_reference_id: invoice.id,
            metadata: { invoice: invoice.id },
            payment_intent: 'pi_e2e_1',
          },
        },
        Math.floor(server.clock.now().getTime() / 1000),
      );
      const res = await fetch(`${server.url}${new URL(webhookUrl).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
      assert(res.status === 200, `webhook answered ${res.status}`);
      const { page } = admin;
      await admin.goto(`/invoices/${invoice.id}`);
      await page.getByTestId('online-payments').waitFor({ timeout: TIMEOUT });
      await page.locator('code:visible', { hasText: 'pi_e2e_1' }).waitFor({ timeout: TIMEOUT });
      await admin.apiIdle();
      await admin.shot('invoice-paid-online');
      await admin.goto('/');
      await page.getByText('Paid online this month').waitFor({ timeout: TIMEOUT });
    },
  );
}
