import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rows } from '../platform/db';
import type { StatementRow } from './statement';

/**
 * Every movement on a customer's account, dated; `ord` orders movements of one day (charges before money). A payment
 * reversal takes back what was not refunded before it (the journal's paymentReversed does the same).
 */
function movements(orgId: string, customerId: string): SQL {
  return sql`
    select coalesce(opening_date, issue_date) as date, 'invoice' as type, id as document, number,
           total - paid_before_import as debit, null::numeric as credit,
           created_at, 0 as ord
    from invoices where org_id = ${orgId} and customer_id = ${customerId} and status <> 'draft'
    union all
    select voided_on, 'invoice_voided', id, number, null, total, created_at, 1
    from invoices where org_id = ${orgId} and customer_id = ${customerId} and voided_on is not null
    union all
    select date, 'payment', id, reference, null, amount, created_at, 2
    from payments where org_id = ${orgId} and customer_id = ${customerId}
    union all
    select reversed_on, 'payment_reversed', id, reference, amount - refunded_amount, null, created_at, 3
    from payments where org_id = ${orgId} and customer_id = ${customerId} and reversed_on is not null
    union all
    select issue_date, 'credit_note', id, number, null, total, created_at, 4
    from credit_notes where org_id = ${orgId} and customer_id = ${customerId}
    union all
    select voided_on, 'credit_note_voided', id, number, total, null, created_at, 5
    from credit_notes where org_id = ${orgId} and customer_id = ${customerId} and voided_on is not null
    union all
    select w.date, 'write_off', w.id, i.number, null, w.amount, w.created_at, 6
    from write_offs w join invoices i on i.id = w.invoice_id
    where w.org_id = ${orgId} and i.customer_id = ${customerId}
    union all
    select date, 'refund', id, null, amount, null, created_at, 7
    from refunds where org_id = ${orgId} and customer_id = ${customerId}`;
}

/** Σ debit − Σ credit of the movements dated before `from`. */
export async function openingBalance(q: Queryable, orgId: string, customerId: string, from: string): Promise<string> {
  const [row] = await rows<{ balance: string }>(
    q,
    sql`select coalesce(sum(coalesce(m.debit, 0) - coalesce(m.credit, 0)), 0)::text as balance
        from (${movements(orgId, customerId)}) m
        where m.date < ${from}::date`,
  );
  return row?.balance ?? '0';
}

/** The movements dated in [from, to] (from the first one when `from` is undefined), in display order. */
export function statementRows(
  q: Queryable,
  orgId: string,
  customerId: string,
  from: string | undefined,
  to: string,
): Promise<StatementRow[]> {
  return rows<StatementRow>(
    q,
    sql`select m.date, m.type, m.document, m.number, m.debit::text as debit, m.credit::text as credit
        from (${movements(orgId, customerId)}) m
        where m.date <= ${to}::date ${from ? sql`and m.date >= ${from}::date` : sql``}
        order by m.date, m.ord, m.created_at, m.document`,
  );
}
