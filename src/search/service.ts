import { sql } from 'drizzle-orm';
import { creditNotes } from '../credit-notes/tables';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { formatAmount } from '../money/money';
import { payments } from '../payments/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { quotes } from '../quotes/tables';
import type { SearchQuery } from './schemas';

export interface SearchHit {
  type: string;
  id: string;
  label: string;
}

/** What one kind of object contributes to the global search: its hits for a pattern, at most `limit`. */
export interface SearchSource {
  type: string;
  find(q: Queryable, orgId: string, input: { text: string; pattern: string; limit: number }): Promise<SearchHit[]>;
}

const customerName = (customerId: unknown) =>
  sql<string>`coalesce((select c.name from customers c where c.id = ${customerId}), '')`;

const sources: SearchSource[] = [
  {
    type: 'customer',
    async find(q, orgId, { pattern, limit }) {
      const rows = await q
        .select({ id: customers.id, name: customers.name, email: customers.email })
        .from(customers)
        .where(
          sql`${customers.orgId} = ${orgId} and (${customers.name} ilike ${pattern} or ${customers.email} ilike ${pattern} or ${customers.taxId} ilike ${pattern})`,
        )
        .orderBy(sql`lower(${customers.name})`, customers.id)
        .limit(limit);
      return rows.map((r) => ({ type: 'customer', id: r.id, label: r.email ? `${r.name} (${r.email})` : r.name }));
    },
  },
  {
    type: 'invoice',
    async find(q, orgId, { pattern, limit }) {
      const rows = await q
        .select({
          id: invoices.id,
          number: invoices.number,
          total: invoices.total,
          currency: invoices.currency,
          customer: customerName(invoices.customerId),
        })
        .from(invoices)
        .where(
          sql`${invoices.orgId} = ${orgId} and (${invoices.number} ilike ${pattern} or ${invoices.poNumber} ilike ${pattern} or ${invoices.customerId} in (select id from customers where org_id = ${orgId} and name ilike ${pattern}))`,
        )
        .orderBy(sql`${invoices.series} is null`, sql`${invoices.series} desc`, sql`${invoices.seq} desc`, invoices.id)
        .limit(limit);
      return rows.map((r) => ({
        type: 'invoice',
        id: r.id,
        label: `${r.number ?? 'Draft'} · ${r.customer} · ${formatAmount(r.total, r.currency)} ${r.currency}`,
      }));
    },
  },
  {
    type: 'credit_note',
    async find(q, orgId, { pattern, limit }) {
      const rows = await q
        .select({
          id: creditNotes.id,
          number: creditNotes.number,
          total: creditNotes.total,
          currency: creditNotes.currency,
          customer: customerName(creditNotes.customerId),
        })
        .from(creditNotes)
        .where(
          sql`${creditNotes.orgId} = ${orgId} and (${creditNotes.number} ilike ${pattern} or ${creditNotes.customerId} in (select id from customers where org_id = ${orgId} and name ilike ${pattern}))`,
        )
        .orderBy(sql`${creditNotes.number} desc`, creditNotes.id)
        .limit(limit);
      return rows.map((r) => ({
        type: 'credit_note',
        id: r.id,
        label: `${r.number} · ${r.customer} · ${formatAmount(r.total, r.currency)} ${r.currency}`,
      }));
    },
  },
  {
    type: 'quote',
    async find(q, orgId, { pattern, limit }) {
      const rows = await q
        .select({ id: quotes.id, number: quotes.number, customer: customerName(quotes.customerId) })
        .from(quotes)
        .where(
          sql`${quotes.orgId} = ${orgId} and (${quotes.number} ilike ${pattern} or ${quotes.customerId} in (select id from customers where org_id = ${orgId} and name ilike ${pattern}))`,
        )
        .orderBy(sql`${quotes.number} desc`, quotes.id)
        .limit(limit);
      return rows.map((r) => ({ type: 'quote', id: r.id, label: `${r.number} · ${r.customer}` }));
    },
  },
  {
    type: 'payment',
    async find(q, orgId, { text, pattern, limit }) {
      const amount = /^\d+(\.\d+)?$/.test(text) ? text : null;
      const rows = await q
        .select({
          id: payments.id,
          amount: payments.amount,
          currency: payments.currency,
          date: payments.date,
          reference: payments.reference,
          customer: customerName(payments.customerId),
        })
        .from(payments)
        .where(
          sql`${payments.orgId} = ${orgId} and (${payments.reference} ilike ${pattern}${amount ? sql` or ${payments.amount} = ${amount}::numeric` : sql``})`,
        )
        .orderBy(sql`${payments.date} desc`, payments.id)
        .limit(limit);
      return rows.map((r) => ({
        type: 'payment',
        id: r.id,
        label: `${formatAmount(r.amount, r.currency)} ${r.currency} · ${r.date} · ${r.customer}${r.reference ? ` · ${r.reference}` : ''}`,
      }));
    },
  },
];

/** Adds a kind of object to the global search (leads and opportunities join this way). */
export function registerSearchSource(source: SearchSource): void {
  const i = sources.findIndex((s) => s.type === source.type);
  if (i >= 0) sources[i] = source;
  else sources.push(source);
}

/** Every registered kind's hits for the text, each kind at most `limit`, in registration order. */
export async function search(ctx: RequestContext, input: SearchQuery): Promise<SearchHit[]> {
  const text = input.q;
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const found = await Promise.all(sources.map((s) => s.find(ctx.db, ctx.orgId, { text, pattern, limit: input.limit })));
  return found.flat();
}
