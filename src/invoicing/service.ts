import { and, eq, gte, ilike, lte, or, type SQL, sql } from 'drizzle-orm';
import { assertMayChange, getCustomer } from '../crm/service';
import type { customers } from '../crm/tables';
import { invoicePosted, invoiceVoided, markedUncollectible } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { dec, formatAmount } from '../money/money';
import { assertPeriodOpen } from '../organizations/closed-period';
import { assertPeriodOpenIn } from '../organizations/service';
import type { Settings } from '../organizations/settings';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { invalid, notFound } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterSortedCursor, listSort, sortOrder, toPage } from '../platform/pagination';
import { newToken } from '../platform/secrets';
import {
  buildDraftAmounts,
  type DocumentAllowanceChargeInput,
  type LineInput,
  type StoredDocumentAllowanceCharge,
  type StoredLine,
} from './draft';
import { documentCurrency, documentCustomer, loadDraftRefs } from './draft-refs-store';
import { lockInvoice } from './invoice-store';
import {
  assertCollectible,
  assertDraft,
  assertPostable,
  assertVoidable,
  type InvoiceStatus,
  postingDates,
} from './lifecycle';
import { nextNumber } from './numbering-store';
import { lockForPosting } from './posting-store';
import type { InvoiceIn, InvoiceListQuery, InvoicePatch } from './schemas';
import { type InvoiceRow, invoices } from './tables';

type CustomerRow = typeof customers.$inferSelect;

async function computeDraft(
  q: Queryable,
  ctx: RequestContext,
  currency: string,
  taxBehavior: 'exclusive' | 'inclusive',
  lines: LineInput[],
  acs: DocumentAllowanceChargeInput[],
) {
  const refs = await loadDraftRefs(q, ctx.orgId, [...lines, ...acs]);
  const a = buildDraftAmounts({ currency, taxBehavior, lines, allowancesCharges: acs }, refs);
  return {
    lines: a.lines,
    allowancesCharges: a.allowancesCharges,
    taxBreakdown: a.taxBreakdown,
    subtotal: a.subtotal,
    allowanceTotal: a.allowanceTotal,
    chargeTotal: a.chargeTotal,
    taxTotal: a.taxTotal,
    total: a.total,
    amountDue: a.total,
  };
}

function checkDates(issueDate: string | null | undefined, dueDate: string | null | undefined): void {
  if (issueDate && dueDate && dueDate < issueDate)
    throw invalid('due_before_issue', 'The due date is before the issue date.', 'due_date');
}

export async function createDraft(
  ctx: RequestContext,
  input: InvoiceIn,
  source?: { type: string; id: string },
): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => createDraftIn(tx, ctx, input, source));
}

/** createDraft, in the caller's transaction. */
export async function createDraftIn(
  tx: Tx,
  ctx: RequestContext,
  input: InvoiceIn,
  source?: { type: string; id: string },
): Promise<InvoiceRow> {
  const customer = await documentCustomer(ctx, tx, input.customer);
  const currency = documentCurrency(customer, input.currency);
  checkDates(input.issue_date, input.due_date);
  const amounts = await computeDraft(
    tx,
    ctx,
    currency,
    input.tax_behavior ?? 'exclusive',
    input.lines ?? [],
    input.allowances_charges ?? [],
  );
  const [row] = await tx
    .insert(invoices)
    .values({
      id: newId('inv'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId: customer.id,
      currency,
      taxBehavior: input.tax_behavior ?? 'exclusive',
      issueDate: input.issue_date ?? null,
      dueDate: input.due_date ?? null,
      paymentTermsDays: input.payment_terms_days ?? null,
      servicePeriod: input.service_period ?? null,
      ...amounts,
      poNumber: input.po_number ?? null,
      buyerReference: input.buyer_reference ?? null,
      notes: input.notes ?? null,
      footer: input.footer ?? null,
      disputed: input.disputed ?? false,
      remindersPaused: input.reminders_paused ?? false,
      sourceType: source?.type ?? null,
      sourceId: source?.id ?? null,
      createdBy: ctx.userId,
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'invoice.created',
    { type: 'invoice', id: row!.id },
    { customer: customer.id, total: row!.total, source: source ?? null },
  );
  return row!;
}

export async function updateDraft(ctx: RequestContext, id: string, patch: InvoicePatch): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => updateDraftIn(tx, ctx, id, patch));
}

/** updateDraft, in the caller's transaction. */
export async function updateDraftIn(tx: Tx, ctx: RequestContext, id: string, patch: InvoicePatch): Promise<InvoiceRow> {
  const before = await lockInvoice(tx, ctx, id);
  assertDraft({ status: before.status as InvoiceStatus });
  assertMayChange(ctx, await getCustomer(tx, ctx, before.customerId));
  const customer = patch.customer
    ? await documentCustomer(ctx, tx, patch.customer)
    : await getCustomer(tx, ctx, before.customerId);
  const currency = documentCurrency(customer, patch.currency ?? (patch.customer ? undefined : before.currency));
  const issueDate = patch.issue_date === undefined ? before.issueDate : patch.issue_date;
  const dueDate = patch.due_date === undefined ? before.dueDate : patch.due_date;
  checkDates(issueDate, dueDate);
  const recompute =
    patch.lines !== undefined ||
    patch.allowances_charges !== undefined ||
    patch.tax_behavior !== undefined ||
    currency !== before.currency;
  const taxBehavior = patch.tax_behavior ?? (before.taxBehavior as 'exclusive' | 'inclusive');
  const amounts = recompute
    ? await computeDraft(
        tx,
        ctx,
        currency,
        taxBehavior,
        patch.lines ?? (before.lines as StoredLine[]).map(lineInputOf),
        patch.allowances_charges ?? (before.allowancesCharges as StoredDocumentAllowanceCharge[]).map(acInputOf),
      )
    : {};
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const [row] = await tx
    .update(invoices)
    .set({
      customerId: customer.id,
      currency,
      taxBehavior,
      issueDate,
      dueDate,
      paymentTermsDays: keep(patch.payment_terms_days, before.paymentTermsDays),
      servicePeriod: keep(patch.service_period, before.servicePeriod),
      ...amounts,
      poNumber: keep(patch.po_number, before.poNumber),
      buyerReference: keep(patch.buyer_reference, before.buyerReference),
      notes: keep(patch.notes, before.notes),
      footer: keep(patch.footer, before.footer),
      disputed: patch.disputed ?? before.disputed,
      remindersPaused: patch.reminders_paused ?? before.remindersPaused,
    })
    .where(eq(invoices.id, id))
    .returning();
  await recordEvent(tx, ctx, 'invoice.updated', { type: 'invoice', id }, { changed: Object.keys(patch) });
  return row!;
}

/** A stored line back as input, so that a draft saved again keeps its lines. */
function lineInputOf(l: StoredLine): LineInput {
  return {
    description: l.description,
    product: l.product,
    quantity: l.quantity,
    unit: l.unit,
    unit_price: l.unit_price,
    price_base_quantity: l.price_base_quantity,
    discount_percent: l.discount_percent,
    allowances_charges: l.allowances_charges.map(({ value: _v, ...ac }) => ac),
    tax_rate: l.tax_rate.id,
    period: l.period,
  };
}

function acInputOf({ value: _v, tax_rate, ...ac }: StoredDocumentAllowanceCharge): DocumentAllowanceChargeInput {
  return { ...ac, tax_rate: tax_rate.id };
}

export async function deleteDraft(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction((tx) => deleteDraftIn(tx, ctx, id));
}

/** deleteDraft, in the caller's transaction. */
export async function deleteDraftIn(tx: Tx, ctx: RequestContext, id: string): Promise<void> {
  const inv = await lockInvoice(tx, ctx, id);
  assertDraft({ status: inv.status as InvoiceStatus });
  assertMayChange(ctx, await getCustomer(tx, ctx, inv.customerId));
  await tx.delete(invoices).where(eq(invoices.id, id));
  await recordEvent(tx, ctx, 'invoice.deleted', { type: 'invoice', id }, { customer: inv.customerId });
}

function sellerSnapshot(s: Settings) {
  return {
    name: s.legal_name,
    email: s.email,
    address: s.address,
    tax_id: s.tax_id,
    peppol_id: s.peppol_id,
    iban: s.iban,
    bic: s.bic,
    phone: s.phone,
  };
}

function customerSnapshot(c: CustomerRow) {
  return { name: c.name, email: c.email, address: c.billingAddress, tax_id: c.taxId, peppol_id: c.peppolId };
}

/** Posts a draft: number, dates, snapshots, hosted-page token, journal entry and event, in one transaction. */
export async function postInvoice(ctx: RequestContext, id: string): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => postInvoiceIn(tx, ctx, id));
}

/** postInvoice, in the caller's transaction. */
export async function postInvoiceIn(tx: Tx, ctx: RequestContext, id: string): Promise<InvoiceRow> {
  const { draft, customer, settings } = await lockForPosting(tx, ctx.orgId, id);
  assertPostable({ status: draft.status as InvoiceStatus, lines: draft.lines as unknown[], total: draft.total });
  const terms = draft.paymentTermsDays ?? customer.paymentTermsDays ?? settings.payment_terms_days;
  const { issueDate, dueDate } = postingDates(draft, terms, ctx.today);
  assertPeriodOpen(settings.books_closed_through, issueDate, 'issue_date');
  const { number, series, seq } = await nextNumber(
    tx,
    ctx.orgId,
    'invoice',
    {
      format: settings.invoice_number_format,
      start: settings.invoice_number_start,
      enforceChronological: settings.enforce_chronological_numbering,
    },
    issueDate,
  );
  const zero = dec(draft.total).isZero();
  const changes = {
    status: zero ? 'paid' : 'posted',
    number,
    series,
    seq,
    issueDate,
    dueDate,
    paymentTermsDays: terms,
    customerSnapshot: customerSnapshot(customer),
    sellerSnapshot: sellerSnapshot(settings),
    hostedToken: newToken(24),
    postedAt: ctx.clock.now(),
    paidOn: zero ? issueDate : null,
  };
  // The posted row is the draft plus these changes: no need to read it back.
  await tx.update(invoices).set(changes).where(eq(invoices.id, id));
  await recordEntries(tx, ctx, [
    invoicePosted({ id, number, issueDate, currency: draft.currency, total: draft.total, taxTotal: draft.taxTotal }),
  ]);
  await recordEvent(
    tx,
    ctx,
    'invoice.posted',
    { type: 'invoice', id },
    { number, total: draft.total, issue_date: issueDate, due_date: dueDate },
  );
  if (zero) await recordEvent(tx, ctx, 'invoice.paid', { type: 'invoice', id }, { date: issueDate, number });
  return { ...draft, ...changes };
}

export async function voidInvoice(ctx: RequestContext, id: string): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => voidInvoiceIn(tx, ctx, id));
}

/** voidInvoice, in the caller's transaction. */
export async function voidInvoiceIn(tx: Tx, ctx: RequestContext, id: string): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, id);
  await assertPeriodOpenIn(tx, ctx.orgId, ctx.today, null);
  assertVoidable({
    status: inv.status as InvoiceStatus,
    total: inv.total,
    amountPaid: inv.amountPaid,
    amountCredited: inv.amountCredited,
    amountWrittenOff: inv.amountWrittenOff,
  });
  const [row] = await tx
    .update(invoices)
    .set({ status: 'void', voidedOn: ctx.today, amountDue: formatAmount(0, inv.currency) })
    .where(eq(invoices.id, id))
    .returning();
  await recordEntries(tx, ctx, [
    invoiceVoided(
      { id, number: inv.number!, currency: inv.currency, total: inv.total, taxTotal: inv.taxTotal },
      ctx.today,
    ),
  ]);
  await recordEvent(tx, ctx, 'invoice.voided', { type: 'invoice', id }, { before: inv.status, number: inv.number });
  return row!;
}

export async function markUncollectible(ctx: RequestContext, id: string): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => markUncollectibleIn(tx, ctx, id));
}

/** markUncollectible, in the caller's transaction. */
export async function markUncollectibleIn(tx: Tx, ctx: RequestContext, id: string): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, id);
  await assertPeriodOpenIn(tx, ctx.orgId, ctx.today, null);
  assertCollectible({ status: inv.status as InvoiceStatus, amountDue: inv.amountDue });
  const [row] = await tx
    .update(invoices)
    .set({ status: 'uncollectible', uncollectibleOn: ctx.today })
    .where(eq(invoices.id, id))
    .returning();
  await recordEntries(tx, ctx, [
    markedUncollectible({ id, number: inv.number!, currency: inv.currency, amountDue: inv.amountDue }, ctx.today),
  ]);
  await recordEvent(tx, ctx, 'invoice.marked_uncollectible', { type: 'invoice', id }, { amount_due: inv.amountDue });
  return row!;
}

export async function setFlags(
  ctx: RequestContext,
  id: string,
  flags: { disputed?: boolean | undefined; reminders_paused?: boolean | undefined },
): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => setFlagsIn(tx, ctx, id, flags));
}

/** setFlags, in the caller's transaction. */
export async function setFlagsIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  flags: { disputed?: boolean | undefined; reminders_paused?: boolean | undefined },
): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, id);
  const [row] = await tx
    .update(invoices)
    .set({ disputed: flags.disputed ?? inv.disputed, remindersPaused: flags.reminders_paused ?? inv.remindersPaused })
    .where(eq(invoices.id, id))
    .returning();
  await recordEvent(
    tx,
    ctx,
    'invoice.flags_updated',
    { type: 'invoice', id },
    {
      before: { disputed: inv.disputed, reminders_paused: inv.remindersPaused },
      after: { disputed: row!.disputed, reminders_paused: row!.remindersPaused },
    },
  );
  return row!;
}

/** A new draft with the same customer, lines and terms (for corrections after a credit note). */
export async function duplicateInvoice(ctx: RequestContext, id: string): Promise<InvoiceRow> {
  const original = await getInvoice(ctx.db, ctx, id);
  return createDraft(
    ctx,
    {
      customer: original.customerId,
      tax_behavior: original.taxBehavior as 'exclusive' | 'inclusive',
      payment_terms_days: original.paymentTermsDays,
      service_period: original.servicePeriod as { start: string; end: string } | null,
      lines: (original.lines as StoredLine[]).map(lineInputOf),
      allowances_charges: (original.allowancesCharges as StoredDocumentAllowanceCharge[]).map(acInputOf),
      po_number: original.poNumber,
      buyer_reference: original.buyerReference,
      notes: original.notes,
      footer: original.footer,
    },
    { type: 'invoice', id },
  );
}

export async function getInvoice(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<InvoiceRow> {
  const [row] = await q
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.orgId, ctx.orgId)));
  if (!row) throw notFound('invoice', id);
  return row;
}

/** The keys of each `sort=` field of the invoice list (never null, so a cursor compares them as a row). */
const invoiceSortFields = {
  issue_date: [sql`coalesce(${invoices.issueDate}, '9999-12-31'::date)`],
  number: [sql`(${invoices.series} is null)`, sql`coalesce(${invoices.series}, '')`, sql`coalesce(${invoices.seq}, 0)`],
  customer_name: [sql`lower(coalesce((select c.name from customers c where c.id = ${invoices.customerId}), ''))`],
  total: [sql`${invoices.total}`],
  amount_due: [sql`${invoices.amountDue}`],
  due_date: [sql`coalesce(${invoices.dueDate}, '9999-12-31'::date)`],
};

/** The conditions of the invoice list's filters (shared by the list and its summary). */
function invoiceFilters(ctx: RequestContext, q: Omit<InvoiceListQuery, 'limit'>, asOf: string): (SQL | undefined)[] {
  const c: (SQL | undefined)[] = [eq(invoices.orgId, ctx.orgId)];
  if (q.status) c.push(eq(invoices.status, q.status));
  if (q.customer) c.push(eq(invoices.customerId, q.customer));
  if (q['issue_date[gte]']) c.push(gte(invoices.issueDate, q['issue_date[gte]']));
  if (q['issue_date[lte]']) c.push(lte(invoices.issueDate, q['issue_date[lte]']));
  if (q['due_date[lte]']) c.push(lte(invoices.dueDate, q['due_date[lte]']));
  if (q.payment_status === 'paid') c.push(eq(invoices.status, 'paid'));
  if (q.payment_status === 'unpaid')
    c.push(
      sql`${invoices.status} <> 'paid' and ${invoices.amountPaid} + ${invoices.amountCredited} + ${invoices.amountWrittenOff} = 0`,
    );
  if (q.payment_status === 'partially_paid')
    c.push(
      sql`${invoices.status} <> 'paid' and ${invoices.amountPaid} + ${invoices.amountCredited} + ${invoices.amountWrittenOff} > 0`,
    );
  const overdueSql = sql`${invoices.status} = 'posted' and ${invoices.amountDue} > 0 and ${invoices.dueDate} < ${asOf}`;
  if (q.overdue === 'true') c.push(overdueSql);
  if (q.overdue === 'false') c.push(sql`not (${overdueSql})`);
  if (q.search) {
    const pattern = `%${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    c.push(
      or(
        ilike(invoices.number, pattern),
        sql`${invoices.customerId} in (select id from customers where org_id = ${ctx.orgId} and name ilike ${pattern})`,
      ),
    );
  }
  return c;
}

export async function listInvoices(ctx: RequestContext, q: InvoiceListQuery) {
  const asOf = q.as_of ?? ctx.today;
  const sort = listSort(q.sort, invoiceSortFields, { keys: [sql`${invoices.createdAt}`], descending: true });
  const cursor = await afterSortedCursor(ctx.db, invoices, ctx.orgId, q.starting_after, sort);
  const rows = await ctx.db
    .select()
    .from(invoices)
    .where(and(...invoiceFilters(ctx, q, asOf), cursor))
    .orderBy(...sortOrder(invoices, sort))
    .limit(q.limit + 1);
  return { ...toPage(rows, q.limit), asOf };
}

/** Per currency: how many invoices the filters select, their total and what is due on them (the whole set, not a page). */
export async function summarizeInvoices(ctx: RequestContext, q: Omit<InvoiceListQuery, 'limit'>) {
  const asOf = q.as_of ?? ctx.today;
  const rows = await ctx.db
    .select({
      currency: invoices.currency,
      count: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${invoices.total}), 0)::text`,
      amountDue: sql<string>`coalesce(sum(${invoices.amountDue}), 0)::text`,
    })
    .from(invoices)
    .where(and(...invoiceFilters(ctx, q, asOf)))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency);
  return rows.map((r) => ({
    currency: r.currency,
    count: Number(r.count),
    total: formatAmount(r.total, r.currency),
    amount_due: formatAmount(r.amountDue, r.currency),
  }));
}
