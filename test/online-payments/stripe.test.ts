import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, TEST_NOW, type TestServer } from '../helpers/server';
import { invoiceOf, paymentSetup } from '../payments/fixtures';
import { checkMoney, written } from '../payments/invariants';
import { StripeStandIn, signedEvent } from './stripe-stand-in';

// Online payments through Stripe Checkout: the official SDK talks to a local stand-in (STRIPE_API_BASE); Stripe's
// webhooks are signed with the SDK's own test helper. One server and one stand-in for the file.
let server: TestServer;
const stripe = new StripeStandIn();
const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldGZvcmFyYm9yMTIzNDU2Nzg5MA==';
const SECRET_KEY = 'sk_test_51ArborStandInKey000000';

beforeAll(async () => {
  await stripe.start();
  server = await startTestServer({ stripeApiBase: stripe.url });
});
afterAll(async () => {
  await server.stop();
  await stripe.stop();
});

const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);

async function stripeOn(org: OrgClient, methods = ['card', 'sepa_debit']) {
  const res = await org.put('/api/v1/settings/payments/stripe', {
    secret_key: SECRET_KEY,
    webhook_secret: WEBHOOK_SECRET,
    methods,
    enabled: true,
  });
  expect(res.status).toBe(200);
  return res.body as { webhook_url: string };
}

/** Sends a Stripe event to the organization's webhook URL, as Stripe would. */
async function deliver(
  webhookUrl: string,
  event: { id: string; type: string; object: Record<string, unknown> },
  opts: { signedAt?: number; secret?: string } = {},
) {
  const { body, signature } = signedEvent(
    opts.secret ?? WEBHOOK_SECRET,
    { ...event, created: nowSeconds() },
    opts.signedAt ?? nowSeconds(),
  );
  const res = await fetch(`${server.url}${new URL(webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  });
  return { status: res.status, body: await res.text() };
}

const session = (inv: { id: string; currency: string }, amountMinor: number, extra: Record<string, unknown> = {}) => ({
  id: `cs_test_${inv.id}`,
  object: 'checkout.session',
  mode: 'payment',
  payment_status: 'paid',
  status: 'complete',
  amount_total: amountMinor,
  currency: inv.currency.toLowerCase(),
  client_reference_id: inv.id,
  metadata: { invoice: inv.id },
  payment_intent: `pi_${inv.id}`,
  payment_method_types: ['card'],
  ...extra,
});

async function hostedPage(inv: { hosted_url: string }) {
  const res = await fetch(`${server.url}${new URL(inv.hosted_url).pathname}`);
  return res.text();
}

async function onlinePayments(org: OrgClient, customer: string) {
  const list = (await org.get(`/api/v1/payments?customer=${customer}`)).body.data as {
    provider: { name: string; payment_intent: string } | null;
    amount: string;
    method: string;
    unapplied_amount: string;
    refunded_amount: string;
  }[];
  return list.filter((p) => p.provider?.name === 'stripe');
}

describe('settings', () => {
  test('keys are write-only: GET shows the last 4 characters and the webhook URL, never the keys', async () => {
    const org = await server.newOrg();
    const saved = await stripeOn(org);
    const got = (await org.get('/api/v1/settings/payments/stripe')).body;
    expect(got).toEqual({
      enabled: true,
      methods: ['card', 'sepa_debit'],
      secret_key_last4: '0000',
      webhook_secret_last4: 'MA==',
      webhook_url: saved.webhook_url,
    });
    expect(got.webhook_url).toMatch(/^http:\/\/localhost:3000\/webhooks\/stripe\/[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(got)).not.toContain(SECRET_KEY);
    // Turning it off keeps the keys.
    const off = await org.put('/api/v1/settings/payments/stripe', { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, secret_key_last4: '0000' });
  });

  test('a key of the wrong kind is refused at its field and nothing is saved; only admins may see or change it', async () => {
    const org = await server.newOrg();
    const bad = await org.put('/api/v1/settings/payments/stripe', { secret_key: 'pk_test_publishable', enabled: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('secret_key');
    expect((await org.get('/api/v1/settings/payments/stripe')).body.secret_key_last4).toBeNull();
    const finance = await org.keyWithRole('finance');
    expect((await finance.get('/api/v1/settings/payments/stripe')).status).toBe(403);
  });
});

describe('Pay now', () => {
  test('the hosted page offers "Pay now", which opens a Checkout Session for the amount due', async () => {
    const org = await server.newOrg();
    await stripeOn(org);
    const { invoice } = await paymentSetup(org);
    const inv = await invoice('1190.00');
    expect(await hostedPage(inv)).toContain('Pay now');
    const res = await fetch(`${server.url}${new URL(inv.hosted_url).pathname}/checkout`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const asked = stripe.sessions.at(-1)!;
    expect(res.headers.get('location')).toBe(`${stripe.url}/pay/cs_test_${stripe.sessions.length}`);
    expect(asked.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(asked.idempotencyKey).toMatch(/^chk_/);
    expect(Object.fromEntries(asked.params)).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '119000',
      'line_items[0][price_data][product_data][name]': inv.number,
      client_reference_id: inv.id,
      'metadata[invoice]': inv.id,
      'payment_method_types[0]': 'card',
      'payment_method_types[1]': 'sepa_debit',
    });
  });

  test('the invoice email carries a pay link while Stripe is on and something is due', async () => {
    const org = await server.newOrg();
    const { invoice } = await paymentSetup(org);
    const inv = await invoice('75.00');
    const withoutStripe = await org.post(`/api/v1/invoices/${inv.id}/send`, {});
    expect(withoutStripe.status).toBe(200);
    const text = async (id: string) =>
      ((await org.get(`/api/v1/emails?invoice=${inv.id}`)).body.data as { id: string; text: string }[]).find(
        (m) => m.id === id,
      )!.text;
    expect(await text(withoutStripe.body.email.id)).not.toContain('Pay online');
    await stripeOn(org);
    const sent = await org.post(`/api/v1/invoices/${inv.id}/send`, {});
    expect(await text(sent.body.email.id)).toContain(`Pay online by card or bank debit: ${inv.hosted_url}#pay`);
  });

  test('without Stripe, or with nothing due, there is no "Pay now" and checkout is refused', async () => {
    const org = await server.newOrg();
    const { invoice, pay, customer } = await paymentSetup(org);
    const inv = await invoice('100.00');
    expect(await hostedPage(inv)).not.toContain('Pay now');
    await stripeOn(org);
    await pay({ amount: '100.00', allocations: [{ invoice: inv.id, amount: '100.00' }] });
    expect(await hostedPage(inv)).not.toContain('Pay now');
    const before = stripe.sessions.length;
    const res = await fetch(`${server.url}${new URL(inv.hosted_url).pathname}/checkout`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invoice_not_payable');
    expect(stripe.sessions.length).toBe(before);
    expect(customer.id).toBeTruthy();
  });

  test('an amount Stripe cannot take exactly (KWD 12.345) shows no "Pay now" and checkout answers 409', async () => {
    const org = await server.newOrg({ currency: 'KWD' });
    await stripeOn(org, ['card']);
    const customer = (await org.post('/api/v1/customers', { name: 'Kuwait Co', currency: 'KWD' })).body;
    const zero = (await org.post('/api/v1/tax_rates', { name: 'Zero', percentage: '0', category: 'Z' })).body;
    const draft = await org.post('/api/v1/invoices', {
      customer: customer.id,
      lines: [{ description: 'Work', quantity: '1', unit_price: '12.345', tax_rate: zero.id }],
    });
    const inv = (await org.post(`/api/v1/invoices/${draft.body.id}/post`)).body;
    expect(await hostedPage(inv)).not.toContain('Pay now');
    const res = await fetch(`${server.url}${new URL(inv.hosted_url).pathname}/checkout`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('amount_not_payable_online');
  });
});

describe('webhooks', () => {
  test('a paid Checkout Session records one card payment on the invoice, with its Stripe ids', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice, customer } = await paymentSetup(org);
    const inv = await invoice('1190.00');
    const res = await deliver(webhook_url, {
      id: 'evt_paid_1',
      type: 'checkout.session.completed',
      object: session(inv, 119000),
    });
    expect(res.status).toBe(200);
    const [payment, ...more] = await onlinePayments(org, customer.id);
    expect(more).toEqual([]);
    expect(payment).toMatchObject({
      amount: '1190.00',
      method: 'card',
      unapplied_amount: '0.00',
      provider: { name: 'stripe', payment_intent: `pi_${inv.id}`, checkout_session: `cs_test_${inv.id}` },
    });
    expect(await invoiceOf(org, inv.id)).toMatchObject({ status: 'paid', amount_due: '0.00' });
    // Dated the event's day on the organization's calendar (the test clock's today).
    expect((await org.get(`/api/v1/payments?customer=${customer.id}`)).body.data[0].date).toBe(TEST_NOW.slice(0, 10));
    expect(await hostedPage(inv)).not.toContain('Pay now');
    // The invoice lists it with its Stripe ids; the dashboard's figure counts it; another organization sees none.
    expect((await org.get(`/api/v1/invoices/${inv.id}/online_payments`)).body.data).toEqual([
      expect.objectContaining({
        amount: '1190.00',
        payment_intent: `pi_${inv.id}`,
        checkout_session: `cs_test_${inv.id}`,
        refunded_amount: '0.00',
      }),
    ]);
    const day = TEST_NOW.slice(0, 10);
    expect((await org.get(`/api/v1/online_payments/summary?from=${day}&to=${day}`)).body.currencies).toEqual([
      { currency: 'EUR', count: 1, amount: '1190.00', refunded: '0.00' },
    ]);
    const other = await server.newOrg();
    expect((await other.get(`/api/v1/invoices/${inv.id}/online_payments`)).status).toBe(404);
    await checkMoney(server, org, customer.id);
  });

  test('the same event delivered 5 times, at once, records one payment', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice, customer } = await paymentSetup(org);
    const inv = await invoice('250.00');
    const event = { id: 'evt_dup', type: 'checkout.session.completed', object: session(inv, 25000) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(webhook_url, event)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    // Later, and in another order: the async success of the same PaymentIntent changes nothing either.
    await deliver(webhook_url, {
      id: 'evt_dup_2',
      type: 'checkout.session.async_payment_succeeded',
      object: event.object,
    });
    expect(await onlinePayments(org, customer.id)).toHaveLength(1);
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('0.00');
    await checkMoney(server, org, customer.id);
  });

  test('a bad signature, another secret, or a timestamp older than 300 s is 400 and records nothing', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice } = await paymentSetup(org);
    const inv = await invoice('80.00');
    const before = await written(server, org);
    const event = { id: 'evt_bad', type: 'checkout.session.completed', object: session(inv, 8000) };
    for (const res of [
      await deliver(webhook_url, event, { secret: 'whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==' }),
      await deliver(webhook_url, event, { signedAt: nowSeconds() - 301 }),
    ]) {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('signature_invalid');
    }
    const tampered = await fetch(`${server.url}${new URL(webhook_url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: JSON.stringify(event),
    });
    expect(tampered.status).toBe(400);
    expect(await written(server, org)).toEqual(before);
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('80.00');
    // An unknown webhook key reveals nothing.
    expect((await fetch(`${server.url}/webhooks/stripe/nosuchkeynosuchkeynosuchkey`, { method: 'POST' })).status).toBe(
      404,
    );
  });

  test('a session for an invoice paid meanwhile becomes customer credit, not an over-payment', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice, pay, customer } = await paymentSetup(org);
    const inv = await invoice('300.00');
    await pay({ amount: '100.00', allocations: [{ invoice: inv.id, amount: '100.00' }] });
    await deliver(webhook_url, { id: 'evt_over', type: 'checkout.session.completed', object: session(inv, 30000) });
    const [online] = await onlinePayments(org, customer.id);
    expect(online).toMatchObject({ amount: '300.00', unapplied_amount: '100.00' });
    expect(await invoiceOf(org, inv.id)).toMatchObject({ status: 'paid', amount_due: '0.00' });
    expect((await org.get(`/api/v1/customers/${customer.id}`)).body.credit_balance).toBe('100.00');
    await checkMoney(server, org, customer.id);
  });

  test('charge.refunded records each Stripe refund once: unapplied money first, then the invoice reopens', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice, customer } = await paymentSetup(org);
    const inv = await invoice('500.00');
    await deliver(webhook_url, { id: 'evt_r0', type: 'checkout.session.completed', object: session(inv, 50000) });
    const charge = (refunded: number) => ({
      id: `ch_${inv.id}`,
      object: 'charge',
      amount: 50000,
      amount_refunded: refunded,
      currency: 'eur',
      payment_intent: `pi_${inv.id}`,
      refunded: refunded === 50000,
    });
    await deliver(webhook_url, { id: 'evt_r1', type: 'charge.refunded', object: charge(20000) });
    await deliver(webhook_url, { id: 'evt_r1', type: 'charge.refunded', object: charge(20000) });
    let [online] = await onlinePayments(org, customer.id);
    expect(online).toMatchObject({ refunded_amount: '200.00', unapplied_amount: '0.00' });
    expect(await invoiceOf(org, inv.id)).toMatchObject({ status: 'posted', amount_due: '200.00' });
    await deliver(webhook_url, { id: 'evt_r2', type: 'charge.refunded', object: charge(50000) });
    [online] = await onlinePayments(org, customer.id);
    expect(online!.refunded_amount).toBe('500.00');
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('500.00');
    await checkMoney(server, org, customer.id);
  });

  test('SEPA debit: nothing is recorded until it succeeds, the page says "payment processing"; a failure is an event', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const { invoice, customer } = await paymentSetup(org);
    const inv = await invoice('640.00');
    // The customer starts a checkout; Stripe reports the session complete but unpaid (the debit takes days).
    const started = await fetch(`${server.url}${new URL(inv.hosted_url).pathname}/checkout`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(started.status).toBe(303);
    const sessionId = `cs_test_${stripe.sessions.length}`;
    stripe.intentMethods.set(`pi_sepa_${inv.id}`, 'sepa_debit');
    const pending = session(inv, 64000, {
      id: sessionId,
      payment_status: 'unpaid',
      payment_intent: `pi_sepa_${inv.id}`,
      payment_method_types: ['card', 'sepa_debit'],
    });
    await deliver(webhook_url, { id: 'evt_s1', type: 'checkout.session.completed', object: pending });
    expect(await onlinePayments(org, customer.id)).toEqual([]);
    const page = await hostedPage(inv);
    expect(page).toContain('Payment processing');
    expect(page).not.toContain('Pay now');
    await deliver(webhook_url, {
      id: 'evt_s2',
      type: 'checkout.session.async_payment_succeeded',
      object: { ...pending, payment_status: 'paid' },
    });
    const [online] = await onlinePayments(org, customer.id);
    expect(online).toMatchObject({ method: 'sepa_debit', amount: '640.00' });
    expect(await hostedPage(inv)).not.toContain('Payment processing');

    // Another invoice whose debit fails: no payment, an event on the invoice's timeline, "Pay now" again.
    const other = await invoice('50.00');
    await fetch(`${server.url}${new URL(other.hosted_url).pathname}/checkout`, { method: 'POST', redirect: 'manual' });
    const failing = session(other, 5000, {
      id: `cs_test_${stripe.sessions.length}`,
      payment_status: 'unpaid',
      payment_intent: `pi_fail_${other.id}`,
    });
    await deliver(webhook_url, { id: 'evt_f1', type: 'checkout.session.completed', object: failing });
    await deliver(webhook_url, { id: 'evt_f2', type: 'checkout.session.async_payment_failed', object: failing });
    expect(await onlinePayments(org, customer.id)).toHaveLength(1);
    const events = (await org.get(`/api/v1/events?object=${other.id}`)).body.data.map((e: { type: string }) => e.type);
    expect(events).toContain('invoice.online_payment_failed');
    expect(await hostedPage(other)).toContain('Pay now');
    await checkMoney(server, org, customer.id);
  });

  test('events of types Arbor does not handle are answered 200 and change nothing', async () => {
    const org = await server.newOrg();
    const { webhook_url } = await stripeOn(org);
    const before = await written(server, org);
    const res = await deliver(webhook_url, { id: 'evt_x', type: 'customer.created', object: { id: 'cus_x' } });
    expect(res.status).toBe(200);
    expect(await written(server, org)).toEqual(before);
  });
});
