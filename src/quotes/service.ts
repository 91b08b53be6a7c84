import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { getCustomer } from '../crm/service';
import { brandingOf } from '../documents/views';
import { enqueueEmail } from '../email/outbox-store';
import { invoiceRecipients, messageDomain, orgTemplates, registerAttachmentRenderer } from '../email/service';
import { renderTemplate, TemplateError } from '../email/templates';
import { documentCurrency, documentCustomer, loadDraftRefs } from '../invoicing/draft-refs-store';
import { nextNumber } from '../invoicing/numbering-store';
import type { OrderRow } from '../orders/schemas';
import { insertOrder } from '../orders/service';
import { getOrganization } from '../organizations/service';
import { readSettings } from '../organizations/settings';
import { dateInZone, type RequestContext, type Site } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { newToken } from '../platform/secrets';
import { netUnitPrice, type PricedLines, priceLines } from './pricing';
import { renderQuotePdf } from './quote-pdf';
import {
  type QuoteIn,
  type QuoteLineIn,
  type QuoteListQuery,
  type QuotePatch,
  type QuoteRow,
  quoteOut,
  quoteStatus,
  type StoredQuoteLine,
} from './schemas';
import { quotes } from './tables';

export const QUOTE_NUMBER_FORMAT = 'Q-{YYYY}-{seq:6}';

async function price(
  q: Queryable,
  ctx: RequestContext,
  currency: string,
  taxBehavior: 'exclusive' | 'inclusive',
  lines: QuoteLineIn[],
): Promise<PricedLines> {
  const refs = await loadDraftRefs(q, ctx.orgId, lines);
  const priced = priceLines(
    { currency, taxBehavior, lines: lines.map(({ recurring, ...l }) => ({ ...l, recurring: recurring ?? null })) },
    refs,
  );
  // A recurring line's discount must give an exact subscription price: refuse it now, not at acceptance.
  priced.lines.forEach((l, i) => {
    if (l.recurring) netUnitPrice(l, `lines[${i}]`);
  });
  return priced;
}

function amountsOf(p: PricedLines) {
  return {
    lines: p.lines,
    taxBreakdown: p.oneTime.taxBreakdown,
    subtotal: p.oneTime.subtotal,
    taxTotal: p.oneTime.taxTotal,
    total: p.oneTime.total,
    recurringTotalPerInterval: p.recurringTotal,
    recurringTotals: p.recurringTotals,
  };
}

/** A stored line back as input, so that a quote priced again keeps its lines. */
function lineInputOf(l: StoredQuoteLine): QuoteLineIn {
  return {
    description: l.description,
    product: l.product,
    quantity: l.quantity,
    unit: l.unit,
    unit_price: l.unit_price,
    discount_percent: l.discount_percent,
    tax_rate: l.tax_rate.id,
    recurring: l.recurring,
  };
}

export async function createQuote(ctx: RequestContext, input: QuoteIn): Promise<QuoteRow> {
  return ctx.db.transaction((tx) => createQuoteIn(tx, ctx, input));
}

/** createQuote, in the caller's transaction. */
export async function createQuoteIn(
  tx: Tx,
  ctx: RequestContext,
  input: QuoteIn,
  link: { opportunityId?: string } = {},
): Promise<QuoteRow> {
  const customer = await documentCustomer(ctx, tx, input.customer);
  const currency = documentCurrency(customer, input.currency);
  const taxBehavior = input.tax_behavior ?? 'exclusive';
  const priced = await price(tx, ctx, currency, taxBehavior, input.lines ?? []);
  const { number, series, seq } = await nextNumber(
    tx,
    ctx.orgId,
    'quote',
    { format: QUOTE_NUMBER_FORMAT, start: 1, enforceChronological: false },
    ctx.today,
  );
  const [row] = await tx
    .insert(quotes)
    .values({
      id: newId('quo'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId: customer.id,
      number,
      series,
      seq,
      currency,
      taxBehavior,
      validUntil: input.valid_until ?? null,
      startDate: input.start_date ?? null,
      ...amountsOf(priced),
      notes: input.notes ?? null,
      opportunityId: link.opportunityId ?? null,
      createdBy: ctx.userId,
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'quote.created',
    { type: 'quote', id: row!.id },
    {
      customer: customer.id,
      number,
      total: row!.total,
      recurring_total_per_interval: row!.recurringTotalPerInterval,
    },
  );
  return row!;
}

async function lockQuote(tx: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<QuoteRow> {
  const [row] = await tx
    .select()
    .from(quotes)
    .where(and(eq(quotes.id, id), eq(quotes.orgId, ctx.orgId)))
    .for('update');
  if (!row) throw notFound('quote', id);
  return row;
}

export async function updateQuote(ctx: RequestContext, id: string, patch: QuotePatch): Promise<QuoteRow> {
  return ctx.db.transaction((tx) => updateQuoteIn(tx, ctx, id, patch));
}

/** updateQuote, in the caller's transaction. */
export async function updateQuoteIn(tx: Tx, ctx: RequestContext, id: string, patch: QuotePatch): Promise<QuoteRow> {
  const before = await lockQuote(tx, ctx, id);
  if (before.status !== 'draft')
    throw conflict(
      'quote_not_draft',
      `Only a draft quote can be changed (this one is ${quoteStatus(before, ctx.today)}).`,
    );
  const customer = await documentCustomer(ctx, tx, patch.customer ?? before.customerId);
  const currency = documentCurrency(customer, patch.currency ?? (patch.customer ? undefined : before.currency));
  const taxBehavior = patch.tax_behavior ?? (before.taxBehavior as 'exclusive' | 'inclusive');
  const priced = await price(
    tx,
    ctx,
    currency,
    taxBehavior,
    patch.lines ?? (before.lines as StoredQuoteLine[]).map(lineInputOf),
  );
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const [row] = await tx
    .update(quotes)
    .set({
      customerId: customer.id,
      currency,
      taxBehavior,
      validUntil: keep(patch.valid_until, before.validUntil),
      startDate: keep(patch.start_date, before.startDate),
      ...amountsOf(priced),
      notes: keep(patch.notes, before.notes),
    })
    .where(eq(quotes.id, id))
    .returning();
  await recordEvent(tx, ctx, 'quote.updated', { type: 'quote', id }, { changed: Object.keys(patch) });
  return row!;
}

export async function getQuote(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<QuoteRow> {
  const [row] = await q
    .select()
    .from(quotes)
    .where(and(eq(quotes.id, id), eq(quotes.orgId, ctx.orgId)));
  if (!row) throw notFound('quote', id);
  return row;
}

export async function listQuotes(ctx: RequestContext, q: QuoteListQuery) {
  const cursor = await afterCursor(ctx.db, quotes, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(quotes.orgId, ctx.orgId), cursor];
  if (q.customer) c.push(eq(quotes.customerId, q.customer));
  const expired = sql`(${quotes.status} = 'sent' and ${quotes.validUntil} < ${ctx.today})`;
  if (q.status === 'expired') c.push(expired);
  else if (q.status) c.push(and(eq(quotes.status, q.status), sql`not ${expired}`));
  const rows = await ctx.db
    .select()
    .from(quotes)
    .where(and(...c))
    .orderBy(desc(quotes.createdAt), desc(quotes.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}

async function render(t: { subject: string; body: string }, vars: Record<string, unknown>) {
  try {
    return await renderTemplate(t, vars);
  } catch (err) {
    if (err instanceof TemplateError)
      throw unprocessable('template_invalid', `The email template cannot be rendered: ${err.message}`, 'template');
    throw err;
  }
}

/**
 * Sends the quote (again): email with the PDF attached and the link to its hosted page, through the outbox in
 * the same transaction. A draft becomes sent and gets its page's unguessable token.
 */
export async function sendQuote(
  ctx: RequestContext & { smtpConfigured: boolean },
  id: string,
  input: { to?: string[] | undefined; cc?: string[] | undefined; message?: string | undefined },
) {
  return ctx.db.transaction((tx) => sendQuoteIn(tx, ctx, id, input));
}

/** sendQuote, in the caller's transaction. */
export async function sendQuoteIn(
  tx: Tx,
  ctx: RequestContext & { smtpConfigured: boolean },
  id: string,
  input: { to?: string[] | undefined; cc?: string[] | undefined; message?: string | undefined },
) {
  const before = await lockQuote(tx, ctx, id);
  assertOpen(before, ctx.today, 'send');
  if ((before.lines as unknown[]).length === 0) throw conflict('quote_empty', 'A quote needs at least one line.');
  const to = input.to?.length ? input.to : await invoiceRecipients(tx, ctx.orgId, before.customerId);
  if (to.length === 0)
    throw unprocessable('no_recipient', 'The customer has no email and no contact receives invoices; give "to".', 'to');
  const [quote] = await tx
    .update(quotes)
    .set({ status: 'sent', sentAt: ctx.clock.now(), hostedToken: before.hostedToken ?? newToken(24) })
    .where(eq(quotes.id, id))
    .returning();
  const customer = await getCustomer(tx, ctx, quote!.customerId);
  const settings = readSettings((await getOrganization(tx, ctx.orgId)).settings);
  const mail = await render((await orgTemplates(tx, ctx.orgId)).quote, {
    quote: quoteOut(quote!, ctx.today, ctx.publicUrl),
    customer: { name: customer.name, email: customer.email },
    organization: { name: settings.legal_name, email: settings.email, iban: settings.iban },
    message: input.message ?? null,
  });
  const email = await enqueueEmail(tx, ctx, {
    orgId: ctx.orgId,
    customerId: quote!.customerId,
    invoiceId: null,
    kind: 'quote',
    to,
    cc: input.cc ?? [],
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: [{ kind: 'quote_pdf', id }],
    smtpConfigured: ctx.smtpConfigured,
    messageDomain: messageDomain(ctx.publicUrl),
  });
  await recordEvent(tx, ctx, 'quote.sent', { type: 'quote', id }, { email: email.id, to, status: email.status });
  return { quote: quote!, email };
}

/**
 * Accepts: the order (and the subscriptions of recurring lines) is made in the same transaction, once. The
 * quote row is locked, so a customer and a user accepting at the same moment queue and the second gets 409;
 * orders.quote_id is unique besides.
 */
type AcceptedHook = (tx: Tx, ctx: RequestContext, quote: QuoteRow) => Promise<void>;
const acceptedHooks: AcceptedHook[] = [];

/**
 * Work that other capabilities do in the transaction that accepts a quote (the pipeline wins the opportunity the
 * quote was made from). A hook, not an import, so that quotes need not know the pipeline.
 */
export function onQuoteAccepted(hook: AcceptedHook): void {
  if (!acceptedHooks.includes(hook)) acceptedHooks.push(hook);
}

async function acceptLocked(
  tx: Tx,
  ctx: RequestContext,
  quote: QuoteRow,
): Promise<{ quote: QuoteRow; order: OrderRow }> {
  assertOpen(quote, ctx.today, 'accept');
  if ((quote.lines as unknown[]).length === 0) throw conflict('quote_empty', 'A quote needs at least one line.');
  const customer = await getCustomer(tx, ctx, quote.customerId);
  const order = await insertOrder(tx, ctx, {
    customer,
    currency: quote.currency,
    taxBehavior: quote.taxBehavior as 'exclusive' | 'inclusive',
    quoteId: quote.id,
    notes: quote.notes,
    lines: (quote.lines as StoredQuoteLine[]).map((l) => ({
      ...l,
      charge_type: l.recurring ? 'recurring' : 'one_time',
    })),
    subscription: { start_date: quote.startDate ?? ctx.today },
  });
  const [row] = await tx
    .update(quotes)
    .set({ status: 'accepted', acceptedAt: ctx.clock.now(), orderId: order.id })
    .where(eq(quotes.id, quote.id))
    .returning();
  await recordEvent(
    tx,
    ctx,
    'quote.accepted',
    { type: 'quote', id: quote.id },
    { order: order.id, by: ctx.actor.type, customer: quote.customerId },
  );
  for (const hook of acceptedHooks) await hook(tx, ctx, row!);
  return { quote: row!, order };
}

async function declineLocked(tx: Tx, ctx: RequestContext, quote: QuoteRow): Promise<QuoteRow> {
  assertOpen(quote, ctx.today, 'decline');
  const [row] = await tx
    .update(quotes)
    .set({ status: 'declined', declinedAt: ctx.clock.now() })
    .where(eq(quotes.id, quote.id))
    .returning();
  await recordEvent(tx, ctx, 'quote.declined', { type: 'quote', id: quote.id }, { by: ctx.actor.type });
  return row!;
}

function assertOpen(quote: QuoteRow, today: string, action: string): void {
  const status = quoteStatus(quote, today);
  if (status === 'accepted') throw conflict('quote_already_accepted', `Quote ${quote.number} is already accepted.`);
  if (status === 'declined') throw conflict('quote_declined', `Quote ${quote.number} was declined.`);
  if (status === 'expired' || (quote.validUntil !== null && quote.validUntil < today))
    throw conflict('quote_expired', `Quote ${quote.number} expired on ${quote.validUntil}; it cannot be ${action}ed.`);
}

export async function acceptQuote(ctx: RequestContext, id: string) {
  return ctx.db.transaction(async (tx) => acceptLocked(tx, ctx, await lockQuote(tx, ctx, id)));
}

export async function declineQuote(ctx: RequestContext, id: string): Promise<QuoteRow> {
  return ctx.db.transaction(async (tx) => declineLocked(tx, ctx, await lockQuote(tx, ctx, id)));
}

// ---------------------------------------------------------------- the hosted page (/q/:token)

/** A sent quote by its page token; an unknown token, or a quote never sent, is 404. */
async function quoteByToken(q: Queryable, token: string): Promise<QuoteRow> {
  const [row] = await q.select().from(quotes).where(eq(quotes.hostedToken, token));
  if (!row) throw notFound('quote', 'for this link');
  return row;
}

/** The customer on the hosted page acts for the organization's quote, as the public actor, on its calendar. */
async function publicContext({ db, clock, publicUrl }: Site, orgId: string): Promise<RequestContext> {
  const settings = readSettings((await getOrganization(db, orgId)).settings);
  return {
    db,
    orgId,
    actor: { type: 'public', id: null },
    role: 'finance',
    userId: null,
    clock,
    today: dateInZone(clock.now(), settings.time_zone),
    publicUrl,
  };
}

export async function hostedQuote(site: Site, token: string) {
  const { db } = site;
  const quote = await quoteByToken(db, token);
  const ctx = await publicContext(site, quote.orgId);
  const org = await getOrganization(db, quote.orgId);
  const settings = readSettings(org.settings);
  const customer = await getCustomer(db, ctx, quote.customerId);
  return {
    quote: quoteOut(quote, ctx.today, site.publicUrl),
    seller: settings.legal_name,
    customer: customer.name,
    accentColor: settings.branding.accent_color ?? '#1f6feb',
    locale: customer.locale ?? settings.locale,
  };
}

export async function respondByToken(site: Site, token: string, answer: 'accept' | 'decline') {
  const found = await quoteByToken(site.db, token);
  const ctx = await publicContext(site, found.orgId);
  const quote = await site.db.transaction(async (tx) => {
    const locked = await lockQuote(tx, ctx, found.id);
    if (answer === 'accept') return (await acceptLocked(tx, ctx, locked)).quote;
    return declineLocked(tx, ctx, locked);
  });
  return { quote, today: ctx.today };
}

export async function hostedQuotePdf(site: Site, token: string) {
  const quote = await quoteByToken(site.db, token);
  return { pdf: await quotePdf(site, quote.orgId, quote.id), number: quote.number };
}

/** The quote's PDF with today's parties (a quote keeps no snapshot: it is not a posted document). */
export async function quotePdf({ db, clock, publicUrl }: Site, orgId: string, id: string): Promise<Buffer> {
  const quote = await getQuote(db, { orgId }, id);
  const org = await getOrganization(db, orgId);
  const settings = readSettings(org.settings);
  const customer = await getCustomer(db, { orgId }, quote.customerId);
  const today = dateInZone(clock.now(), settings.time_zone);
  return renderQuotePdf(
    quoteOut(quote, today, publicUrl),
    {
      customer: {
        name: customer.name,
        email: customer.email,
        billing_address: customer.billingAddress as never,
        tax_id: customer.taxId,
      },
      seller: {
        legal_name: settings.legal_name,
        address: settings.address as never,
        tax_id: settings.tax_id,
        iban: settings.iban,
        bic: settings.bic,
        email: settings.email,
        phone: settings.phone,
      },
    },
    brandingOf(settings, org.logo ?? null, customer.locale),
  );
}

registerAttachmentRenderer('quote_pdf', async (site, orgId, a) => {
  const quote = await getQuote(site.db, { orgId }, a.id);
  return {
    filename: `${quote.number}.pdf`,
    content: await quotePdf(site, orgId, a.id),
    contentType: 'application/pdf',
  };
});
