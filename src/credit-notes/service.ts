import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { CustomerRow } from '../crm/schemas';
import type { CreditAmounts } from '../invoicing/credit-note-amounts';
import type { StoredLine, StoredTaxGroup } from '../invoicing/draft';
import { lockInvoice } from '../invoicing/invoice-store';
import { nextNumber } from '../invoicing/numbering-store';
import type { InvoiceRow } from '../invoicing/tables';
import { creditNoteIssued, creditNoteVoided } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { type Decimal, dec, formatAmount } from '../money/money';
import { assertPeriodOpenIn, getSettings } from '../organizations/service';
import { parseMoney } from '../payments/amount-input';
import { findPayment, lockCustomer, updatePayment } from '../payments/payment-store';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, invalid } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { applicationsOf, applyMoney, reverseApplication } from '../receivables/applications-store';
import { recordRefund, syncCreditBalance, writeUnapplied } from '../receivables/credit-store';
import { spendInOrder } from '../receivables/spend';
import {
  assertWithinInvoiceTotal,
  breakdownOf,
  type CreditedInvoice,
  type CreditedLine,
  creditForAmount,
  creditForLines,
} from './credit-amounts';
import {
  earlierNotes,
  findCreditedInvoice,
  findCreditNote,
  hasRefunds,
  paymentApplicationsOn,
  updateCreditNote,
} from './credit-note-store';
import type { CreditNoteIn, CreditNoteListQuery, CreditNoteRow } from './schemas';
import { creditNotes } from './tables';

function assertCreditable(inv: InvoiceRow): void {
  if (inv.status === 'draft')
    throw conflict('invoice_is_draft', 'A draft is changed or deleted, not credited.', 'invoice');
  if (inv.status === 'void')
    throw conflict('invoice_is_void', `Invoice ${inv.number} is void; there is nothing to credit.`, 'invoice');
}

/** The credit's lines and amounts, by lines or by amount, within the invoice's quantities and total. */
async function computeCredit(
  tx: Queryable,
  inv: InvoiceRow,
  input: CreditNoteIn,
): Promise<{ lines: CreditedLine[] | null; amounts: CreditAmounts }> {
  const invoice: CreditedInvoice = {
    currency: inv.currency,
    taxBehavior: inv.taxBehavior as CreditedInvoice['taxBehavior'],
    lines: inv.lines as StoredLine[],
    taxBreakdown: inv.taxBreakdown as StoredTaxGroup[],
    total: inv.total,
  };
  const earlier = await earlierNotes(tx, inv.id);
  if (input.amount !== undefined)
    return {
      lines: null,
      amounts: creditForAmount(invoice, parseMoney(input.amount, inv.currency, 'amount'), earlier),
    };
  const { lines, amounts } = creditForLines(invoice, input.lines!, earlier);
  assertWithinInvoiceTotal(invoice, amounts.total, earlier, 'lines');
  return { lines, amounts };
}

/**
 * A refund by credit note: the invoice's latest payment applications come off (as much as the credit), the credit
 * takes their place on the invoice, and that money goes back to the customer from those payments.
 */
async function refundThroughPayments(
  tx: Queryable,
  ctx: RequestContext,
  note: CreditNoteRow,
  inv: InvoiceRow,
  total: Decimal,
): Promise<InvoiceRow> {
  const money = (d: Decimal) => formatAmount(d, note.currency);
  const apps = await paymentApplicationsOn(tx, inv.id);
  // Not before the latest payment it takes back: aging as of any date then stays exact.
  const date = apps[0] && apps[0].date > note.issueDate ? apps[0].date : note.issueDate;
  const { takes } = spendInOrder(
    total,
    apps.map((app) => ({ app, available: dec(app.amount) })),
  );
  for (const { source, amount: take } of takes) {
    const payment = await findPayment(tx, ctx, source.app.sourceId, true);
    inv = await reverseApplication(tx, ctx, source.app, date, take);
    await updatePayment(tx, payment.id, { refundedAmount: money(dec(payment.refundedAmount).plus(take)) });
  }
  inv = await applyMoney(tx, ctx, inv, {
    amount: total,
    sourceType: 'credit_note',
    sourceId: note.id,
    date: date,
    param: 'credit_to',
  });
  await recordRefund(tx, ctx, {
    customerId: note.customerId,
    sourceType: 'credit_note',
    sourceId: note.id,
    amount: total,
    currency: note.currency,
    date: date,
    memo: `Refund for credit note ${note.number}`,
  });
  return inv;
}

/** Issues a credit note against a posted invoice and credits it to the invoice, the credit balance or a refund. */
export async function issueCreditNote(ctx: RequestContext, input: CreditNoteIn): Promise<CreditNoteRow> {
  return ctx.db.transaction((tx) => issueCreditNoteIn(tx, ctx, input));
}

/** issueCreditNote, in the caller's transaction. */
export async function issueCreditNoteIn(tx: Tx, ctx: RequestContext, input: CreditNoteIn): Promise<CreditNoteRow> {
  if ((input.lines === undefined) === (input.amount === undefined))
    throw invalid('lines_or_amount', 'Credit either lines or an amount (not both).', input.lines ? 'amount' : 'lines');
  const found = await findCreditedInvoice(tx, ctx, input.invoice);
  const customer: CustomerRow = await lockCustomer(tx, ctx, found.customerId);
  let inv = await lockInvoice(tx, ctx, found.id, 'invoice');
  assertCreditable(inv);
  const issueDate = input.issue_date ?? ctx.today;
  if (inv.issueDate && issueDate < inv.issueDate)
    throw invalid(
      'issue_date_before_invoice',
      `A credit note cannot be dated before its invoice (${inv.issueDate}).`,
      'issue_date',
    );
  await assertPeriodOpenIn(tx, ctx.orgId, issueDate, 'issue_date');
  const { lines, amounts } = await computeCredit(tx, inv, input);
  const total = amounts.total;
  if (input.credit_to === 'refund' && total.greaterThan(inv.amountPaid))
    throw conflict(
      'refund_exceeds_amount_paid',
      `Only ${inv.amountPaid} was paid on invoice ${inv.number}; ${formatAmount(total, inv.currency)} cannot be refunded.`,
      'credit_to',
    );

  const settings = await getSettings(tx, ctx);
  const { number, series, seq } = await nextNumber(
    tx,
    ctx.orgId,
    'credit_note',
    { format: settings.credit_note_number_format, start: 1, enforceChronological: false },
    issueDate,
  );
  const money = (d: Decimal) => formatAmount(d, inv.currency);
  const id = newId('cn');
  const [inserted] = await tx
    .insert(creditNotes)
    .values({
      id,
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      invoiceId: inv.id,
      customerId: customer.id,
      number,
      series,
      seq,
      currency: inv.currency,
      reason: input.reason ?? null,
      lines,
      subtotal: money(amounts.subtotal),
      taxTotal: money(amounts.taxTotal),
      total: money(total),
      taxBreakdown: breakdownOf(amounts, inv.currency),
      creditTo: input.credit_to,
      unappliedAmount: money(total),
      issueDate,
    })
    .returning();
  const note = inserted!;
  await recordEntries(tx, ctx, [creditNoteIssued(note)]);

  let unapplied = total;
  if (input.credit_to === 'invoice') {
    const applied = total.lessThan(inv.amountDue) ? total : dec(inv.amountDue);
    if (applied.greaterThan(0))
      inv = await applyMoney(tx, ctx, inv, {
        amount: applied,
        sourceType: 'credit_note',
        sourceId: id,
        date: issueDate,
        param: 'credit_to',
      });
    unapplied = total.minus(applied);
  } else if (input.credit_to === 'refund') {
    inv = await refundThroughPayments(tx, ctx, note, inv, total);
    unapplied = dec(0);
  }
  await writeUnapplied(tx, { type: 'credit_note', id }, unapplied, note.currency);
  await syncCreditBalance(tx, customer.id);
  const saved = await findCreditNote(tx, ctx, id);
  await recordEvent(
    tx,
    ctx,
    'credit_note.issued',
    { type: 'credit_note', id },
    {
      number,
      invoice: inv.id,
      customer: customer.id,
      total: saved.total,
      credit_to: input.credit_to,
      unapplied_amount: saved.unappliedAmount,
    },
  );
  return saved;
}

/** Voids a credit note nothing of which was used: no applications, no refund, all of it still unapplied. */
export async function voidCreditNote(ctx: RequestContext, id: string): Promise<CreditNoteRow> {
  return ctx.db.transaction((tx) => voidCreditNoteIn(tx, ctx, id));
}

/** voidCreditNote, in the caller's transaction. */
export async function voidCreditNoteIn(tx: Tx, ctx: RequestContext, id: string): Promise<CreditNoteRow> {
  const found = await findCreditNote(tx, ctx, id);
  const customer = await lockCustomer(tx, ctx, found.customerId);
  const note = await findCreditNote(tx, ctx, id, true);
  if (note.status === 'void') throw conflict('credit_note_already_void', `Credit note ${note.number} is already void.`);
  await assertPeriodOpenIn(tx, ctx.orgId, ctx.today, null);
  const used =
    (await applicationsOf(tx, id)).length > 0 ||
    (await hasRefunds(tx, id)) ||
    !dec(note.unappliedAmount).equals(note.total);
  if (used)
    throw conflict(
      'credit_note_used',
      `Credit note ${note.number} was already applied or refunded, so it cannot be voided; issue an invoice instead.`,
    );
  await recordEntries(tx, ctx, [creditNoteVoided(note, ctx.today)]);
  await writeUnapplied(tx, { type: 'credit_note', id }, dec(0), note.currency);
  const saved = await updateCreditNote(tx, id, { status: 'void', voidedOn: ctx.today });
  await syncCreditBalance(tx, customer.id);
  await recordEvent(
    tx,
    ctx,
    'credit_note.voided',
    { type: 'credit_note', id },
    { number: note.number, total: note.total },
  );
  return saved;
}

export async function getCreditNote(
  q: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
): Promise<CreditNoteRow> {
  return findCreditNote(q, ctx, id);
}

export async function listCreditNotes(ctx: RequestContext, q: CreditNoteListQuery) {
  const cursor = await afterCursor(ctx.db, creditNotes, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(creditNotes.orgId, ctx.orgId), cursor];
  if (q.invoice) c.push(eq(creditNotes.invoiceId, q.invoice));
  if (q.customer) c.push(eq(creditNotes.customerId, q.customer));
  if (q.status) c.push(eq(creditNotes.status, q.status));
  const rows = await ctx.db
    .select()
    .from(creditNotes)
    .where(and(...c))
    .orderBy(desc(creditNotes.createdAt), desc(creditNotes.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit);
}
