import { and, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { customerIbans } from '../bank/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { isForeignKeyViolation } from '../platform/db-errors';
import { conflict, forbidden, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, afterSortedCursor, listSort, type PageQuery, sortOrder, toPage } from '../platform/pagination';
import { normalizeAddress } from '../platform/schemas';
import { users } from '../platform/tables';
import { assertTerritoryInOrg, assignNewRecord } from '../territories/service';
import type { ContactRow, CustomerIn, CustomerPatch, CustomerRow } from './schemas';
import { contacts, customers } from './tables';

/** The IBANs a customer pays from, given or learned from confirmed bank matches. */
export async function customerIbansOf(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<string[]> {
  const rows = await q
    .select({ iban: customerIbans.iban })
    .from(customerIbans)
    .where(and(eq(customerIbans.orgId, ctx.orgId), eq(customerIbans.customerId, id)))
    .orderBy(customerIbans.iban);
  return rows.map((r) => r.iban);
}

/** Replaces the customer's IBANs with the list given (learned ones not in it are dropped too). */
async function setIbans(tx: Tx, ctx: RequestContext, id: string, ibans: string[]) {
  await tx.delete(customerIbans).where(and(eq(customerIbans.orgId, ctx.orgId), eq(customerIbans.customerId, id)));
  const unique = [...new Set(ibans.filter((i) => i.length > 0))];
  if (unique.length > 0)
    await tx
      .insert(customerIbans)
      .values(
        unique.map((iban) => ({ orgId: ctx.orgId, customerId: id, iban, learned: false, createdAt: ctx.clock.now() })),
      );
}

/** Sales reps change only the customers they own; finance and admin change all. */
export function assertMayChange(ctx: RequestContext, customer: Pick<CustomerRow, 'ownerId'>): void {
  // A sales API key acts for no user, so it owns no customer.
  if (ctx.role === 'sales' && (ctx.userId === null || customer.ownerId !== ctx.userId))
    throw forbidden('Sales reps may change only the customers they own.');
}

async function assertOwnerInOrg(q: Queryable, ctx: RequestContext, owner: string | null | undefined): Promise<void> {
  if (!owner) return;
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, owner), eq(users.orgId, ctx.orgId)));
  if (!row) throw unprocessable('owner_not_found', `No user ${owner} in this organization.`, 'owner');
}

export async function getCustomer(
  q: Queryable,
  ctx: Pick<RequestContext, 'orgId'>,
  id: string,
  lock = false,
): Promise<CustomerRow> {
  const query = q
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('customer', id);
  return row;
}

export async function createCustomer(ctx: RequestContext, input: CustomerIn): Promise<CustomerRow> {
  return ctx.db.transaction((tx) => createCustomerIn(tx, ctx, input));
}

/** createCustomer, in the caller's transaction. */
export async function createCustomerIn(tx: Tx, ctx: RequestContext, input: CustomerIn): Promise<CustomerRow> {
  const owner = input.owner ?? (ctx.role === 'sales' ? ctx.userId : null);
  if (ctx.role === 'sales' && (ctx.userId === null || owner !== ctx.userId))
    throw forbidden('Sales reps create customers for themselves; a sales API key, acting for no user, cannot.');
  await assertOwnerInOrg(tx, ctx, owner);
  const address = normalizeAddress(input.billing_address);
  const assigned = await assignNewRecord(
    tx,
    ctx,
    { territory: input.territory, owner },
    {
      country: address?.country,
      region: address?.region,
      postal_code: address?.postal_code,
      industry: input.industry,
      employees: input.employees,
    },
  );
  const [row] = await tx
    .insert(customers)
    .values({
      id: newId('cus'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      billingAddress: address,
      taxId: input.tax_id ?? null,
      peppolId: input.peppol_id ?? null,
      currency: input.currency,
      paymentTermsDays: input.payment_terms_days ?? null,
      locale: input.locale ?? null,
      ownerId: assigned.ownerId,
      remindersPaused: input.reminders_paused ?? false,
      metadata: input.metadata ?? {},
      industry: input.industry ?? null,
      employees: input.employees ?? null,
      territoryId: assigned.territoryId,
      territorySource: assigned.territorySource,
    })
    .returning();
  if (input.bank_accounts) await setIbans(tx, ctx, row!.id, input.bank_accounts);
  await recordEvent(tx, ctx, 'customer.created', { type: 'customer', id: row!.id }, { name: row!.name });
  return row!;
}

export async function updateCustomer(ctx: RequestContext, id: string, patch: CustomerPatch): Promise<CustomerRow> {
  return ctx.db.transaction((tx) => updateCustomerIn(tx, ctx, id, patch));
}

/** updateCustomer, in the caller's transaction. */
export async function updateCustomerIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: CustomerPatch,
): Promise<CustomerRow> {
  const before = await getCustomer(tx, ctx, id, true);
  assertMayChange(ctx, before);
  if (patch.owner !== undefined) {
    if (ctx.role === 'sales' && patch.owner !== ctx.userId) throw forbidden('Sales reps may not give a customer away.');
    await assertOwnerInOrg(tx, ctx, patch.owner);
  }
  if (patch.currency !== undefined && patch.currency !== before.currency && (await customerHasDocuments(tx, id)))
    throw conflict('customer_currency_locked', 'The currency of a customer with documents cannot change.', 'currency');
  const set: Partial<typeof customers.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.billing_address !== undefined) set.billingAddress = normalizeAddress(patch.billing_address);
  if (patch.tax_id !== undefined) set.taxId = patch.tax_id;
  if (patch.peppol_id !== undefined) set.peppolId = patch.peppol_id;
  if (patch.currency !== undefined) set.currency = patch.currency;
  if (patch.payment_terms_days !== undefined) set.paymentTermsDays = patch.payment_terms_days;
  if (patch.locale !== undefined) set.locale = patch.locale;
  if (patch.owner !== undefined) set.ownerId = patch.owner;
  if (patch.reminders_paused !== undefined) set.remindersPaused = patch.reminders_paused;
  if (patch.metadata !== undefined) set.metadata = patch.metadata;
  if (patch.industry !== undefined) set.industry = patch.industry;
  if (patch.employees !== undefined) set.employees = patch.employees;
  if (patch.territory !== undefined) {
    if (patch.territory) await assertTerritoryInOrg(tx, ctx.orgId, patch.territory, 'territory');
    set.territoryId = patch.territory;
    set.territorySource = 'manual';
  }
  if (patch.bank_accounts !== undefined) await setIbans(tx, ctx, id, patch.bank_accounts);
  if (Object.keys(set).length === 0) return before; // an empty patch changes nothing
  const [row] = await tx.update(customers).set(set).where(eq(customers.id, id)).returning();
  await recordEvent(tx, ctx, 'customer.updated', { type: 'customer', id }, { changed: Object.keys(set) });
  return row!;
}

/** Tables of documents that keep a customer from being deleted. */
const DOCUMENT_TABLES = ['invoices', 'payments', 'credit_notes'];

async function customerHasDocuments(q: Queryable, customerId: string): Promise<boolean> {
  for (const table of DOCUMENT_TABLES) {
    const result = (await q.execute(
      sql`select 1 from ${sql.identifier(table)} where customer_id = ${customerId} limit 1`,
    )) as unknown as {
      rows: unknown[];
    };
    if (result.rows.length > 0) return true;
  }
  return false;
}

export async function deleteCustomer(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction((tx) => deleteCustomerIn(tx, ctx, id));
}

/** deleteCustomer, in the caller's transaction. */
export async function deleteCustomerIn(tx: Tx, ctx: RequestContext, id: string): Promise<void> {
  const customer = await getCustomer(tx, ctx, id, true);
  assertMayChange(ctx, customer);
  if (await customerHasDocuments(tx, id))
    throw conflict(
      'customer_has_documents',
      'This customer has documents (invoices, payments, ...) and cannot be deleted.',
    );
  // Quotes, orders, subscriptions and other records refer to it by foreign key: the database decides, no list here.
  await tx.delete(customerIbans).where(and(eq(customerIbans.orgId, ctx.orgId), eq(customerIbans.customerId, id)));
  await tx
    .delete(customers)
    .where(eq(customers.id, id))
    .catch((err: unknown) => {
      if (isForeignKeyViolation(err))
        throw conflict(
          'customer_has_documents',
          'This customer has documents (quotes, orders, subscriptions, invoices, ...) and cannot be deleted.',
        );
      throw err;
    });
  await recordEvent(tx, ctx, 'customer.deleted', { type: 'customer', id }, { name: customer.name });
}

export async function listCustomers(
  ctx: RequestContext,
  query: PageQuery & { search?: string | undefined; owner?: string | undefined; sort?: string | undefined },
) {
  const sort = listSort(
    query.sort,
    { name: [sql`lower(${customers.name})`], created_at: [sql`${customers.createdAt}`] },
    { keys: [sql`${customers.createdAt}`], descending: true },
  );
  const cursor = await afterSortedCursor(ctx.db, customers, ctx.orgId, query.starting_after, sort);
  const conditions: (SQL | undefined)[] = [eq(customers.orgId, ctx.orgId), cursor];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(customers.name, pattern), ilike(customers.email, pattern)));
  }
  if (query.owner) conditions.push(eq(customers.ownerId, query.owner));
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(...sortOrder(customers, sort))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

// --- contacts ---

export async function listContacts(ctx: RequestContext, customerId: string, page: PageQuery) {
  await getCustomer(ctx.db, ctx, customerId);
  const cursor = await afterCursor(ctx.db, contacts, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.customerId, customerId), eq(contacts.orgId, ctx.orgId), cursor))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

type ContactFields = {
  name?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  role?: string | null | undefined;
  receives_invoices?: boolean | undefined;
};

export async function createContact(
  ctx: RequestContext,
  customerId: string,
  input: ContactFields & { name: string },
): Promise<ContactRow> {
  return ctx.db.transaction((tx) => createContactIn(tx, ctx, customerId, input));
}

/** createContact, in the caller's transaction. */
export async function createContactIn(
  tx: Tx,
  ctx: RequestContext,
  customerId: string,
  input: ContactFields & { name: string },
): Promise<ContactRow> {
  const customer = await getCustomer(tx, ctx, customerId);
  assertMayChange(ctx, customer);
  const [row] = await tx
    .insert(contacts)
    .values({
      id: newId('con'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      customerId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      role: input.role ?? null,
      receivesInvoices: input.receives_invoices ?? false,
    })
    .returning();
  await recordEvent(tx, ctx, 'contact.created', { type: 'contact', id: row!.id }, { customer: customerId });
  return row!;
}

async function getContactForChange(ctx: RequestContext, q: Queryable, id: string): Promise<ContactRow> {
  const [row] = await q
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), eq(contacts.orgId, ctx.orgId)))
    .for('update');
  if (!row) throw notFound('contact', id);
  assertMayChange(ctx, await getCustomer(q, ctx, row.customerId));
  return row;
}

export async function updateContact(ctx: RequestContext, id: string, patch: ContactFields): Promise<ContactRow> {
  return ctx.db.transaction((tx) => updateContactIn(tx, ctx, id, patch));
}

/** updateContact, in the caller's transaction. */
export async function updateContactIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: ContactFields,
): Promise<ContactRow> {
  const before = await getContactForChange(ctx, tx, id);
  const [row] = await tx
    .update(contacts)
    .set({
      name: patch.name ?? before.name,
      email: patch.email === undefined ? before.email : patch.email,
      phone: patch.phone === undefined ? before.phone : patch.phone,
      role: patch.role === undefined ? before.role : patch.role,
      receivesInvoices: patch.receives_invoices ?? before.receivesInvoices,
    })
    .where(eq(contacts.id, id))
    .returning();
  await recordEvent(tx, ctx, 'contact.updated', { type: 'contact', id }, { customer: before.customerId });
  return row!;
}

export async function deleteContact(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction((tx) => deleteContactIn(tx, ctx, id));
}

/** deleteContact, in the caller's transaction. */
export async function deleteContactIn(tx: Tx, ctx: RequestContext, id: string): Promise<void> {
  const before = await getContactForChange(ctx, tx, id);
  await tx.delete(contacts).where(eq(contacts.id, id));
  await recordEvent(tx, ctx, 'contact.deleted', { type: 'contact', id }, { customer: before.customerId });
}
