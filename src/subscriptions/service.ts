import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { addDays } from '../billing/dates';
import { duePeriods, nextBillingDate, nextOccurrence } from '../billing/due-periods';
import { prorateCancellation, prorateChange } from '../billing/proration';
import type { Occurrence, SubscriptionItem, SubscriptionTerms, UsageRecord } from '../billing/terms';
import { validateTerms } from '../billing/terms';
import { issueCreditNoteIn } from '../credit-notes/service';
import { sendInvoiceIn } from '../email/service';
import { buildDraftAmounts } from '../invoicing/draft';
import { documentCurrency, documentCustomer, loadDraftRefs } from '../invoicing/draft-refs-store';
import { createDraftIn, postInvoiceIn } from '../invoicing/service';
import type { InvoiceRow } from '../invoicing/tables';
import { dec, formatAmount } from '../money/money';
import { attempt } from '../platform/compose';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import {
  type BilledInvoice,
  creditRequests,
  type DraftLine,
  draftLinesOf,
  engineLines,
  linesEnd,
  netOf,
  type StoredBillingLine,
  servesOn,
  spanOf,
  storeLines,
  termsOf,
  usageFrom,
  usagePeriodBilled,
} from './billing-lines';
import type {
  CancelIn,
  ChangeIn,
  PreviewOut,
  SubscriptionIn,
  SubscriptionItemIn,
  SubscriptionListQuery,
  SubscriptionRow,
  UsageIn,
  UsageRow,
} from './schemas';
import { subscriptionBillings, subscriptions, subscriptionUsage } from './tables';

/** How billing treats the invoices it makes (a bill run may override the subscription's own settings). */
export interface BillingOptions {
  invoiceDate?: string | null | undefined;
  /** The day the run or action started, in the organization's time zone (default today): no invoice is dated before it. */
  runDate?: string | undefined;
  autoPost?: boolean | null | undefined;
  autoSend?: boolean | null | undefined;
  billRunId?: string | null | undefined;
  smtpConfigured?: boolean | undefined;
}

/** The services of other capabilities run inside our transaction (as savepoints): one commit for all of it. */
/** Another capability's service inside our transaction, as a savepoint (its refusal can be caught). */

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

// ---------------------------------------------------------------- items and rows

/**
 * The items of a new subscription or a change, resolved against products and tax rates. In a change, an item
 * given with the `id` of a current item keeps its other fields unless they are given.
 */
async function resolveItems(
  q: Queryable,
  ctx: RequestContext,
  currency: string,
  inputs: SubscriptionItemIn[],
  current: SubscriptionItem[],
): Promise<SubscriptionItem[]> {
  const byId = new Map(current.map((i) => [i.id, i]));
  const refs = await loadDraftRefs(
    q,
    ctx.orgId,
    inputs.map((i) => {
      const base = i.id ? byId.get(i.id) : undefined;
      return { product: i.product ?? base?.productId, tax_rate: i.tax_rate ?? base?.taxRateId };
    }),
  );
  const seen = new Set<string>();
  return inputs.map((input, i) => {
    const param = `items[${i}]`;
    const base = input.id ? byId.get(input.id) : undefined;
    if (input.id && !base)
      throw unprocessable('item_not_found', `The subscription has no item ${input.id}.`, `${param}.id`);
    if (input.id && seen.has(input.id)) throw invalid('item_repeated', 'An item is given twice.', `${param}.id`);
    if (input.id) seen.add(input.id);
    const productId = input.product !== undefined ? input.product : (base?.productId ?? null);
    const product = productId ? refs.products.get(productId) : undefined;
    if (productId && !product)
      throw unprocessable('product_not_found', `No product ${productId} in this organization.`, `${param}.product`);
    if (product && product.currency !== currency)
      throw unprocessable(
        'currency_mismatch',
        `Product ${product.id} is priced in ${product.currency}, the subscription in ${currency}.`,
        `${param}.product`,
      );
    const usage = input.usage ?? base?.usage ?? false;
    const quantity = usage
      ? (input.quantity ?? null)
      : (input.quantity ?? (base && !base.usage ? base.quantity : null) ?? '1');
    const unitPrice =
      input.unit_price ?? (input.product !== undefined ? undefined : base?.unitPrice) ?? product?.unitPrice;
    if (unitPrice == null)
      throw invalid('unit_price_required', 'An item without a product needs a unit_price.', `${param}.unit_price`);
    const description =
      input.description ??
      (input.product !== undefined ? undefined : base?.description) ??
      product?.description ??
      product?.name;
    if (!description)
      throw invalid('description_required', 'An item without a product needs a description.', `${param}.description`);
    const taxRateId = input.tax_rate ?? base?.taxRateId ?? product?.taxRateId;
    if (!taxRateId)
      throw invalid(
        'tax_rate_required',
        'Every item needs a tax rate (or a product that has one).',
        `${param}.tax_rate`,
      );
    if (!refs.taxRates.has(taxRateId))
      throw unprocessable('tax_rate_not_found', `No tax rate ${taxRateId} in this organization.`, `${param}.tax_rate`);
    return { id: base?.id ?? newId('si'), description, quantity, unitPrice, usage, taxRateId, productId };
  });
}

export interface NewSubscription extends Omit<SubscriptionIn, 'items'> {
  items: SubscriptionItemIn[];
}

/** Creates a subscription in the caller's transaction (an order makes its subscriptions this way). */
export async function insertSubscription(
  tx: Queryable,
  ctx: RequestContext,
  input: NewSubscription,
  orderId: string | null = null,
): Promise<SubscriptionRow> {
  const customer = await documentCustomer(ctx, tx, input.customer);
  const currency = documentCurrency(customer, input.currency);
  const items = await resolveItems(tx, ctx, currency, input.items, []);
  const startDate = input.start_date ?? ctx.today;
  const terms: SubscriptionTerms = {
    startDate,
    endDate: input.end_date ?? null,
    interval: input.interval,
    intervalCount: input.interval_count,
    billingDay: input.billing_day ?? Number(startDate.slice(8, 10)),
    timing: input.timing ?? 'in_advance',
    proration: input.proration ?? 'day',
    currency,
    items,
  };
  validateTerms(terms);
  const [row] = await tx
    .insert(subscriptions)
    .values({
      id: newId('sub'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId: customer.id,
      orderId,
      currency,
      startDate: terms.startDate,
      endDate: terms.endDate,
      interval: terms.interval,
      intervalCount: terms.intervalCount,
      billingDay: terms.billingDay,
      timing: terms.timing,
      proration: terms.proration,
      items,
      billedThrough: null,
      nextBillingDate: nextBillingDate(terms, null),
      autoPost: input.auto_post ?? true,
      autoSend: input.auto_send ?? false,
      paymentTermsDays: input.payment_terms_days ?? null,
      createdBy: ctx.userId,
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'subscription.created',
    { type: 'subscription', id: row!.id },
    {
      customer: customer.id,
      order: orderId,
      start_date: terms.startDate,
      interval: terms.interval,
      interval_count: terms.intervalCount,
    },
  );
  return row!;
}

export async function createSubscription(ctx: RequestContext, input: SubscriptionIn): Promise<SubscriptionRow> {
  return ctx.db.transaction((tx) => insertSubscription(tx, ctx, input));
}

export async function getSubscription(
  q: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
): Promise<SubscriptionRow> {
  const [row] = await q
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.orgId, ctx.orgId)));
  if (!row) throw notFound('subscription', id);
  return row;
}

async function lockSubscription(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
  mode: 'update' | 'share' = 'update',
): Promise<SubscriptionRow> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.orgId, ctx.orgId)))
    .for(mode);
  if (!row) throw notFound('subscription', id);
  return row;
}

export async function listSubscriptions(ctx: RequestContext, q: SubscriptionListQuery) {
  const cursor = await afterCursor(ctx.db, subscriptions, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(subscriptions.orgId, ctx.orgId), cursor];
  if (q.customer) c.push(eq(subscriptions.customerId, q.customer));
  if (q.order) c.push(eq(subscriptions.orderId, q.order));
  const rows = await ctx.db
    .select()
    .from(subscriptions)
    .where(and(...c))
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}

/** The usage records the next billings can need (none without usage items). */
async function usageOf(q: Queryable, sub: SubscriptionRow, terms: SubscriptionTerms, from: string | null) {
  if (!terms.items.some((i) => i.usage)) return [];
  const rows = await q
    .select({ itemId: subscriptionUsage.itemId, quantity: subscriptionUsage.quantity, date: subscriptionUsage.date })
    .from(subscriptionUsage)
    .where(and(eq(subscriptionUsage.subscriptionId, sub.id), from ? gte(subscriptionUsage.date, from) : undefined));
  return rows as UsageRecord[];
}

/** What was billed that reaches `from` or later: the history a change or cancellation prorates against. */
async function billedSince(q: Queryable, subscriptionId: string, from: string): Promise<BilledInvoice[]> {
  const rows = await q
    .select({ invoiceId: subscriptionBillings.invoiceId, lines: subscriptionBillings.lines })
    .from(subscriptionBillings)
    .where(and(eq(subscriptionBillings.subscriptionId, subscriptionId), gte(subscriptionBillings.linesEnd, from)));
  return rows.map((r) => ({ invoiceId: r.invoiceId, lines: r.lines as StoredBillingLine[] }));
}

// ---------------------------------------------------------------- billing

/**
 * Invoices `lines` for a subscription in the caller's transaction: a draft through the invoicing service and the
 * billing row that records it; then `beforePosting` (the caller moves billed_through and records its event); then
 * posting (unless auto_post is off or the total is negative) and sending when asked. Posting comes last because
 * it takes the lock of the number series, which is held until commit: the shorter, the more workers gain.
 */
async function invoiceLines(
  tx: Tx,
  ctx: RequestContext,
  sub: SubscriptionRow,
  kind: 'period' | 'change' | 'cancellation',
  billing: { billingDate: string; period: { start: string; end: string } | null; lines: StoredBillingLine[] },
  opts: BillingOptions,
  billedThrough: { before: string | null; after: string | null },
  beforePosting?: (draft: InvoiceRow | null) => Promise<void>,
): Promise<{ invoice: InvoiceRow | null; emailQueued: boolean }> {
  const drafts: DraftLine[] = draftLinesOf(billing.lines, sub.currency);
  let invoice: InvoiceRow | null = null;
  let emailQueued = false;
  const lines = billing.lines.map((l) => ({ ...l }));
  if (drafts.length > 0) {
    invoice = await createDraftIn(
      tx,
      ctx,
      {
        customer: sub.customerId,
        currency: sub.currency,
        issue_date: opts.invoiceDate ?? issueDateOf(billing.billingDate, opts.runDate ?? ctx.today),
        payment_terms_days: sub.paymentTermsDays,
        service_period: billing.period ?? spanOf(billing.lines),
        lines: drafts.map(({ kind: _k, source: _s, ...line }) => line),
      },
      { type: 'subscription', id: sub.id },
    );
    const invoiced = invoice.lines as { id: string; quantity: string }[];
    drafts.forEach((d, i) => {
      lines[d.source]!.invoiceLine = { id: invoiced[i]!.id, quantity: invoiced[i]!.quantity };
    });
  }
  await tx.insert(subscriptionBillings).values({
    id: newId('sbl'),
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    subscriptionId: sub.id,
    kind,
    billingDate: billing.billingDate,
    periodStart: billing.period?.start ?? null,
    periodEnd: billing.period?.end ?? null,
    linesEnd: linesEnd(lines),
    lines,
    invoiceId: invoice?.id ?? null,
    billRunId: opts.billRunId ?? null,
    billedThroughBefore: billedThrough.before,
    billedThroughAfter: billedThrough.after,
  });
  if (beforePosting) await beforePosting(invoice);
  if (invoice && (opts.autoPost ?? sub.autoPost) && !dec(invoice.total).isNegative()) {
    invoice = await postInvoiceIn(tx, ctx, invoice.id);
    if (opts.autoSend ?? sub.autoSend) {
      // No recipient (or no template) must not stop billing: the invoice stays posted and unsent.
      const sent = await attempt(tx, (sp) =>
        sendInvoiceIn(sp, { ...ctx, smtpConfigured: opts.smtpConfigured ?? false }, invoice!.id, {}),
      );
      if (sent.ok) {
        invoice = sent.value.invoice;
        emailQueued = sent.value.email.status === 'queued';
      }
    }
  }
  return { invoice, emailQueued };
}

/** API.md's bill-run rule: the later of the billing date and the run's date, so catching up never makes an invoice overdue at once. */
export function issueDateOf(billingDate: string, runDate: string): string {
  return billingDate > runDate ? billingDate : runDate;
}

export interface BillDueResult {
  invoices: number;
  /** Another transaction held the subscription (with skipLocked): it bills it, or try again. */
  skipped: boolean;
  emailsQueued: number;
}

/**
 * Bills every occurrence of a subscription due on or before `targetDate` that is not billed yet, one invoice
 * and one transaction per billing date. Never twice: the subscription row is locked, billed_through only
 * moves by a conditional update, and the billing row is unique per billing date, all in the invoice's
 * transaction. With skipLocked a subscription another run is billing is skipped rather than waited for.
 */
export async function billDue(
  ctx: RequestContext,
  id: string,
  targetDate: string,
  opts: BillingOptions & { skipLocked?: boolean } = {},
): Promise<BillDueResult> {
  const result: BillDueResult = { invoices: 0, skipped: false, emailsQueued: 0 };
  for (let collisions = 0; ; ) {
    let step: 'billed' | 'done' | 'skipped';
    try {
      step = await ctx.db.transaction(async (tx) => {
        const [sub] = await tx
          .select()
          .from(subscriptions)
          .where(and(eq(subscriptions.id, id), eq(subscriptions.orgId, ctx.orgId)))
          .for('update', opts.skipLocked ? { skipLocked: true } : {});
        if (!sub) return opts.skipLocked ? 'skipped' : 'done';
        if (sub.nextBillingDate === null || sub.nextBillingDate > targetDate) return 'done';
        const terms = termsOf(sub);
        const usage = await usageOf(tx, sub, terms, usageFrom(terms, sub.billedThrough));
        const [occurrence] = duePeriods(terms, sub.billedThrough, targetDate, usage);
        if (!occurrence) {
          await tx
            .update(subscriptions)
            .set({ nextBillingDate: nextBillingDate(terms, sub.billedThrough) })
            .where(eq(subscriptions.id, sub.id));
          return 'done';
        }
        const billed = await billOccurrence(tx, ctx, sub, terms, occurrence, opts);
        if (billed.invoice) result.invoices++;
        if (billed.emailQueued) result.emailsQueued++;
        // Nothing more due: no need for another transaction to find that out.
        return billed.nextBillingDate === null || billed.nextBillingDate > targetDate ? 'done' : 'billed';
      });
    } catch (err) {
      // The unique billing date: someone billed this date in between. Nothing was written here; look again.
      if (isUniqueViolation(err) && ++collisions < 3) continue;
      if (isUniqueViolation(err))
        throw conflict('subscription_already_billed', `Subscription ${id} has a billing for this date already.`);
      throw err;
    }
    if (step === 'skipped') return { ...result, skipped: true };
    if (step === 'done') return result;
  }
}

async function billOccurrence(
  tx: Tx,
  ctx: RequestContext,
  sub: SubscriptionRow,
  terms: SubscriptionTerms,
  occurrence: Occurrence,
  opts: BillingOptions,
): Promise<{ invoice: InvoiceRow | null; emailQueued: boolean; nextBillingDate: string | null }> {
  const lines = [...storeLines(occurrence.lines, terms.items), ...(sub.pendingLines as StoredBillingLine[])];
  const next = nextBillingDate(terms, occurrence.billedThrough);
  const billed = await invoiceLines(
    tx,
    ctx,
    sub,
    'period',
    { billingDate: occurrence.billingDate, period: occurrence.period, lines },
    opts,
    { before: sub.billedThrough, after: occurrence.billedThrough },
    async (draft) => {
      const moved = await tx
        .update(subscriptions)
        .set({ billedThrough: occurrence.billedThrough, nextBillingDate: next, pendingLines: [] })
        .where(
          and(
            eq(subscriptions.id, sub.id),
            sql`${subscriptions.billedThrough} is not distinct from ${sub.billedThrough}`,
          ),
        )
        .returning({ id: subscriptions.id });
      if (moved.length === 0)
        throw conflict(
          'subscription_billed_concurrently',
          'The subscription was billed at the same time; nothing was written.',
        );
      await recordEvent(
        tx,
        ctx,
        'subscription.billed',
        { type: 'subscription', id: sub.id },
        {
          billing_date: occurrence.billingDate,
          period: occurrence.period,
          billed_through: occurrence.billedThrough,
          invoice: draft?.id ?? null,
          total: draft?.total ?? formatAmount(netOf(lines), sub.currency),
          bill_run: opts.billRunId ?? null,
        },
      );
    },
  );
  return { ...billed, nextBillingDate: next };
}

// ---------------------------------------------------------------- changes and cancellation

export async function changeSubscription(
  ctx: RequestContext,
  id: string,
  input: ChangeIn,
  opts: BillingOptions = {},
): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null; emailQueued: boolean }> {
  return ctx.db.transaction((tx) => changeSubscriptionIn(tx, ctx, id, input, opts));
}

/** changeSubscription, in the caller's transaction. */
export async function changeSubscriptionIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: ChangeIn,
  opts: BillingOptions = {},
): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null; emailQueued: boolean }> {
  const sub = await lockSubscription(tx, ctx, id);
  if (sub.status === 'cancelled')
    throw conflict('subscription_cancelled', 'A cancelled subscription cannot be changed.');
  const terms = termsOf(sub);
  const items = await resolveItems(tx, ctx, sub.currency, input.items, terms.items);
  const pending = sub.pendingLines as StoredBillingLine[];
  const history = await billedSince(tx, sub.id, input.effective_date);
  const billed = engineLines([...history.flatMap((h) => h.lines), ...pending]);
  const change = prorateChange(terms, sub.billedThrough, billed, {
    effectiveDate: input.effective_date,
    items,
    prorationBehavior: input.proration_behavior,
  });
  const lines = storeLines(change.lines, [...terms.items, ...items]);
  const next = nextBillingDate(change.terms, sub.billedThrough);
  let placement = change.placement;
  // A credit larger than the debit is not an invoice: it waits for the next one; with no next one, invoice now.
  if (placement === 'new_invoice' && netOf(lines).isNegative() && next !== null) placement = 'next_invoice';
  if (placement === 'next_invoice' && next === null) placement = 'new_invoice';
  let invoice: InvoiceRow | null = null;
  let emailQueued = false;
  let pendingLines = pending;
  if (lines.length > 0 && placement === 'new_invoice') {
    ({ invoice, emailQueued } = await invoiceLines(
      tx,
      ctx,
      sub,
      'change',
      { billingDate: input.effective_date, period: spanOf(lines), lines },
      opts,
      { before: sub.billedThrough, after: sub.billedThrough },
    ));
  } else if (placement === 'next_invoice') pendingLines = [...pending, ...lines];
  const [row] = await tx
    .update(subscriptions)
    .set({ items, pendingLines, nextBillingDate: next })
    .where(eq(subscriptions.id, sub.id))
    .returning();
  await recordEvent(
    tx,
    ctx,
    'subscription.changed',
    { type: 'subscription', id: sub.id },
    {
      effective_date: input.effective_date,
      proration_behavior: input.proration_behavior,
      placement,
      before: { items: terms.items },
      after: { items },
      proration_net: formatAmount(netOf(lines), sub.currency),
      invoice: invoice?.id ?? null,
    },
  );
  return { subscription: row!, invoice, emailQueued };
}

/**
 * Cancels from `effective_date` (the first day without service). With `prorate`, the unused billed days are
 * credited by a credit note on the invoice that billed them; what is due up to the cancellation (in arrears
 * the last partial period, in advance the last usage) is billed now.
 */
export async function cancelSubscription(
  ctx: RequestContext,
  id: string,
  input: CancelIn,
  opts: BillingOptions = {},
): Promise<{ subscription: SubscriptionRow; invoices: InvoiceRow[]; creditNotes: string[]; emailsQueued: number }> {
  return ctx.db.transaction((tx) => cancelSubscriptionIn(tx, ctx, id, input, opts));
}

/** cancelSubscription, in the caller's transaction. */
export async function cancelSubscriptionIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: CancelIn,
  opts: BillingOptions = {},
): Promise<{ subscription: SubscriptionRow; invoices: InvoiceRow[]; creditNotes: string[]; emailsQueued: number }> {
  const sub = await lockSubscription(tx, ctx, id);
  if (sub.status === 'cancelled') throw conflict('subscription_cancelled', 'The subscription is already cancelled.');
  const effective = input.effective_date ?? ctx.today;
  const terms = termsOf(sub);
  const pending = sub.pendingLines as StoredBillingLine[];
  const history = await billedSince(tx, sub.id, effective);
  // Usage from the period that holds the last day still counted as billed (the engine's `through`).
  const dayBefore = addDays(effective, -1);
  const through = sub.billedThrough !== null && sub.billedThrough > dayBefore ? dayBefore : sub.billedThrough;
  const usageStart = usageFrom(terms, through);
  const usage = await usageOf(tx, sub, terms, usageStart);
  const cancellation = prorateCancellation(
    terms,
    sub.billedThrough,
    engineLines([...history.flatMap((h) => h.lines), ...pending]),
    { effectiveDate: effective, prorate: input.prorate },
    usage,
  );
  const credits = storeLines(cancellation.credits, terms.items);
  const invoices: InvoiceRow[] = [];
  const creditNoteIds: string[] = [];
  let emailsQueued = 0;

  // Credits go to the invoices that billed those days, as credit notes; what has no posted invoice to credit
  // is billed as a negative line with the rest.
  let leftover = [...pending];
  if (credits.length > 0) {
    const { byInvoice, unmatched } = creditRequests(credits, history);
    leftover.push(...unmatched);
    for (const group of byInvoice) {
      const issued = await invoiceIssueDate(tx, group.invoiceId);
      const note = await attempt(tx, (sp) =>
        issueCreditNoteIn(sp, ctx, {
          invoice: group.invoiceId,
          reason: `Subscription ${sub.id} cancelled from ${effective}`,
          lines: group.lines,
          credit_to: 'invoice',
          issue_date: issued && issued > ctx.today ? issued : ctx.today,
        }),
      );
      // e.g. the invoice is still a draft or already credited: the credit is billed as a negative line instead.
      if (note.ok) creditNoteIds.push(note.value.id);
      else leftover.push(...group.credits);
    }
    await tx.insert(subscriptionBillings).values({
      id: newId('sbl'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      subscriptionId: sub.id,
      kind: 'cancellation',
      billingDate: effective,
      periodStart: spanOf(credits)?.start ?? null,
      periodEnd: spanOf(credits)?.end ?? null,
      linesEnd: linesEnd(credits),
      lines: credits,
      creditNoteId: creditNoteIds[0] ?? null,
      billedThroughBefore: sub.billedThrough,
      billedThroughAfter: sub.billedThrough,
    });
  }

  let billedThrough = sub.billedThrough;
  const billedUsage = history.flatMap((h) => h.lines).filter((l) => l.kind === 'usage');
  for (const [i, occurrence] of cancellation.occurrences.entries()) {
    const last = i === cancellation.occurrences.length - 1;
    // Cancelled on a billing date already billed, the engine bills the last period's usage again: not twice.
    const due = storeLines(occurrence.lines, terms.items).filter(
      (l) => l.kind !== 'usage' || !billedUsage.some((b) => b.itemId === l.itemId && b.period.start === l.period.start),
    );
    const lines = [...due, ...(last ? leftover : [])];
    if (last) leftover = [];
    const after =
      billedThrough !== null && billedThrough > occurrence.billedThrough ? billedThrough : occurrence.billedThrough;
    // Kind cancellation: the dates a cancellation bills are outside the schedule's unique billing dates.
    const billed = await invoiceLines(
      tx,
      ctx,
      sub,
      'cancellation',
      { billingDate: occurrence.billingDate, period: occurrence.period, lines },
      opts,
      { before: billedThrough, after },
    );
    billedThrough = after;
    if (billed.invoice) invoices.push(billed.invoice);
    if (billed.emailQueued) emailsQueued++;
  }
  if (leftover.length > 0) {
    const billed = await invoiceLines(
      tx,
      ctx,
      sub,
      'cancellation',
      { billingDate: effective, period: spanOf(leftover), lines: leftover },
      opts,
      { before: billedThrough, after: billedThrough },
    );
    if (billed.invoice) invoices.push(billed.invoice);
    if (billed.emailQueued) emailsQueued++;
  }

  const [row] = await tx
    .update(subscriptions)
    .set({
      status: 'cancelled',
      endDate: cancellation.terms.endDate,
      cancelledAt: ctx.clock.now(),
      billedThrough,
      nextBillingDate: nextBillingDate(cancellation.terms, billedThrough),
      pendingLines: [],
    })
    .where(eq(subscriptions.id, sub.id))
    .returning();
  await recordEvent(
    tx,
    ctx,
    'subscription.cancelled',
    { type: 'subscription', id: sub.id },
    {
      effective_date: effective,
      prorate: input.prorate,
      end_date: cancellation.terms.endDate,
      credited: formatAmount(netOf(credits).negated(), sub.currency),
      credit_notes: creditNoteIds,
      invoices: invoices.map((inv) => inv.id),
    },
  );
  return { subscription: row!, invoices, creditNotes: creditNoteIds, emailsQueued };
}

async function invoiceIssueDate(q: Queryable, invoiceId: string): Promise<string | null> {
  const result = (await q.execute(
    sql`select issue_date::text as d from invoices where id = ${invoiceId}`,
  )) as unknown as {
    rows: { d: string | null }[];
  };
  return result.rows[0]?.d ?? null;
}

// ---------------------------------------------------------------- usage and preview

/** Records usage of a usage item. With an Idempotency-Key, a second record with the same key returns the first. */
export async function recordUsage(
  ctx: RequestContext,
  id: string,
  input: UsageIn,
  idempotencyKey: string | null,
): Promise<{ usage: UsageRow; created: boolean }> {
  return ctx.db.transaction((tx) => recordUsageIn(tx, ctx, id, input, idempotencyKey));
}

/** recordUsage, in the caller's transaction. */
export async function recordUsageIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: UsageIn,
  idempotencyKey: string | null,
): Promise<{ usage: UsageRow; created: boolean }> {
  // A share lock: usage of one subscription is recorded concurrently, but not while it is being billed.
  const sub = await lockSubscription(tx, ctx, id, 'share');
  const terms = termsOf(sub);
  const item = terms.items.find((i) => i.id === input.item);
  if (!item) throw unprocessable('item_not_found', `The subscription has no item ${input.item}.`, 'item');
  if (!item.usage) throw unprocessable('item_not_usage', `Item ${input.item} is not billed by usage.`, 'item');
  const date = input.date ?? ctx.today;
  if (!servesOn(terms, date))
    throw unprocessable('usage_outside_service', `The subscription does not serve ${date}.`, 'date');
  if (usagePeriodBilled(terms, sub.billedThrough, date))
    throw conflict('usage_period_billed', `The usage of the period holding ${date} is already billed.`, 'date');
  const inserted = await tx
    .insert(subscriptionUsage)
    .values({
      id: newId('usg'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      subscriptionId: sub.id,
      itemId: item.id,
      quantity: input.quantity,
      date,
      idempotencyKey,
    })
    .onConflictDoNothing({ target: [subscriptionUsage.subscriptionId, subscriptionUsage.idempotencyKey] })
    .returning();
  if (inserted.length === 0) {
    const [existing] = await tx
      .select()
      .from(subscriptionUsage)
      .where(and(eq(subscriptionUsage.subscriptionId, sub.id), eq(subscriptionUsage.idempotencyKey, idempotencyKey!)));
    return { usage: existing!, created: false };
  }
  await recordEvent(
    tx,
    ctx,
    'subscription.usage_recorded',
    { type: 'subscription', id: sub.id },
    { usage: inserted[0]!.id, item: item.id, quantity: input.quantity, date },
  );
  return { usage: inserted[0]!, created: true };
}

export async function listUsage(ctx: RequestContext, id: string, page: PageQuery) {
  await getSubscription(ctx.db, ctx, id);
  const cursor = await afterCursor(ctx.db, subscriptionUsage, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(subscriptionUsage)
    .where(and(eq(subscriptionUsage.orgId, ctx.orgId), eq(subscriptionUsage.subscriptionId, id), cursor))
    .orderBy(desc(subscriptionUsage.createdAt), desc(subscriptionUsage.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

/**
 * The next invoice: the first occurrence not billed yet (with usage recorded up to `asOf`) and the prorations
 * waiting for it, priced by the same lines and arithmetic that billing uses. Nothing is saved.
 */
export async function previewSubscription(ctx: RequestContext, id: string, asOf: string): Promise<PreviewOut> {
  const sub = await getSubscription(ctx.db, ctx, id);
  const terms = termsOf(sub);
  const usage = (await usageOf(ctx.db, sub, terms, usageFrom(terms, sub.billedThrough))).filter((u) => u.date <= asOf);
  const occurrence = nextOccurrence(terms, sub.billedThrough, usage);
  const lines = [
    ...(occurrence ? storeLines(occurrence.lines, terms.items) : []),
    ...(sub.pendingLines as StoredBillingLine[]),
  ];
  const { drafts, amounts } = await priceLines(ctx.db, ctx.orgId, sub, lines);
  return {
    subscription: sub.id,
    currency: sub.currency,
    billing_date: occurrence?.billingDate ?? null,
    issue_date: occurrence ? issueDateOf(occurrence.billingDate, asOf) : null,
    period: occurrence?.period ?? spanOf(lines),
    lines: amounts.lines.map((l, i) => ({
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unit_price,
      amount: l.amount,
      tax_rate: l.tax_rate.id,
      period: l.period,
      kind: drafts[i]!.kind,
    })),
    subtotal: amounts.subtotal,
    tax_total: amounts.taxTotal,
    total: amounts.total,
    tax_breakdown: amounts.taxBreakdown,
  };
}

/** The invoice a billing's lines make, priced by the same lines and arithmetic that billing uses (nothing saved). */
async function priceLines(q: Queryable, orgId: string, sub: SubscriptionRow, lines: StoredBillingLine[]) {
  const drafts = draftLinesOf(lines, sub.currency);
  const refs = await loadDraftRefs(q, orgId, drafts);
  const amounts = buildDraftAmounts(
    {
      currency: sub.currency,
      taxBehavior: 'exclusive',
      lines: drafts.map(({ kind: _k, source: _s, ...line }) => line),
      allowancesCharges: [],
    },
    refs,
  );
  return { drafts, amounts };
}

/**
 * Every invoice the billing engine would make for the subscription's periods not billed yet whose billing date is on
 * or before `through`, with its net (total − tax_total), priced as the preview prices the next one. Usage is taken
 * as none (it counts 0 until recorded and billed); proration lines waiting ride on the first.
 */
export async function scheduledInvoices(
  q: Queryable,
  orgId: string,
  sub: SubscriptionRow,
  through: string,
): Promise<{ billingDate: string; net: string }[]> {
  const terms = termsOf(sub);
  const result: { billingDate: string; net: string }[] = [];
  let pending = sub.pendingLines as StoredBillingLine[];
  for (const occurrence of duePeriods(terms, sub.billedThrough, through, [])) {
    const lines = [...storeLines(occurrence.lines, terms.items), ...pending];
    pending = [];
    const { amounts } = await priceLines(q, orgId, sub, lines);
    result.push({ billingDate: occurrence.billingDate, net: dec(amounts.total).minus(amounts.taxTotal).toFixed() });
  }
  return result;
}

/** Subscriptions of an organization due on or before a date, oldest id first (what a bill run bills). */
export async function dueSubscriptionIds(q: Queryable, orgId: string, targetDate: string): Promise<string[]> {
  const rows = await q
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), lte(subscriptions.nextBillingDate, targetDate)))
    .orderBy(subscriptions.id);
  return rows.map((r) => r.id);
}
