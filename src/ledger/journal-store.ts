import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import type { Entry } from './entries';
import { journalEntries, journalLines } from './tables';

/** Writes balanced entries in the caller's transaction (the entries were checked when built). */
export async function recordEntries(tx: Queryable, orgId: string, entries: Entry[]): Promise<void> {
  const nonEmpty = entries.filter((e) => e.lines.length > 0);
  if (nonEmpty.length === 0) return;
  const rows = nonEmpty.map((e) => ({
    id: newId('je'),
    orgId,
    date: e.date,
    currency: e.currency,
    sourceType: e.source.type,
    sourceId: e.source.id,
    memo: e.memo,
  }));
  await tx.insert(journalEntries).values(rows);
  await tx.insert(journalLines).values(
    nonEmpty.flatMap((e, i) =>
      e.lines.map((l, lineNo) => ({
        entryId: rows[i]!.id,
        lineNo,
        orgId,
        account: l.account,
        debit: l.debit,
        credit: l.credit,
        date: e.date,
        currency: e.currency,
      })),
    ),
  );
}
