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

/**
 * A list order asked for by `sort=<field>` / `sort=-<field>`: the field's key expressions, then id as the tie-break,
 * all in the one direction. Key expressions name columns of the listed table, so the cursor's keys are read by the same
 * expressions in a subquery over that table (its name there refers to the subquery's row).
 */
export interface ListSort {
  keys: SQL[];
  descending: boolean;
}

/** The sort a list was asked for, or the default (newest first) when `sort` is absent. */
export function listSort<F extends string>(
  sort: string | undefined,
  fields: Record<F, SQL[]>,
  fallback: { keys: SQL[]; descending: boolean },
): ListSort {
  if (!sort) return fallback;
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as F;
  const keys = fields[field];
  if (!keys) throw invalid('invalid_sort', `The list cannot be sorted by ${field}.`, 'sort');
  return { keys, descending };
}

/** `sort` of a list query: one of the fields, optionally with a leading minus for descending. */
export function sortValues<const F extends readonly string[]>(fields: F): [string, ...string[]] {
  return [...fields, ...fields.map((f) => `-${f}`)] as unknown as [string, ...string[]];
}

/** Rows after the cursor in the given order (ties by id in the same direction). */
export async function afterSortedCursor(
  q: Queryable,
  table: PgTable & { id: PgColumn; orgId: PgColumn },
  orgId: string,
  startingAfter: string | undefined,
  sort: ListSort,
): Promise<SQL | undefined> {
  if (!startingAfter) return undefined;
  const found = await q
    .select({ id: table.id })
    .from(table)
    .where(sql`${table.id} = ${startingAfter} and ${table.orgId} = ${orgId}`);
  if (found.length === 0)
    throw invalid('invalid_cursor', `starting_after ${startingAfter} is not in this list.`, 'starting_after');
  const keys = sql.join([...sort.keys, sql`${table.id}`], sql`, `);
  const op = sort.descending ? sql`<` : sql`>`;
  return sql`(${keys}) ${op} (select ${keys} from ${table} where ${table.id} = ${startingAfter})`;
}

/** ORDER BY of a sort: every key, then id, in the sort's direction. */
export function sortOrder(table: { id: PgColumn }, sort: ListSort): SQL[] {
  const dir = sort.descending ? sql`desc` : sql`asc`;
  return [...sort.keys, sql`${table.id}`].map((k) => sql`${k} ${dir}`);
}
