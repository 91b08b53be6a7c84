import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { ContactIn } from '../crm/schemas';
import { contacts, customers } from '../crm/tables';
import { newId } from '../platform/ids';
import { insertEvents } from './event-store';
import type { ImportKind } from './registry';
import { checkRow, type RowError, rowObject } from './rows';

/** The customer a row names by id or by email, from the organization's customers. */
export async function customerFinder(tx: Parameters<ImportKind['plan']>[1], orgId: string) {
  const all = await tx
    .select({ id: customers.id, email: customers.email, currency: customers.currency, name: customers.name })
    .from(customers)
    .where(eq(customers.orgId, orgId));
  const byId = new Map(all.map((c) => [c.id, c]));
  const byEmail = new Map(all.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), c]));
  return (ref: string) => byId.get(ref) ?? byEmail.get(ref.toLowerCase());
}

/** Contacts of existing customers (`customer`: the customer's id or email). */
export const contactsImport: ImportKind = {
  kind: 'contacts',
  columns: { customer: 'text', name: 'text', email: 'text', phone: 'text', role: 'text', receives_invoices: 'bool' },
  async plan(ctx, tx, table) {
    const find = await customerFinder(tx, ctx.orgId);
    const errors: RowError[] = [];
    const creates: { customerId: string; data: z.output<typeof ContactIn> }[] = [];
    table.rows.forEach((raw, i) => {
      const rowNo = i + 1;
      const { value, errors: typeErrors } = rowObject(raw, contactsImport.columns, rowNo);
      errors.push(...typeErrors);
      const ref = value.customer as string | undefined;
      delete value.customer;
      const customer = ref ? find(ref) : undefined;
      if (!ref) errors.push({ row: rowNo, column: 'customer', code: 'required', message: 'customer is required.' });
      else if (!customer)
        errors.push({
          row: rowNo,
          column: 'customer',
          code: 'not_found',
          message: `No customer with id or email ${ref}.`,
        });
      const { data, errors: rowErrors } = checkRow(ContactIn, value, rowNo);
      errors.push(...rowErrors);
      if (data && customer) creates.push({ customerId: customer.id, data });
    });
    return {
      errors,
      created: creates.length,
      updated: 0,
      write: async () => {
        const now = ctx.clock.now();
        const rows = creates.map(({ customerId, data }) => ({
          id: newId('con'),
          orgId: ctx.orgId,
          customerId,
          createdAt: now,
          name: data.name,
          email: data.email ?? null,
          phone: data.phone ?? null,
          role: data.role ?? null,
          receivesInvoices: data.receives_invoices ?? false,
        }));
        for (let i = 0; i < rows.length; i += 500) await tx.insert(contacts).values(rows.slice(i, i + 500));
        await insertEvents(
          tx,
          ctx,
          rows.map((r) => ({
            type: 'contact.created',
            object: { type: 'contact', id: r.id },
            data: { customer: r.customerId, import: true },
          })),
        );
      },
    };
  },
};
