import { and, eq } from 'drizzle-orm';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { notFound, unprocessable } from '../platform/errors';
import { type InvoiceRow, invoices } from './tables';

export type { InvoiceRow } from './tables';

/** Loads an invoice FOR UPDATE. `param` set: the id came in a body, so unknown is 422 rather than 404. */
export async function lockInvoice(
  tx: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
  param?: string,
): Promise<InvoiceRow> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.orgId, ctx.orgId)))
    .for('update');
  if (!row)
    throw param
      ? unprocessable('invoice_not_found', `No invoice ${id} in this organization.`, param)
      : notFound('invoice', id);
  return row;
}
