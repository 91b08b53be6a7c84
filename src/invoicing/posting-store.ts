import { and, eq } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { readSettings, type Settings } from '../organizations/settings';
import type { Queryable } from '../platform/db';
import { notFound } from '../platform/errors';
import { organizations } from '../platform/tables';
import type { InvoiceRow } from './tables';
import { invoices } from './tables';

/** What posting needs, in one query: the draft (locked), its customer and the organization's settings. */
export async function lockForPosting(
  tx: Queryable,
  orgId: string,
  id: string,
): Promise<{ draft: InvoiceRow; customer: typeof customers.$inferSelect; settings: Settings }> {
  const [row] = await tx
    .select({ draft: invoices, customer: customers, settings: organizations.settings })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .innerJoin(organizations, eq(organizations.id, invoices.orgId))
    .where(and(eq(invoices.id, id), eq(invoices.orgId, orgId)))
    .for('update', { of: invoices });
  if (!row) throw notFound('invoice', id);
  return { draft: row.draft, customer: row.customer, settings: readSettings(row.settings) };
}
