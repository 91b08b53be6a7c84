import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { StoredTaxGroup } from '../invoicing/draft';
import type { InvoiceRow } from '../invoicing/tables';
import { invoices } from '../invoicing/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { notFound, unprocessable } from '../platform/errors';
import { applications, refunds } from '../receivables/tables';
import type { CreditedLine, EarlierNote } from './credit-amounts';
import type { CreditNoteRow } from './schemas';
import { creditNotes } from './tables';

type Ctx = Pick<RequestContext, 'orgId'>;

/** The invoice a credit note names, without a lock (the caller locks its customer first): unknown is 422. */
export async function findCreditedInvoice(q: Queryable, ctx: Ctx, id: string): Promise<InvoiceRow> {
  const [row] = await q
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.orgId, ctx.orgId)));
  if (!row) throw unprocessable('invoice_not_found', `No invoice ${id} in this organization.`, 'invoice');
  return row;
}

export async function findCreditNote(q: Queryable, ctx: Ctx, id: string, lock = false): Promise<CreditNoteRow> {
  const query = q
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.id, id), eq(creditNotes.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('credit note', id);
  return row;
}

/** The issued (not void) credit notes of an invoice, oldest first. */
export async function earlierNotes(q: Queryable, invoiceId: string): Promise<EarlierNote[]> {
  const found = await q
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.invoiceId, invoiceId), eq(creditNotes.status, 'issued')))
    .orderBy(asc(creditNotes.createdAt), asc(creditNotes.id));
  return found.map((n) => ({
    lines: n.lines as CreditedLine[] | null,
    taxBreakdown: n.taxBreakdown as StoredTaxGroup[],
    total: n.total,
  }));
}

/** Live payment applications on an invoice, newest first: the ones a refund takes back first. */
export async function paymentApplicationsOn(q: Queryable, invoiceId: string) {
  return q
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.invoiceId, invoiceId),
        eq(applications.sourceType, 'payment'),
        sql`${applications.reversedOn} is null`,
      ),
    )
    .orderBy(desc(applications.date), desc(applications.createdAt), desc(applications.id));
}

export async function hasRefunds(q: Queryable, creditNoteId: string): Promise<boolean> {
  const found = await q
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.sourceType, 'credit_note'), eq(refunds.sourceId, creditNoteId)))
    .limit(1);
  return found.length > 0;
}

export async function updateCreditNote(
  tx: Queryable,
  id: string,
  set: Partial<typeof creditNotes.$inferInsert>,
): Promise<CreditNoteRow> {
  const [row] = await tx.update(creditNotes).set(set).where(eq(creditNotes.id, id)).returning();
  return row!;
}
