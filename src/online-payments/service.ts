import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type Stripe from 'stripe';
import { getInvoice } from '../invoicing/service';
import { invoices } from '../invoicing/tables';
import { type Decimal, dec, formatAmount } from '../money/money';
import { getSettings, systemContext } from '../organizations/service';
import type { PaymentIn } from '../payments/schemas';
import { createPaymentIn, refundTakingBackIn } from '../payments/service';
import { payments } from '../payments/tables';
import { dateInZone, type RequestContext, type Site } from '../platform/context';
import type { Queryable } from '../platform/db';
import { conflict, DomainError, invalid } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { newToken } from '../platform/secrets';
import type { StripeSettingsIn, StripeSettingsOut } from './schemas';
import { fromStripeAmount, toStripeAmount } from './stripe-amounts';
import { type StripeConfig, stripeClient } from './stripe-transport';
import { checkoutSessions, stripeAccounts, stripePayments } from './tables';

type StripeAccount = typeof stripeAccounts.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;

/** Stripe's signature tolerance: an event signed longer ago than this is refused (API.md). */
const SIGNATURE_TOLERANCE_SECONDS = 300;

const last4 = (s: string) => s.slice(-4);

function settingsOut(row: StripeAccount | undefined, publicUrl: string): StripeSettingsOut {
  return {
    enabled: row?.enabled ?? false,
    methods: (row?.methods ?? ['card']) as StripeSettingsOut['methods'],
    secret_key_last4: row ? last4(row.secretKey) : null,
    webhook_secret_last4: row ? last4(row.webhookSecret) : null,
    webhook_url: row ? `${publicUrl}/webhooks/stripe/${row.webhookKey}` : null,
  };
}

export async function getStripeSettings(ctx: RequestContext): Promise<StripeSettingsOut> {
  const [row] = await ctx.db.select().from(stripeAccounts).where(eq(stripeAccounts.orgId, ctx.orgId));
  return settingsOut(row, ctx.publicUrl);
}

/** Saves the Stripe account; keys left out keep their stored values (they are write-only). */
export async function putStripeSettings(ctx: RequestContext, input: StripeSettingsIn): Promise<StripeSettingsOut> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(stripeAccounts).where(eq(stripeAccounts.orgId, ctx.orgId)).for('update');
    const secretKey = input.secret_key ?? before?.secretKey;
    const webhookSecret = input.webhook_secret ?? before?.webhookSecret;
    if (!secretKey) throw invalid('secret_key_required', 'Give the Stripe secret key (sk_…).', 'secret_key');
    if (!webhookSecret)
      throw invalid('webhook_secret_required', 'Give the webhook signing secret (whsec_…).', 'webhook_secret');
    const now = ctx.clock.now();
    const values = {
      secretKey,
      webhookSecret,
      methods: input.methods ?? before?.methods ?? ['card'],
      enabled: input.enabled ?? before?.enabled ?? true,
      updatedAt: now,
    };
    const [row] = before
      ? await tx.update(stripeAccounts).set(values).where(eq(stripeAccounts.orgId, ctx.orgId)).returning()
      : await tx
          .insert(stripeAccounts)
          .values({ ...values, orgId: ctx.orgId, webhookKey: newToken(24), createdAt: now })
          .returning();
    // The event names what changed, never the keys.
    await recordEvent(
      tx,
      ctx,
      'settings.payments_updated',
      { type: 'organization', id: ctx.orgId },
      {
        provider: 'stripe',
        enabled: row!.enabled,
        methods: row!.methods,
        keys_changed: [
          ...(input.secret_key ? ['secret_key'] : []),
          ...(input.webhook_secret ? ['webhook_secret'] : []),
        ],
      },
    );
    return settingsOut(row, ctx.publicUrl);
  });
}

async function stripeAccountOf(q: Queryable, orgId: string): Promise<StripeAccount | null> {
  const [row] = await q.select().from(stripeAccounts).where(eq(stripeAccounts.orgId, orgId));
  return row && row.enabled ? row : null;
}

/** Methods Stripe can take for this invoice's currency: SEPA debit is for EUR only. */
function methodsFor(account: StripeAccount, currency: string): string[] {
  return account.methods.filter((m) => m !== 'sepa_debit' || currency === 'EUR');
}

export interface OnlinePaymentState {
  /** "Pay now" is offered: Stripe is on, something is due, and Stripe can take that amount exactly. */
  payable: boolean;
  /** A Checkout Session of this invoice waits for an asynchronous method (SEPA debit) to succeed. */
  processing: boolean;
}

/** What the hosted page shows about online payment, from our own records. */
export async function onlinePaymentState(q: Queryable, inv: InvoiceRow): Promise<OnlinePaymentState> {
  const account = await stripeAccountOf(q, inv.orgId);
  const [latest] = await q
    .select({ status: checkoutSessions.status })
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.orgId, inv.orgId), eq(checkoutSessions.invoiceId, inv.id)))
    .orderBy(desc(checkoutSessions.createdAt))
    .limit(1);
  const processing = latest?.status === 'processing';
  const open = (inv.status === 'posted' || inv.status === 'uncollectible') && dec(inv.amountDue).gt(0);
  const payable =
    account !== null &&
    open &&
    !processing &&
    methodsFor(account, inv.currency).length > 0 &&
    toStripeAmount(inv.amountDue, inv.currency) !== null;
  return { payable, processing };
}

/**
 * A Checkout Session for what the invoice owes now (one per attempt, created under our own idempotency key).
 * Returns the URL to send the customer to.
 */
export async function createCheckout(site: Site, stripe: StripeConfig, token: string): Promise<string> {
  const [inv] = /^[A-Za-z0-9_-]{20,64}$/.test(token)
    ? await site.db.select().from(invoices).where(eq(invoices.hostedToken, token))
    : [];
  if (!inv || inv.status === 'draft')
    throw new DomainError(
      'not_found',
      'page_not_found',
      'This invoice link is not valid; ask the sender for a new one.',
    );
  const account = await stripeAccountOf(site.db, inv.orgId);
  const open = (inv.status === 'posted' || inv.status === 'uncollectible') && dec(inv.amountDue).gt(0);
  if (!account || !open)
    throw conflict('invoice_not_payable', `Invoice ${inv.number} cannot be paid online: nothing is due.`);
  const methods = methodsFor(account, inv.currency);
  const unitAmount = toStripeAmount(inv.amountDue, inv.currency);
  if (unitAmount === null || methods.length === 0)
    throw conflict(
      'amount_not_payable_online',
      `${formatAmount(inv.amountDue, inv.currency)} ${inv.currency} cannot be paid through Stripe exactly; pay by bank transfer.`,
    );
  const attempt = newId('chk');
  const page = `${site.publicUrl}/i/${encodeURIComponent(token)}`;
  const session = await stripeClient(account.secretKey, stripe).checkout.sessions.create(
    {
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: inv.currency.toLowerCase(),
            unit_amount: unitAmount,
            product_data: { name: inv.number ?? inv.id },
          },
        },
      ],
      client_reference_id: inv.id,
      metadata: { invoice: inv.id, organization: inv.orgId },
      payment_intent_data: { metadata: { invoice: inv.id, organization: inv.orgId } },
      payment_method_types: methods as Stripe.Checkout.SessionCreateParams.PaymentMethodType[],
      success_url: `${page}?checkout=done`,
      cancel_url: page,
    },
    { idempotencyKey: attempt },
  );
  const now = site.clock.now();
  await site.db.transaction(async (tx) => {
    await tx.insert(checkoutSessions).values({
      id: session.id,
      orgId: inv.orgId,
      invoiceId: inv.id,
      amount: inv.amountDue,
      currency: inv.currency,
      url: session.url,
      status: 'open',
      paymentIntent: typeof session.payment_intent === 'string' ? session.payment_intent : null,
      updatedAt: now,
      createdAt: now,
    });
    await recordEvent(
      tx,
      { orgId: inv.orgId, actor: { type: 'public', id: null }, clock: site.clock },
      'invoice.checkout_started',
      { type: 'invoice', id: inv.id },
      { checkout_session: session.id, amount: formatAmount(inv.amountDue, inv.currency) },
    );
  });
  if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL.');
  return session.url;
}

/** The organization a webhook URL belongs to; an unknown key is 404 (it reveals nothing). */
export async function accountByWebhookKey(site: Site, key: string): Promise<StripeAccount> {
  const [row] = /^[A-Za-z0-9_-]{16,64}$/.test(key)
    ? await site.db.select().from(stripeAccounts).where(eq(stripeAccounts.webhookKey, key))
    : [];
  if (!row) throw new DomainError('not_found', 'webhook_not_found', 'No Stripe webhook at this address.');
  return row;
}

/** Verifies Stripe's signature against our Clock (tolerance 300 s); a bad one is a 400 and records nothing. */
export function verifyEvent(
  site: Site,
  account: StripeAccount,
  stripe: StripeConfig,
  body: Buffer,
  signature: string | undefined,
): Stripe.Event {
  try {
    return stripeClient(account.secretKey, stripe).webhooks.constructEvent(
      body,
      signature ?? '',
      account.webhookSecret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      // Milliseconds, as the SDK compares them with Date.now().
      site.clock.now().getTime(),
    );
  } catch {
    throw invalid(
      'signature_invalid',
      'The Stripe-Signature header does not verify (wrong secret, altered body or too old).',
      'Stripe-Signature',
    );
  }
}

/** Handles one verified event; every verified event is answered 200, also repeats and types we ignore. */
export async function handleEvent(
  site: Site,
  account: StripeAccount,
  stripe: StripeConfig,
  event: Stripe.Event,
): Promise<void> {
  const ctx = await systemContext(site, account.orgId);
  // Money is dated the day Stripe says it happened, on the organization's calendar.
  const eventDay = dateInZone(new Date(event.created * 1000), (await getSettings(ctx.db, ctx)).time_zone);
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      if (session.payment_status === 'paid') await recordSucceeded(ctx, account, stripe, session, eventDay);
      else await markSession(ctx, session, 'processing');
      return;
    }
    case 'checkout.session.async_payment_succeeded':
      await recordSucceeded(ctx, account, stripe, event.data.object, eventDay);
      return;
    case 'checkout.session.async_payment_failed': {
      const session = event.data.object;
      const row = await markSession(ctx, session, 'failed');
      if (row)
        await recordEvent(
          ctx.db,
          ctx,
          'invoice.online_payment_failed',
          { type: 'invoice', id: row.invoiceId },
          { checkout_session: session.id },
        );
      return;
    }
    case 'charge.refunded':
      await recordRefund(ctx, event.data.object, eventDay);
      return;
    default:
      return;
  }
}

async function markSession(ctx: RequestContext, session: Stripe.Checkout.Session, status: 'processing' | 'failed') {
  const [row] = await ctx.db
    .update(checkoutSessions)
    .set({
      status,
      updatedAt: ctx.clock.now(),
      paymentIntent: typeof session.payment_intent === 'string' ? session.payment_intent : null,
    })
    // A session already paid stays paid, whatever order Stripe delivers in.
    .where(and(eq(checkoutSessions.id, session.id), eq(checkoutSessions.orgId, ctx.orgId)))
    .returning();
  if (row?.status === status && status === 'processing') {
    const [paid] = await ctx.db
      .select({ id: stripePayments.paymentIntent })
      .from(stripePayments)
      .where(eq(stripePayments.checkoutSession, session.id));
    if (paid) await ctx.db.update(checkoutSessions).set({ status: 'paid' }).where(eq(checkoutSessions.id, session.id));
  }
  return row ?? null;
}

/**
 * A succeeded payment becomes one payment of that amount on the invoice, exactly once per PaymentIntent: the
 * stripe_payments row is inserted in the same transaction, and a concurrent or repeated delivery finds it.
 * Money beyond what the invoice owes now stays on the customer as credit.
 */
async function recordSucceeded(
  ctx: RequestContext,
  account: StripeAccount,
  stripe: StripeConfig,
  session: Stripe.Checkout.Session,
  date: string,
): Promise<void> {
  const intentId = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
  const invoiceId = session.metadata?.invoice ?? session.client_reference_id;
  if (!intentId || !invoiceId || session.amount_total === null || !session.currency) return;
  const [known] = await ctx.db
    .select({ id: stripePayments.paymentIntent })
    .from(stripePayments)
    .where(eq(stripePayments.paymentIntent, intentId));
  if (known) return;
  const method = await paymentMethodOf(account, stripe, intentId, session);
  const currency = session.currency.toUpperCase();
  const amount = fromStripeAmount(session.amount_total, currency);
  await ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .insert(stripePayments)
      .values({
        paymentIntent: intentId,
        orgId: ctx.orgId,
        invoiceId,
        checkoutSession: session.id,
        amount,
        currency,
        refundedAmount: '0',
        createdAt: ctx.clock.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (claimed.length === 0) return;
    const [inv] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ctx.orgId)));
    if (!inv) throw new Error(`Stripe paid for an unknown invoice ${invoiceId}.`);
    const due = dec(inv.amountDue);
    const toInvoice = dec(amount).lte(due) ? dec(amount) : due;
    const input: PaymentIn = {
      customer: inv.customerId,
      amount,
      currency,
      date,
      method,
      reference: `Stripe ${intentId}`,
      allocations: toInvoice.gt(0) ? [{ invoice: inv.id, amount: formatAmount(toInvoice, currency) }] : [],
    };
    const created = await createPaymentIn(tx, ctx, input);
    await tx
      .update(payments)
      .set({ provider: { name: 'stripe', payment_intent: intentId, checkout_session: session.id } })
      .where(eq(payments.id, created.payment.id));
    await tx
      .update(stripePayments)
      .set({ paymentId: created.payment.id })
      .where(eq(stripePayments.paymentIntent, intentId));
    await tx
      .update(checkoutSessions)
      .set({ status: 'paid', paymentIntent: intentId, updatedAt: ctx.clock.now() })
      .where(eq(checkoutSessions.id, session.id));
    await recordEvent(
      tx,
      ctx,
      'invoice.paid_online',
      { type: 'invoice', id: inv.id },
      {
        payment: created.payment.id,
        amount,
        payment_intent: intentId,
        checkout_session: session.id,
        credit: formatAmount(dec(amount).minus(toInvoice), currency),
      },
    );
  });
}

async function paymentMethodOf(
  account: StripeAccount,
  stripe: StripeConfig,
  intentId: string,
  session: Stripe.Checkout.Session,
): Promise<'card' | 'sepa_debit' | 'other'> {
  const intent = await stripeClient(account.secretKey, stripe).paymentIntents.retrieve(intentId, {
    expand: ['payment_method'],
  });
  const pm = intent.payment_method;
  const type =
    (pm && typeof pm === 'object' ? pm.type : undefined) ??
    (session.payment_method_types?.length === 1 ? session.payment_method_types[0] : undefined);
  return type === 'card' || type === 'sepa_debit' ? type : 'other';
}

/** charge.refunded: records what Stripe refunded beyond what we recorded for that charge (each refund once). */
async function recordRefund(ctx: RequestContext, charge: Stripe.Charge, date: string): Promise<void> {
  const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!intentId) return;
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(stripePayments)
      .where(and(eq(stripePayments.paymentIntent, intentId), eq(stripePayments.orgId, ctx.orgId)))
      .for('update');
    if (!row?.paymentId) return;
    const refunded = fromStripeAmount(charge.amount_refunded, row.currency);
    const more = dec(refunded).minus(row.refundedAmount);
    if (more.lte(0)) return;
    await refundTakingBackIn(tx, ctx, row.paymentId, {
      amount: formatAmount(more, row.currency),
      date,
      memo: `Stripe refund of ${intentId}`,
    });
    await tx
      .update(stripePayments)
      .set({ refundedAmount: formatAmount(refunded, row.currency) })
      .where(eq(stripePayments.paymentIntent, intentId));
  });
}

/** Online payments of an invoice, with their Stripe ids (the invoice page). */
export async function onlinePaymentsOf(ctx: RequestContext, invoiceId: string) {
  await getInvoice(ctx.db, ctx, invoiceId); // another organization's invoice is a 404
  return ctx.db
    .select()
    .from(stripePayments)
    .where(and(eq(stripePayments.orgId, ctx.orgId), eq(stripePayments.invoiceId, invoiceId)))
    .orderBy(stripePayments.createdAt);
}

/** What customers paid online from `from` through `to` (payment dates), per currency: the dashboard's figure. */
export async function onlineSummary(ctx: RequestContext, from: string, to: string) {
  const rows = await ctx.db
    .select({
      currency: stripePayments.currency,
      amount: stripePayments.amount,
      refunded: stripePayments.refundedAmount,
    })
    .from(stripePayments)
    .innerJoin(payments, eq(payments.id, stripePayments.paymentId))
    .where(and(eq(stripePayments.orgId, ctx.orgId), gte(payments.date, from), lte(payments.date, to)));
  const byCurrency = new Map<string, { count: number; amount: Decimal; refunded: Decimal }>();
  for (const r of rows) {
    const c = byCurrency.get(r.currency) ?? { count: 0, amount: dec(0), refunded: dec(0) };
    byCurrency.set(r.currency, {
      count: c.count + 1,
      amount: c.amount.plus(r.amount),
      refunded: c.refunded.plus(r.refunded),
    });
  }
  return {
    from,
    to,
    currencies: [...byCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, c]) => ({
        currency,
        count: c.count,
        amount: formatAmount(c.amount, currency),
        refunded: formatAmount(c.refunded, currency),
      })),
  };
}
