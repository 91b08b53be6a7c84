import { sql } from 'drizzle-orm';
import { type Queryable, rows } from '../platform/db';
import type { PeriodFigures } from './summary';

/**
 * The period's sums per currency in one statement. Documents count as they stood at the end of `to`: an invoice
 * voided, a credit note voided or a payment reversed after `to` still counts. written_off is the net of the
 * write-off and bad-debt accounts in the period (small differences and uncollectible amounts, less recoveries).
 */
export async function periodFigures(q: Queryable, orgId: string, from: string, to: string): Promise<PeriodFigures[]> {
  const f = sql`${from}::date`;
  const t = sql`${to}::date`;
  const found = await rows<{ currency: string; figure: keyof PeriodFigures; value: string }>(
    q,
    sql`
      select currency, 'invoiced' as figure, sum(total)::text as value from invoices
      where org_id = ${orgId} and status <> 'draft' and issue_date between ${f} and ${t}
        and (voided_on is null or voided_on > ${t}) and source_type is distinct from 'import'
      group by currency
      union all
      select currency, 'collected', sum(amount)::text from payments
      where org_id = ${orgId} and date between ${f} and ${t} and (reversed_on is null or reversed_on > ${t})
      group by currency
      union all
      select currency, 'credited', sum(total)::text from credit_notes
      where org_id = ${orgId} and issue_date between ${f} and ${t} and (voided_on is null or voided_on > ${t})
      group by currency
      union all
      select currency, 'written_off', sum(debit - credit)::text from journal_lines
      where org_id = ${orgId} and account in ('write_off', 'bad_debt') and date between ${f} and ${t}
      group by currency
      union all
      select currency, 'paid_weighted_days', sum(total * (paid_on - issue_date))::text from invoices
      where org_id = ${orgId} and status = 'paid' and paid_on between ${f} and ${t} and total > 0
      group by currency
      union all
      select currency, 'paid_weight', sum(total)::text from invoices
      where org_id = ${orgId} and status = 'paid' and paid_on between ${f} and ${t} and total > 0
      group by currency`,
  );
  const byCurrency = new Map<string, PeriodFigures>();
  for (const r of found) {
    let figures = byCurrency.get(r.currency);
    if (!figures) {
      figures = {
        currency: r.currency,
        invoiced: '0',
        collected: '0',
        credited: '0',
        written_off: '0',
        paid_weighted_days: '0',
        paid_weight: '0',
      };
      byCurrency.set(r.currency, figures);
    }
    figures[r.figure] = r.value;
  }
  return [...byCurrency.values()];
}
