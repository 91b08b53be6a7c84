import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './db';
import { invalid } from './errors';

export interface PageQuery {
  limit: number;
  starting_after?: string | undefined;
}

/** Rows after the cursor in list order (newest first: created_at, then id); compared in SQL so timestamps keep their precision. */
export async function afterCursor(
  q: Queryable,
  table: PgTable & { id: PgColumn; createdAt: PgColumn; orgId: PgColumn },
  orgId: string,
  startingAfter: string | undefined,
): Promise<SQL | undefined> {
  if (!startingAfter) return undefined;
  const found = await q
    .select({ id: table.id })
    .from(table)
    .where(sql`${table.id} = ${startingAfter} and ${table.orgId} = ${orgId}`);
  if (found.length === 0)
    throw invalid('invalid_cursor', `starting_after ${startingAfter} is not in this list.`, 'starting_after');
  return sql`(${table.createdAt}, ${table.id}) < (select c.created_at, c.id from ${table} c where c.id = ${startingAfter})`;
}

export function toPage<T>(rows: T[], limit: number): { data: T[]; has_more: boolean } {
  return { data: rows.slice(0, limit), has_more: rows.length > limit };
}
