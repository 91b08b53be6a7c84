import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Decimal, dec, formatAmount } from '../money/money';
import type { RequestContext } from '../platform/context';
import { type Queryable, rows as rowsOf, type Tx } from '../platform/db';
import { conflict, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { users } from '../platform/tables';
import { periodRange } from './periods';
import { type RealignRecord, summarizeMoves } from './realign';
import {
  chooseRoundRobin,
  type MatchableRecord,
  makesCycle,
  matchTerritory,
  type TerritoryRule,
  withDescendants,
} from './rules';
import type { QuotaIn, QuotaRow, TerritoryIn, TerritoryPatch, TerritoryRow } from './schemas';
import { quotas, territories, territoryRoundRobin } from './tables';

// ---------------------------------------------------------------- loading and checks

export async function getTerritory(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(territories)
    .where(and(eq(territories.id, id), eq(territories.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('territory', id);
  return row;
}

/** Every territory of the organization, oldest first (territories are few: matching reads them all). */
export function allTerritories(q: Queryable, orgId: string): Promise<TerritoryRow[]> {
  return q
    .select()
    .from(territories)
    .where(eq(territories.orgId, orgId))
    .orderBy(asc(territories.createdAt), asc(territories.id));
}

/** A territory id given in a body or a filter: 422 naming `param` when it is not one of this organization's. */
export async function assertTerritoryInOrg(q: Queryable, orgId: string, id: string, param: string): Promise<void> {
  const [row] = await q
    .select({ id: territories.id })
    .from(territories)
    .where(and(eq(territories.id, id), eq(territories.orgId, orgId)));
  if (!row) throw unprocessable('territory_not_found', `No territory ${id} in this organization.`, param);
}

/** A user id given in a body or a filter: 422 naming `param` when it is not a user of this organization. */
export async function assertUserInOrg(q: Queryable, orgId: string, id: string, param: string): Promise<void> {
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), eq(users.orgId, orgId)));
  if (!row) throw unprocessable('user_not_found', `No user ${id} in this organization.`, param);
}

/** The territory and its descendants' ids (for report filters). */
export async function territoryWithDescendants(q: Queryable, orgId: string, id: string): Promise<string[]> {
  const all = await allTerritories(q, orgId);
  return [...withDescendants(new Map(all.map((t) => [t.id, t.parentId])), id)];
}

async function checkTerritory(
  q: Queryable,
  ctx: RequestContext,
  id: string,
  t: { parent: string | null; members: string[]; manager: string | null },
) {
  if (t.parent !== null) {
    const all = await allTerritories(q, ctx.orgId);
    if (!all.some((x) => x.id === t.parent))
      throw unprocessable('territory_not_found', `No territory ${t.parent} in this organization.`, 'parent');
    if (makesCycle(new Map(all.map((x) => [x.id, x.parentId])), id, t.parent))
      throw unprocessable(
        'territory_cycle',
        'A territory cannot be placed under itself or one of its own sub-territories.',
        'parent',
      );
  }
  const seen = new Set<string>();
  for (const [i, m] of t.members.entries()) {
    if (seen.has(m)) throw unprocessable('member_repeated', `User ${m} is listed twice.`, `members[${i}]`);
    seen.add(m);
  }
  if (t.members.length > 0) {
    const found = await q
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, t.members)));
    const ok = new Set(found.map((r) => r.id));
    const i = t.members.findIndex((m) => !ok.has(m));
    if (i >= 0) throw unprocessable('user_not_found', `No user ${t.members[i]} in this organization.`, `members[${i}]`);
  }
  if (t.manager !== null) await assertUserInOrg(q, ctx.orgId, t.manager, 'manager');
}

// ---------------------------------------------------------------- territories

export async function createTerritory(ctx: RequestContext, input: TerritoryIn): Promise<TerritoryRow> {
  return ctx.db.transaction((tx) => createTerritoryIn(tx, ctx, input));
}

export async function createTerritoryIn(tx: Tx, ctx: RequestContext, input: TerritoryIn): Promise<TerritoryRow> {
  const id = newId('ter');
  const fields = { parent: input.parent ?? null, members: input.members ?? [], manager: input.manager ?? null };
  await checkTerritory(tx, ctx, id, fields);
  const [row] = await tx
    .insert(territories)
    .values({
      id,
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      name: input.name,
      parentId: fields.parent,
      priority: input.priority ?? 0,
      rules: input.rules ?? [],
      members: fields.members,
      managerId: fields.manager,
    })
    .returning();
  await recordEvent(tx, ctx, 'territory.created', { type: 'territory', id }, { name: input.name });
  return row!;
}

export async function updateTerritory(ctx: RequestContext, id: string, patch: TerritoryPatch): Promise<TerritoryRow> {
  return ctx.db.transaction((tx) => updateTerritoryIn(tx, ctx, id, patch));
}

export async function updateTerritoryIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: TerritoryPatch,
): Promise<TerritoryRow> {
  const before = await getTerritory(tx, ctx, id, true);
  const fields = {
    parent: patch.parent !== undefined ? (patch.parent ?? null) : before.parentId,
    members: patch.members ?? (before.members as string[]),
    manager: patch.manager !== undefined ? (patch.manager ?? null) : before.managerId,
  };
  await checkTerritory(tx, ctx, id, fields);
  const set: Partial<typeof territories.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.parent !== undefined) set.parentId = fields.parent;
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.rules !== undefined) set.rules = patch.rules;
  if (patch.members !== undefined) set.members = fields.members;
  if (patch.manager !== undefined) set.managerId = fields.manager;
  if (Object.keys(set).length === 0) return before;
  const [row] = await tx.update(territories).set(set).where(eq(territories.id, id)).returning();
  await recordEvent(tx, ctx, 'territory.updated', { type: 'territory', id }, { changed: Object.keys(set) });
  return row!;
}

/** Tables whose rows carry a territory that deleting it clears (the crm's leads and opportunities once they exist). */
const TERRITORY_HOLDERS = ['customers', 'leads', 'opportunities'];

export async function deleteTerritory(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const t = await getTerritory(tx, ctx, id, true);
    const [child] = await tx
      .select({ id: territories.id })
      .from(territories)
      .where(and(eq(territories.parentId, id), eq(territories.orgId, ctx.orgId)))
      .limit(1);
    if (child) throw conflict('territory_has_children', 'Move or delete its sub-territories first.', 'id');
    for (const table of TERRITORY_HOLDERS) {
      const exists = (await tx.execute(sql`select to_regclass(${table}) is not null as present`)) as unknown as {
        rows: { present: boolean }[];
      };
      if (!exists.rows[0]?.present) continue;
      await tx.execute(
        sql`update ${sql.identifier(table)} set territory_id = null where territory_id = ${id} and org_id = ${ctx.orgId}`,
      );
    }
    await tx.delete(territories).where(eq(territories.id, id));
    await recordEvent(tx, ctx, 'territory.deleted', { type: 'territory', id }, { name: t.name });
  });
}

export async function listTerritories(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, territories, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(territories)
    .where(and(eq(territories.orgId, ctx.orgId), cursor))
    .orderBy(desc(territories.createdAt), desc(territories.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

// ---------------------------------------------------------------- assignment

/** The territory the rules give a record (null: none matches). */
export async function territoryByRules(q: Queryable, orgId: string, record: MatchableRecord): Promise<string | null> {
  const all = await allTerritories(q, orgId);
  return (
    matchTerritory(
      all.map((t) => ({ ...t, rules: t.rules as TerritoryRule[] })),
      record,
    )?.id ?? null
  );
}

/**
 * The next owner by the territory's round robin, recorded as given: the territory row is locked so two records
 * created at once go to two members. Null when the territory has no active member.
 */
export async function nextRoundRobinOwner(tx: Tx, orgId: string, territoryId: string): Promise<string | null> {
  const [t] = await tx
    .select({ members: territories.members })
    .from(territories)
    .where(and(eq(territories.id, territoryId), eq(territories.orgId, orgId)))
    .for('update');
  const members = (t?.members as string[] | undefined) ?? [];
  if (members.length === 0) return null;
  const active = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, members), eq(users.active, true)));
  const given = await tx
    .select({ userId: territoryRoundRobin.userId, seq: territoryRoundRobin.seq })
    .from(territoryRoundRobin)
    .where(eq(territoryRoundRobin.territoryId, territoryId));
  const chosen = chooseRoundRobin(
    members,
    new Set(active.map((a) => a.id)),
    new Map(given.map((g) => [g.userId, Number(g.seq)])),
  );
  if (chosen === null) return null;
  const seq = given.reduce((m, g) => Math.max(m, Number(g.seq)), 0) + 1;
  await tx
    .insert(territoryRoundRobin)
    .values({ territoryId, userId: chosen, orgId, seq })
    .onConflictDoUpdate({ target: [territoryRoundRobin.territoryId, territoryRoundRobin.userId], set: { seq } });
  return chosen;
}

/**
 * Territory and owner of a new customer or lead (API.md "Leads" → Assignment): the territory given (checked, kept as
 * set by hand) or the rules'; the owner given, else the creating sales user, else the territory's round robin.
 */
export async function assignNewRecord(
  tx: Tx,
  ctx: RequestContext,
  input: { territory?: string | null | undefined; owner?: string | null | undefined },
  record: MatchableRecord,
): Promise<{ territoryId: string | null; territorySource: 'rules' | 'manual'; ownerId: string | null }> {
  let territoryId: string | null;
  let territorySource: 'rules' | 'manual';
  if (input.territory) {
    await assertTerritoryInOrg(tx, ctx.orgId, input.territory, 'territory');
    territoryId = input.territory;
    territorySource = 'manual';
  } else {
    territoryId = await territoryByRules(tx, ctx.orgId, record);
    territorySource = 'rules';
  }
  let ownerId = input.owner ?? null;
  if (!ownerId && ctx.role === 'sales' && ctx.userId) ownerId = ctx.userId;
  if (!ownerId && territoryId) ownerId = await nextRoundRobinOwner(tx, ctx.orgId, territoryId);
  return { territoryId, territorySource, ownerId };
}

// ---------------------------------------------------------------- quotas

export async function putQuota(ctx: RequestContext, input: QuotaIn): Promise<QuotaRow> {
  return ctx.db.transaction(async (tx) => {
    if (input.owner) await assertUserInOrg(tx, ctx.orgId, input.owner, 'owner');
    if (input.territory) await assertTerritoryInOrg(tx, ctx.orgId, input.territory, 'territory');
    const owner = input.owner ?? null;
    const territory = input.territory ?? null;
    // One statement against the unique index of (owner or territory, period, currency): concurrent PUTs upsert.
    const [upserted] = await rowsOf<{ id: string }>(
      tx,
      sql`insert into quotas (id, org_id, created_at, owner_id, territory_id, period, currency, amount)
          values (${newId('quo')}, ${ctx.orgId}, ${ctx.clock.now().toISOString()}, ${owner}, ${territory}, ${input.period},
                  ${input.currency}, ${input.amount})
          on conflict (org_id, coalesce(owner_id, ''), coalesce(territory_id, ''), period, currency)
          do update set amount = excluded.amount
          returning id`,
    );
    const [row] = await tx.select().from(quotas).where(eq(quotas.id, upserted!.id));
    await recordEvent(
      tx,
      ctx,
      'quota.set',
      { type: 'quota', id: row!.id },
      { owner, territory, period: input.period, currency: input.currency, amount: input.amount },
    );
    return row!;
  });
}

export async function listQuotas(
  ctx: RequestContext,
  query: { period?: string | undefined; owner?: string | undefined; territory?: string | undefined },
): Promise<QuotaRow[]> {
  if (query.owner) await assertUserInOrg(ctx.db, ctx.orgId, query.owner, 'owner');
  if (query.territory) await assertTerritoryInOrg(ctx.db, ctx.orgId, query.territory, 'territory');
  const c: (SQL | undefined)[] = [eq(quotas.orgId, ctx.orgId)];
  if (query.period) c.push(eq(quotas.period, query.period));
  if (query.owner) c.push(eq(quotas.ownerId, query.owner));
  if (query.territory) c.push(eq(quotas.territoryId, query.territory));
  return ctx.db
    .select()
    .from(quotas)
    .where(and(...c))
    .orderBy(asc(quotas.period), asc(quotas.createdAt), asc(quotas.id));
}

/** The quotas of the forecast's filter: the owner's; else the territory's own; else the top territories'. */
export async function quotasFor(
  q: Queryable,
  orgId: string,
  filter: { owner?: string | undefined; territory?: string | undefined },
): Promise<QuotaRow[]> {
  const c: (SQL | undefined)[] = [eq(quotas.orgId, orgId)];
  if (filter.owner) c.push(eq(quotas.ownerId, filter.owner));
  else if (filter.territory) c.push(eq(quotas.territoryId, filter.territory));
  else c.push(sql`${quotas.territoryId} in (select id from territories where org_id = ${orgId} and parent_id is null)`);
  return q
    .select()
    .from(quotas)
    .where(and(...c));
}

/** The quota with what was won against it (opportunities: see wonAmounts). */
export async function quotasOut(q: Queryable, orgId: string, rows: QuotaRow[]) {
  const won = await wonAmounts(q, orgId, rows);
  return rows.map((r) => {
    const w = won.get(r.id) ?? dec(0);
    return {
      id: r.id,
      owner: r.ownerId,
      territory: r.territoryId,
      period: r.period,
      amount: formatAmount(r.amount, r.currency),
      currency: r.currency,
      won_amount: formatAmount(w, r.currency),
      attainment: w.div(r.amount).toFixed(4),
    };
  });
}

/** Per quota, Σ amount of its owner's (or territory's, descendants included) opportunities won in its period. */
async function wonAmounts(q: Queryable, orgId: string, rows: QuotaRow[]) {
  const result = new Map<string, Decimal>();
  if (rows.length === 0) return result;
  const parentOf = new Map((await allTerritories(q, orgId)).map((t) => [t.id, t.parentId]));
  for (const r of rows) {
    const { from, to } = periodRange(r.period);
    const who = r.ownerId
      ? sql`owner_id = ${r.ownerId}`
      : sql`territory_id in (${sql.join(
          [...withDescendants(parentOf, r.territoryId!)].map((t) => sql`${t}`),
          sql`, `,
        )})`;
    const [won] = await rowsOf<{ amount: string | null }>(
      q,
      sql`select sum(amount)::text as amount from opportunities
          where org_id = ${orgId} and status = 'won' and currency = ${r.currency}
            and closed_on >= ${from}::date and closed_on <= ${to}::date and ${who}`,
    );
    result.set(r.id, dec(won?.amount ?? 0));
  }
  return result;
}

// ---------------------------------------------------------------- realignment

/**
 * Re-applies the rules to every customer, open lead and open opportunity whose territory came from the rules
 * (API.md "Territories" → realign). The plan is computed the same way for a dry run and for the real one, in one
 * transaction under a lock of the organization's territories, so the real run moves exactly what the preview said.
 */
export async function realign(
  ctx: RequestContext,
  input: { dry_run?: boolean | undefined; reassign_owners?: boolean | undefined },
) {
  const dryRun = input.dry_run ?? false;
  const reassign = input.reassign_owners ?? false;
  return ctx.db.transaction(async (tx) => {
    const all = await tx
      .select()
      .from(territories)
      .where(eq(territories.orgId, ctx.orgId))
      .orderBy(asc(territories.createdAt), asc(territories.id))
      .for('update');
    const matchable = all.map((t) => ({ ...t, rules: t.rules as TerritoryRule[] }));
    const target = (r: MatchableRecord) => matchTerritory(matchable, r)?.id ?? null;
    const records: RealignRecord[] = [];
    const customerRows = await rowsOf<{
      id: string;
      territory_id: string | null;
      territory_source: string | null;
      billing_address: { country?: string; region?: string; postal_code?: string } | null;
      industry: string | null;
      employees: number | null;
    }>(
      tx,
      sql`select id, territory_id, territory_source, billing_address, industry, employees from customers
          where org_id = ${ctx.orgId} order by created_at, id`,
    );
    const customerTarget = new Map<string, string | null>();
    for (const c of customerRows) {
      const to =
        c.territory_source === 'manual'
          ? c.territory_id
          : target({
              country: c.billing_address?.country,
              region: c.billing_address?.region,
              postal_code: c.billing_address?.postal_code,
              industry: c.industry,
              employees: c.employees,
            });
      customerTarget.set(c.id, to);
      records.push({ kind: 'customer', id: c.id, from: c.territory_id, to });
    }
    records.push(...(await crmRealignRecords(tx, ctx.orgId, target, customerTarget)));
    const summary = summarizeMoves(records);
    if (!dryRun) {
      for (const r of records) {
        if (r.from === r.to) continue;
        const table = r.kind === 'customer' ? 'customers' : r.kind === 'lead' ? 'leads' : 'opportunities';
        const owner = reassign && r.to ? await nextRoundRobinOwner(tx, ctx.orgId, r.to) : null;
        await tx.execute(
          owner
            ? sql`update ${sql.identifier(table)} set territory_id = ${r.to}, owner_id = ${owner} where id = ${r.id} and org_id = ${ctx.orgId}`
            : sql`update ${sql.identifier(table)} set territory_id = ${r.to} where id = ${r.id} and org_id = ${ctx.orgId}`,
        );
      }
      const count = (kind: RealignRecord['kind']) =>
        summary.moved.reduce((n, m) => n + m[`${kind}s` as 'customers'], 0);
      await recordEvent(
        tx,
        ctx,
        'territories.realigned',
        { type: 'organization', id: ctx.orgId },
        {
          customers: count('customer'),
          leads: count('lead'),
          opportunities: count('opportunity'),
          reassign_owners: reassign,
        },
      );
    }
    return { dry_run: dryRun, ...summary };
  });
}

/** Open leads (by the rules, unless set by hand) and open opportunities (their customer's new territory). */
async function crmRealignRecords(
  tx: Tx,
  orgId: string,
  target: (r: MatchableRecord) => string | null,
  customerTarget: Map<string, string | null>,
): Promise<RealignRecord[]> {
  const records: RealignRecord[] = [];
  const leadRows = await rowsOf<{
    id: string;
    territory_id: string | null;
    territory_source: string | null;
    country: string | null;
    region: string | null;
    postal_code: string | null;
    industry: string | null;
    employees: number | null;
  }>(
    tx,
    sql`select id, territory_id, territory_source, country, region, postal_code, industry, employees from leads
        where org_id = ${orgId} and status in ('new', 'working', 'qualified') order by created_at, id`,
  );
  for (const l of leadRows)
    records.push({
      kind: 'lead',
      id: l.id,
      from: l.territory_id,
      to: l.territory_source === 'manual' ? l.territory_id : target(l),
    });
  const opportunityRows = await rowsOf<{
    id: string;
    territory_id: string | null;
    customer_id: string;
    currency: string;
    amount: string;
  }>(
    tx,
    sql`select id, territory_id, customer_id, currency, amount::text as amount from opportunities
        where org_id = ${orgId} and status = 'open' order by created_at, id`,
  );
  for (const o of opportunityRows)
    records.push({
      kind: 'opportunity',
      id: o.id,
      from: o.territory_id,
      to: customerTarget.get(o.customer_id) ?? null,
      currency: o.currency,
      amount: o.amount,
    });
  return records;
}
