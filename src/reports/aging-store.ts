import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rows } from '../platform/db';
import type { AgingRow } from './aging';

// Aging in one statement: open amounts per invoice come from `source` (customer_id, due_date, open > 0) and are
// summed per customer into the buckets in one pass, the only pass over invoices; a customer's invoices are all in its
// currency (it cannot change once it has documents), so the currency comes with the name after aggregation, and the
// currency totals are summed from the per-customer rows. Sums of numeric are exact.

function bucketed(source: SQL, asOf: string): SQL {
  const d = sql`${asOf}::date`;
  return sql`
    with per_customer as (
      select c.currency, p.customer_id, c.name, p.current, p.d1_30, p.d31_60, p.d61_90, p.d90_plus,
             coalesce(p.current, 0) + coalesce(p.d1_30, 0) + coalesce(p.d31_60, 0) + coalesce(p.d61_90, 0)
               + coalesce(p.d90_plus, 0) as total
      from (
        select o.customer_id,
               sum(o.open) filter (where o.due_date >= ${d}) as current,
               sum(o.open) filter (where o.due_date < ${d} and o.due_date >= ${d} - 30) as d1_30,
               sum(o.open) filter (where o.due_date < ${d} - 30 and o.due_date >= ${d} - 60) as d31_60,
               sum(o.open) filter (where o.due_date < ${d} - 60 and o.due_date >= ${d} - 90) as d61_90,
               sum(o.open) filter (where o.due_date < ${d} - 90) as d90_plus
        from (${source}) o
        group by o.customer_id
      ) p
      join customers c on c.id = p.customer_id
    )
    select currency, customer_id, name, current::text as current, d1_30::text as d1_30, d31_60::text as d31_60,
           d61_90::text as d61_90, d90_plus::text as d90_plus, total::text as total
    from per_customer
    union all
    select currency, null, null, sum(current)::text, sum(d1_30)::text, sum(d31_60)::text, sum(d61_90)::text,
           sum(d90_plus)::text, sum(total)::text
    from per_customer group by currency
    order by 1, 2 nulls first, 3, 2`;
}

/**
 * Open amounts now: the stored amount_due of open posted invoices (the partial index invoices_open_idx covers them).
 * Uncollectible, void, paid and draft invoices are out by their status.
 */
export function agingRowsNow(q: Queryable, orgId: string, asOf: string): Promise<AgingRow[]> {
  return rows<AgingRow>(
    q,
    bucketed(
      sql`select customer_id, due_date, amount_due as open
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
                    i.total - i.paid_before_import - coalesce(ap.amount, 0) - coalesce(wo.amount, 0) as open
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
             where i.org_id = ${orgId} and i.status <> 'draft' and coalesce(i.opening_date, i.issue_date) <= ${d}
               and (i.voided_on is null or i.voided_on > ${d})
               and (i.uncollectible_on is null or i.uncollectible_on > ${d})`;
}

/**
 * The aging as it stood at the end of `asOf`, from the dated balance history (invoice_open_history, which the
 * database keeps equal to openAmountsAsOf for every date): the spans open at that date, read from one index, as cheap
 * for a past date as for today.
 */
export function agingRowsAsOf(q: Queryable, orgId: string, asOf: string): Promise<AgingRow[]> {
  const d = sql`${asOf}::date`;
  return rows<AgingRow>(
    q,
    bucketed(
      sql`select customer_id, due_date, open from invoice_open_history
          where org_id = ${orgId} and valid_to > ${d} and valid_from <= ${d} and open > 0`,
      asOf,
    ),
  );
}

/**
 * Invoices whose dated balance history differs from the ledger's dated tables as of `asOf`: the open amount of the
 * history's span against openAmountsAsOf (for `arbor check`).
 */
export function openHistoryDifferences(
  q: Queryable,
  orgId: string,
  asOf: string,
): Promise<{ id: string; history: string; ledger: string }[]> {
  const d = sql`${asOf}::date`;
  return rows(
    q,
    sql`with history as (
          select invoice_id as id, sum(open) as open from invoice_open_history
          where org_id = ${orgId} and valid_to > ${d} and valid_from <= ${d} group by invoice_id
        ), ledger as (${openAmountsAsOf(orgId, asOf)})
        select coalesce(h.id, l.id) as id, coalesce(h.open, 0)::text as history, coalesce(l.open, 0)::text as ledger
        from history h full join ledger l on l.id = h.id
        where coalesce(h.open, 0) <> coalesce(l.open, 0)
        order by 1`,
  );
}
