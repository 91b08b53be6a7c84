import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rows } from '../platform/db';
import type { AgingRow } from './aging';

// Aging in one aggregate statement: open amounts per invoice come from `source` (currency, customer_id, due_date,
// open), are bucketed by days past due and summed per currency and customer; names are joined after aggregation.

function bucketed(source: SQL, asOf: string): SQL {
  const d = sql`${asOf}::date`;
  return sql`
    select a.currency, a.customer_id, c.name,
           a.current::text as current, a.d1_30::text as d1_30, a.d31_60::text as d31_60,
           a.d61_90::text as d61_90, a.d90_plus::text as d90_plus
    from (
      select o.currency, o.customer_id,
             coalesce(sum(o.open) filter (where o.due_date >= ${d}), 0) as current,
             coalesce(sum(o.open) filter (where o.due_date < ${d} and o.due_date >= ${d} - 30), 0) as d1_30,
             coalesce(sum(o.open) filter (where o.due_date < ${d} - 30 and o.due_date >= ${d} - 60), 0) as d31_60,
             coalesce(sum(o.open) filter (where o.due_date < ${d} - 60 and o.due_date >= ${d} - 90), 0) as d61_90,
             coalesce(sum(o.open) filter (where o.due_date < ${d} - 90), 0) as d90_plus
      from (${source}) o
      where o.open > 0
      group by o.currency, o.customer_id
    ) a
    join customers c on c.id = a.customer_id
    order by a.currency, c.name, a.customer_id`;
}

/**
 * Open amounts now: the stored amount_due of open posted invoices (the partial index invoices_open_idx covers them).
 * Uncollectible, void, paid and draft invoices are out by their status.
 */
export function agingRowsNow(q: Queryable, orgId: string, asOf: string): Promise<AgingRow[]> {
  return rows<AgingRow>(
    q,
    bucketed(
      sql`select currency, customer_id, due_date, amount_due as open
          from invoices
          where org_id = ${orgId} and status = 'posted' and amount_due > 0`,
      asOf,
    ),
  );
}

/**
 * Per invoice, the amount open at the end of `asOf`: invoices issued by then and neither void nor uncollectible by
 * then, less the applications live on that date (dated on or before it, not reversed by it) and the write-offs
 * dated on or before it. Applications and write-offs are summed per invoice once, then hash-joined.
 */
export function openAmountsAsOf(orgId: string, asOf: string): SQL {
  const d = sql`${asOf}::date`;
  return sql`select i.id, i.currency, i.customer_id, i.due_date,
                    i.total - coalesce(ap.amount, 0) - coalesce(wo.amount, 0) as open
             from invoices i
             left join (
               select invoice_id, sum(amount) as amount from applications
               where org_id = ${orgId} and date <= ${d} and (reversed_on is null or reversed_on > ${d})
               group by invoice_id
             ) ap on ap.invoice_id = i.id
             left join (
               select invoice_id, sum(amount) as amount from write_offs
               where org_id = ${orgId} and date <= ${d}
               group by invoice_id
             ) wo on wo.invoice_id = i.id
             where i.org_id = ${orgId} and i.status <> 'draft' and i.issue_date <= ${d}
               and (i.voided_on is null or i.voided_on > ${d})
               and (i.uncollectible_on is null or i.uncollectible_on > ${d})`;
}

/** The aging as it stood at the end of `asOf` (see openAmountsAsOf). */
export function agingRowsAsOf(q: Queryable, orgId: string, asOf: string): Promise<AgingRow[]> {
  return rows<AgingRow>(q, bucketed(openAmountsAsOf(orgId, asOf), asOf));
}
