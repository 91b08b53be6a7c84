import { sql } from 'drizzle-orm';
import type { Clock } from '../platform/clock';
import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import type { Entry } from './entries';

/**
 * Writes balanced entries in the caller's transaction (the entries were checked when built): entries and their lines
 * in one statement, since every posting and payment goes through here.
 */
export async function recordEntries(
  tx: Queryable,
  { orgId, clock }: { orgId: string; clock: Clock },
  entries: Entry[],
): Promise<void> {
  const now = clock.now();
  const nonEmpty = entries.filter((e) => e.lines.length > 0).map((e) => ({ ...e, id: newId('je') }));
  if (nonEmpty.length === 0) return;
  const entryRows = nonEmpty.map(
    (e) =>
      sql`(${e.id}, ${orgId}, ${e.date}::date, ${e.currency}, ${e.source.type}, ${e.source.id}, ${e.memo}, ${now})`,
  );
  const lineRows = nonEmpty.flatMap((e) =>
    e.lines.map(
      (l, lineNo) =>
        sql`(${e.id}, ${lineNo}::int, ${orgId}, ${l.account}, ${l.debit}::numeric, ${l.credit}::numeric, ${e.date}::date, ${e.currency})`,
    ),
  );
  await tx.execute(sql`
    with entries as (
      insert into journal_entries (id, org_id, date, currency, source_type, source_id, memo, created_at)
      values ${sql.join(entryRows, sql`, `)})
    insert into journal_lines (entry_id, line_no, org_id, account, debit, credit, date, currency)
    values ${sql.join(lineRows, sql`, `)}`);
}
