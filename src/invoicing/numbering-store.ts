import { sql } from 'drizzle-orm';
import type { Queryable } from '../platform/db';
import { conflict } from '../platform/errors';
import { formatNumber, seriesOf } from './number-format';

export interface NumberingRule {
  format: string;
  start: number;
  enforceChronological: boolean;
}

/**
 * The next number of a series, in the caller's transaction. The upsert locks the series row until commit,
 * so concurrent postings queue, and a rolled-back posting gives its number back: gapless and unique.
 */
export async function nextNumber(
  tx: Queryable,
  orgId: string,
  kind: 'invoice' | 'credit_note' | 'quote' | 'order',
  rule: NumberingRule,
  issueDate: string,
): Promise<{ number: string; series: string; seq: number }> {
  const series = seriesOf(rule.format, issueDate);
  const result = (await tx.execute(sql`
    insert into number_series (org_id, kind, series, last_seq, last_issue_date)
    values (${orgId}, ${kind}, ${series}, ${rule.start}, ${issueDate})
    on conflict (org_id, kind, series) do update
      set last_seq = number_series.last_seq + 1,
          last_issue_date = greatest(number_series.last_issue_date, excluded.last_issue_date)
    returning last_seq, last_issue_date::text as latest_date`)) as unknown as {
    rows: { last_seq: number; latest_date: string }[];
  };
  const row = result.rows[0]!;
  // latest_date = greatest(previous, this): it is later than this issue date only if an earlier number has a later date.
  if (rule.enforceChronological && issueDate < row.latest_date)
    throw conflict(
      'issue_date_not_chronological',
      `Numbering is chronological: the issue date ${issueDate} is before ${row.latest_date}, the date of an earlier number in ${series}.`,
      'issue_date',
    );
  return { number: formatNumber(series, row.last_seq), series, seq: row.last_seq };
}
