import { eq } from 'drizzle-orm';
import { CustomerIn, CustomerPatch } from '../crm/schemas';
import { customers } from '../crm/tables';
import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import { normalizeAddress } from '../platform/schemas';
import { users } from '../platform/tables';
import { insertEvents } from './event-store';
import type { ImportKind } from './registry';
import { checkRow, type RowError, rowObject } from './rows';

const ADDRESS = ['line1', 'line2', 'city', 'postal_code', 'region', 'country'];

/** Customers: created, or updated when `id` or `email` matches one. */
export const customersImport: ImportKind = {
  kind: 'customers',
  columns: {
    id: 'text',
    name: 'text',
    email: 'text',
    phone: 'text',
    ...Object.fromEntries(ADDRESS.map((k) => [`billing_address.${k}`, 'text'])),
    tax_id: 'text',
    'peppol_id.scheme': 'text',
    'peppol_id.id': 'text',
    currency: 'text',
    payment_terms_days: 'int',
    locale: 'text',
    owner: 'text',
    reminders_paused: 'bool',
    metadata: 'json',
  },
  async plan(ctx, tx, table) {
    const existing = await tx
      .select({ id: customers.id, email: customers.email })
      .from(customers)
      .where(eq(customers.orgId, ctx.orgId));
    const ids = new Set(existing.map((c) => c.id));
    const byEmail = new Map(existing.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), c.id]));
    const userIds = new Set(
      (await tx.select({ id: users.id }).from(users).where(eq(users.orgId, ctx.orgId))).map((u) => u.id),
    );
    const errors: RowError[] = [];
    const creates: { row: number; data: CustomerIn }[] = [];
    const updates: { id: string; data: CustomerPatch }[] = [];
    const seen = new Map<string, number>();
    table.rows.forEach((raw, i) => {
      const rowNo = i + 1;
      const { value, errors: typeErrors } = rowObject(raw, customersImport.columns, rowNo);
      errors.push(...typeErrors);
      const id = value.id as string | undefined;
      delete value.id;
      const email = typeof value.email === 'string' ? value.email.toLowerCase() : undefined;
      const key = id ?? email;
      if (key) {
        const first = seen.get(key);
        if (first)
          errors.push({
            row: rowNo,
            column: id ? 'id' : 'email',
            code: 'duplicate_row',
            message: `Row ${first} already has this ${id ? 'id' : 'email'}.`,
          });
        seen.set(key, rowNo);
      }
      if (typeof value.owner === 'string' && !userIds.has(value.owner))
        errors.push({ row: rowNo, column: 'owner', code: 'not_found', message: `No user ${value.owner} here.` });
      if (id !== undefined && !ids.has(id)) {
        errors.push({ row: rowNo, column: 'id', code: 'not_found', message: `No customer ${id}.` });
        return;
      }
      const match = id ?? (email ? byEmail.get(email) : undefined);
      if (match) {
        const { data, errors: rowErrors } = checkRow(CustomerPatch, value, rowNo);
        errors.push(...rowErrors);
        if (data) updates.push({ id: match, data });
      } else {
        const { data, errors: rowErrors } = checkRow(CustomerIn, value, rowNo);
        errors.push(...rowErrors);
        if (data) creates.push({ row: rowNo, data });
      }
    });
    return {
      errors,
      created: creates.length,
      updated: updates.length,
      write: async () => {
        const now = ctx.clock.now();
        const rows = creates.map(({ data }) => ({
          id: newId('cus'),
          orgId: ctx.orgId,
          createdAt: now,
          name: data.name,
          email: data.email ?? null,
          phone: data.phone ?? null,
          billingAddress: normalizeAddress(data.billing_address),
          taxId: data.tax_id ?? null,
          peppolId: data.peppol_id ?? null,
          currency: data.currency,
          paymentTermsDays: data.payment_terms_days ?? null,
          locale: data.locale ?? null,
          ownerId: data.owner ?? null,
          remindersPaused: data.reminders_paused ?? false,
          metadata: data.metadata ?? {},
        }));
        for (let i = 0; i < rows.length; i += 500) await tx.insert(customers).values(rows.slice(i, i + 500));
        for (const { id, data } of updates) await updateCustomerRow(tx, id, data);
        await insertEvents(tx, ctx, [
          ...rows.map((r) => ({
            type: 'customer.created',
            object: { type: 'customer', id: r.id },
            data: { name: r.name, import: true },
          })),
          ...updates.map((u) => ({
            type: 'customer.updated',
            object: { type: 'customer', id: u.id },
            data: { changed: Object.keys(u.data), import: true },
          })),
        ]);
      },
    };
  },
};

async function updateCustomerRow(tx: Queryable, id: string, patch: CustomerPatch) {
  const set: Partial<typeof customers.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.billing_address !== undefined) set.billingAddress = normalizeAddress(patch.billing_address);
  if (patch.tax_id !== undefined) set.taxId = patch.tax_id;
  if (patch.peppol_id !== undefined) set.peppolId = patch.peppol_id;
  if (patch.payment_terms_days !== undefined) set.paymentTermsDays = patch.payment_terms_days;
  if (patch.locale !== undefined) set.locale = patch.locale;
  if (patch.owner !== undefined) set.ownerId = patch.owner;
  if (patch.reminders_paused !== undefined) set.remindersPaused = patch.reminders_paused;
  if (patch.metadata !== undefined) set.metadata = patch.metadata;
  if (Object.keys(set).length > 0) await tx.update(customers).set(set).where(eq(customers.id, id));
}
