import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { products } from '../catalog/tables';
import { getCustomer } from '../crm/service';
import { contacts } from '../crm/tables';
import { dec, formatAmount, roundMoney, sum } from '../money/money';
import { getSettings } from '../organizations/service';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, forbidden, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { apiFieldName } from '../platform/schemas';
import { users } from '../platform/tables';
import { createQuoteIn, onQuoteAccepted } from '../quotes/service';
import { assertTerritoryInOrg, territoryWithDescendants } from '../territories/service';
import { expectedRevenue, opportunityAmounts } from './amounts';
import type {
  HistoryRow,
  OpportunityIn,
  OpportunityListQuery,
  OpportunityOut,
  OpportunityPatch,
  OpportunityRow,
  PipelineOut,
  StageIn,
  StagePatch,
  StageRow,
  StoredLine,
} from './schemas';
import { opportunities, opportunityStageHistory, pipelineStages } from './tables';

// ---------------------------------------------------------------- stages

/** API.md "Pipeline stages": what every organization starts with. */
const DEFAULT_STAGES = [
  { name: 'Prospecting', probability: 10, forecastCategory: 'pipeline', kind: 'open' },
  { name: 'Qualification', probability: 25, forecastCategory: 'pipeline', kind: 'open' },
  { name: 'Proposal', probability: 50, forecastCategory: 'best_case', kind: 'open' },
  { name: 'Negotiation', probability: 75, forecastCategory: 'commit', kind: 'open' },
  { name: 'Closed Won', probability: 100, forecastCategory: 'closed', kind: 'won' },
  { name: 'Closed Lost', probability: 0, forecastCategory: 'omitted', kind: 'lost' },
] as const;

/** The organization's stages by position; the defaults are written the first time anyone asks. */
export async function stagesOf(q: Queryable, ctx: Pick<RequestContext, 'orgId' | 'clock'>): Promise<StageRow[]> {
  const read = () =>
    q
      .select()
      .from(pipelineStages)
      .where(eq(pipelineStages.orgId, ctx.orgId))
      .orderBy(asc(pipelineStages.position), asc(pipelineStages.createdAt));
  const rows = await read();
  if (rows.length > 0) return rows;
  const now = ctx.clock.now();
  // Two first requests at once write the defaults once: the unique position of each default decides.
  await q
    .insert(pipelineStages)
    .values(
      DEFAULT_STAGES.map((s, i) => ({
        id: newId('stg'),
        orgId: ctx.orgId,
        position: (i + 1) * 10,
        createdAt: now,
        ...s,
      })),
    )
    .onConflictDoNothing();
  return read();
}

async function stageById(q: Queryable, ctx: RequestContext, id: string, param = 'stage'): Promise<StageRow> {
  const stage = (await stagesOf(q, ctx)).find((s) => s.id === id);
  if (!stage) throw unprocessable('stage_not_found', `No pipeline stage ${id} in this organization.`, param);
  return stage;
}

/** A won stage is always 100 and closed; a lost stage 0 and omitted. */
function stageDefaults(kind: string, probability: number, category: string) {
  if (kind === 'won') return { probability: 100, forecastCategory: 'closed' };
  if (kind === 'lost') return { probability: 0, forecastCategory: 'omitted' };
  return { probability, forecastCategory: category };
}

/** Exactly one active won stage and at least one active lost stage, at all times. */
function assertStageSet(stages: StageRow[]): void {
  const active = stages.filter((s) => s.active);
  if (active.filter((s) => s.kind === 'won').length !== 1)
    throw conflict('won_stage_required', 'There must be exactly one active won stage.', 'kind');
  if (active.filter((s) => s.kind === 'lost').length < 1)
    throw conflict('lost_stage_required', 'There must be at least one active lost stage.', 'kind');
}

export async function createStage(ctx: RequestContext, input: StageIn): Promise<StageRow> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stages:${ctx.orgId}`}))`);
    const stages = await stagesOf(tx, ctx);
    const position = input.position ?? Math.max(0, ...stages.map((s) => s.position)) + 10;
    if (stages.some((s) => s.position === position))
      throw conflict('position_taken', `Another stage is at position ${position}.`, 'position');
    const row: StageRow = {
      id: newId('stg'),
      orgId: ctx.orgId,
      name: input.name,
      position,
      kind: input.kind,
      active: input.active ?? true,
      createdAt: ctx.clock.now(),
      ...stageDefaults(input.kind, input.probability, input.forecast_category),
    };
    assertStageSet([...stages, row]);
    await tx.insert(pipelineStages).values(row);
    await recordEvent(
      tx,
      ctx,
      'pipeline_stage.created',
      { type: 'pipeline_stage', id: row.id },
      { name: row.name, kind: row.kind },
    );
    return row;
  });
}

export async function updateStage(ctx: RequestContext, id: string, patch: StagePatch): Promise<StageRow> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stages:${ctx.orgId}`}))`);
    const stages = await stagesOf(tx, ctx);
    const before = stages.find((s) => s.id === id);
    if (!before) throw notFound('pipeline stage', id);
    const kind = patch.kind ?? before.kind;
    const after: StageRow = {
      ...before,
      name: patch.name ?? before.name,
      position: patch.position ?? before.position,
      active: patch.active ?? before.active,
      kind,
      ...stageDefaults(
        kind,
        patch.probability ?? before.probability,
        patch.forecast_category ?? before.forecastCategory,
      ),
    };
    if (after.position !== before.position && stages.some((s) => s.id !== id && s.position === after.position))
      throw conflict('position_taken', `Another stage is at position ${after.position}.`, 'position');
    if ((before.active && !after.active) || kind !== before.kind) {
      const [held] = await tx
        .select({ id: opportunities.id })
        .from(opportunities)
        .where(and(eq(opportunities.stageId, id), eq(opportunities.status, 'open')))
        .limit(1);
      if (held) throw conflict('stage_in_use', 'Open opportunities are in this stage; move them first.', 'active');
    }
    assertStageSet(stages.map((s) => (s.id === id ? after : s)));
    const changed = (['name', 'position', 'active', 'kind', 'probability', 'forecastCategory'] as const).filter(
      (k) => after[k] !== before[k],
    );
    if (changed.length === 0) return before;
    await tx
      .update(pipelineStages)
      .set({
        name: after.name,
        position: after.position,
        active: after.active,
        kind: after.kind,
        probability: after.probability,
        forecastCategory: after.forecastCategory,
      })
      .where(eq(pipelineStages.id, id));
    await recordEvent(
      tx,
      ctx,
      'pipeline_stage.updated',
      { type: 'pipeline_stage', id },
      {
        changed: changed.map((k) => (k === 'forecastCategory' ? 'forecast_category' : k)),
      },
    );
    return after;
  });
}

// ---------------------------------------------------------------- opportunities

/** Sales users change only their own deals (a sales API key owns none); finance and admin change any. */
export function assertMayChangeOwned(ctx: RequestContext, ownerId: string | null, what: string): void {
  if (ctx.role === 'sales' && (ctx.userId === null || ownerId !== ctx.userId))
    throw forbidden(`Sales reps may change only their own ${what}.`);
}

export async function assertUserInOrg(q: Queryable, ctx: RequestContext, id: string, param: string): Promise<void> {
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), eq(users.orgId, ctx.orgId)));
  if (!row) throw unprocessable('owner_not_found', `No user ${id} in this organization.`, param);
}

async function getOpportunityRow(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.id, id), eq(opportunities.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('opportunity', id);
  return row;
}

/** Lines with their amounts (amounts.ts); a line naming a product takes its description and price when not given. */
async function pricedLines(
  q: Queryable,
  ctx: RequestContext,
  lines: NonNullable<OpportunityIn['lines']>,
  currency: string,
): Promise<{ lines: StoredLine[]; amount: string; mrr: string }> {
  const productIds = [...new Set(lines.map((l) => l.product).filter((p): p is string => !!p))];
  const found = productIds.length
    ? await q
        .select()
        .from(products)
        .where(and(eq(products.orgId, ctx.orgId), inArray(products.id, productIds)))
    : [];
  const resolved = lines.map((l, i) => {
    const product = l.product ? found.find((p) => p.id === l.product) : undefined;
    if (l.product && !product)
      throw unprocessable('product_not_found', `No product ${l.product}.`, `lines[${i}].product`);
    const unitPrice = l.unit_price ?? product?.unitPrice;
    if (unitPrice === undefined || unitPrice === null)
      throw invalid('unit_price_required', 'A line needs a unit price (or a product).', `lines[${i}].unit_price`);
    return {
      product: l.product ?? null,
      description: l.description ?? product?.name ?? null,
      quantity: l.quantity,
      unit_price: dec(unitPrice).toString(),
      discount_percent: l.discount_percent ?? null,
      recurring: l.recurring ? { interval: l.recurring.interval, interval_count: l.recurring.interval_count } : null,
    };
  });
  const amounts = opportunityAmounts(resolved, currency);
  return {
    lines: resolved.map((l, i) => ({ id: newId('ol'), ...l, amount: amounts.lines[i]! })),
    amount: amounts.amount,
    mrr: amounts.mrr,
  };
}

function probabilityOf(o: Pick<OpportunityRow, 'probability'>, stage: StageRow): number {
  return o.probability ?? stage.probability;
}

async function appendHistory(tx: Tx, ctx: RequestContext, o: OpportunityRow, stage: StageRow): Promise<void> {
  const now = ctx.clock.now();
  await tx
    .update(opportunityStageHistory)
    .set({ to: now })
    .where(and(eq(opportunityStageHistory.opportunityId, o.id), sql`${opportunityStageHistory.to} is null`));
  await tx.insert(opportunityStageHistory).values({
    id: newId('osh'),
    orgId: ctx.orgId,
    opportunityId: o.id,
    stageId: o.stageId,
    from: now,
    to: null,
    amount: o.amount,
    probability: probabilityOf(o, stage),
    closeDate: o.closeDate,
    by: ctx.userId,
  });
}

function assertClosedOn(ctx: RequestContext, closedOn: string, createdAt: Date): void {
  if (closedOn > ctx.today) throw invalid('closed_on_in_future', 'closed_on cannot be after today.', 'closed_on');
  if (closedOn < createdAt.toISOString().slice(0, 10))
    throw invalid('closed_on_before_created', 'closed_on cannot be before the opportunity was created.', 'closed_on');
}

export async function createOpportunity(ctx: RequestContext, input: OpportunityIn): Promise<OpportunityRow> {
  return ctx.db.transaction((tx) => createOpportunityIn(tx, ctx, input));
}

/** createOpportunity, in the caller's transaction (lead conversion makes one). */
export async function createOpportunityIn(tx: Tx, ctx: RequestContext, input: OpportunityIn): Promise<OpportunityRow> {
  const customer = await getCustomer(tx, ctx, input.customer).catch(() => {
    throw unprocessable('customer_not_found', `No customer ${input.customer} in this organization.`, 'customer');
  });
  if (input.contact) await assertContactOf(tx, ctx, input.contact, customer.id);
  const owner =
    input.owner !== undefined && input.owner !== null
      ? input.owner
      : ctx.role === 'sales'
        ? ctx.userId
        : customer.ownerId;
  if (ctx.role === 'sales' && (ctx.userId === null || owner !== ctx.userId))
    throw forbidden('Sales reps create opportunities for themselves; a sales API key, acting for no user, cannot.');
  if (owner) await assertUserInOrg(tx, ctx, owner, 'owner');
  const stages = await stagesOf(tx, ctx);
  const stage = input.stage ? await stageById(tx, ctx, input.stage) : stages.find((s) => s.active && s.kind === 'open');
  if (!stage) throw conflict('no_open_stage', 'The pipeline has no active open stage.', 'stage');
  if (!stage.active) throw unprocessable('stage_inactive', 'This stage is not active.', 'stage');
  const currency = customer.currency;
  const hasLines = (input.lines ?? []).length > 0;
  if (hasLines && input.amount !== undefined)
    throw conflict('amount_from_lines', 'With lines the amount is their sum; leave amount out.', 'amount');
  if (!hasLines && input.amount === undefined)
    throw invalid('amount_required', 'Give an amount, or lines to compute it from.', 'amount');
  const priced = hasLines
    ? await pricedLines(tx, ctx, input.lines!, currency)
    : { lines: [], amount: formatAmount(input.amount!, currency), mrr: formatAmount('0', currency) };
  if (stage.kind === 'lost' && !input.lost_reason)
    throw invalid('lost_reason_required', 'Say why the deal was lost.', 'lost_reason');
  const now = ctx.clock.now();
  const closed = stage.kind !== 'open';
  if (closed && input.closed_on) assertClosedOn(ctx, input.closed_on, now);
  const [row] = await tx
    .insert(opportunities)
    .values({
      id: newId('opp'),
      orgId: ctx.orgId,
      name: input.name,
      customerId: customer.id,
      contactId: input.contact ?? null,
      ownerId: owner ?? null,
      territoryId: (customer as { territoryId?: string | null }).territoryId ?? null,
      stageId: stage.id,
      status: stage.kind,
      probability: closed ? null : (input.probability ?? null),
      forecastCategory: closed ? null : (input.forecast_category ?? null),
      amount: priced.amount,
      mrr: priced.mrr,
      currency,
      closeDate: input.close_date ?? null,
      nextStep: input.next_step ?? null,
      nextStepDate: input.next_step_date ?? null,
      lostReason: stage.kind === 'lost' ? (input.lost_reason ?? null) : null,
      lines: priced.lines,
      closedOn: closed ? (input.closed_on ?? ctx.today) : null,
      createdBy: ctx.userId,
      createdAt: now,
    })
    .returning();
  await appendHistory(tx, ctx, row!, stage);
  await recordEvent(
    tx,
    ctx,
    'opportunity.created',
    { type: 'opportunity', id: row!.id },
    {
      stage: stage.id,
      amount: row!.amount,
      currency,
    },
  );
  return row!;
}

async function assertContactOf(q: Queryable, ctx: RequestContext, contact: string, customer: string) {
  const [row] = await q
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.id, contact), eq(contacts.orgId, ctx.orgId), eq(contacts.customerId, customer)));
  if (!row) throw unprocessable('contact_not_found', `No contact ${contact} of this customer.`, 'contact');
}

export async function updateOpportunity(ctx: RequestContext, id: string, patch: OpportunityPatch) {
  return ctx.db.transaction((tx) => updateOpportunityIn(tx, ctx, id, patch));
}

/** API.md "Stage changes": a PATCH applies the new stage's defaults, then the values it carries. */
export async function updateOpportunityIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: OpportunityPatch,
): Promise<OpportunityRow> {
  const before = await getOpportunityRow(tx, ctx, id, true);
  assertMayChangeOwned(ctx, before.ownerId, 'opportunities');
  const stages = await stagesOf(tx, ctx);
  const fromStage = stages.find((s) => s.id === before.stageId)!;
  const toStage = patch.stage ? await stageById(tx, ctx, patch.stage) : fromStage;
  const stageChanged = toStage.id !== fromStage.id;
  if (stageChanged && !toStage.active) throw unprocessable('stage_inactive', 'This stage is not active.', 'stage');
  const closedAfter = toStage.kind !== 'open';
  if (closedAfter && (patch.probability !== undefined || patch.forecast_category !== undefined))
    throw conflict(
      'opportunity_closed',
      'A won or lost opportunity has the probability and category of its stage.',
      patch.probability !== undefined ? 'probability' : 'forecast_category',
    );
  if (patch.owner !== undefined) {
    if (ctx.role === 'sales' && patch.owner !== ctx.userId) throw forbidden('Sales reps may not give a deal away.');
    if (patch.owner) await assertUserInOrg(tx, ctx, patch.owner, 'owner');
  }
  if (patch.contact) await assertContactOf(tx, ctx, patch.contact, before.customerId);
  const set: Partial<OpportunityRow> = {};
  const lines = before.lines as StoredLine[];
  if (patch.lines !== undefined) {
    if (patch.amount !== undefined)
      throw conflict('amount_from_lines', 'With lines the amount is their sum; leave amount out.', 'amount');
    if (patch.lines.length > 0) {
      const priced = await pricedLines(tx, ctx, patch.lines, before.currency);
      Object.assign(set, { lines: priced.lines, amount: priced.amount, mrr: priced.mrr });
    } else set.lines = [];
  } else if (patch.amount !== undefined) {
    if (lines.length > 0)
      throw conflict('amount_from_lines', 'This opportunity\u2019s amount is the sum of its lines.', 'amount');
    set.amount = formatAmount(patch.amount, before.currency);
  }
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.contact !== undefined) set.contactId = patch.contact;
  if (patch.owner !== undefined) set.ownerId = patch.owner;
  if (patch.close_date !== undefined) set.closeDate = patch.close_date;
  if (patch.next_step !== undefined) set.nextStep = patch.next_step;
  if (patch.next_step_date !== undefined) set.nextStepDate = patch.next_step_date;
  let event: 'won' | 'lost' | 'reopened' | 'stage_changed' | null = null;
  if (stageChanged) {
    set.stageId = toStage.id;
    set.status = toStage.kind;
    // The new stage's defaults, then what this PATCH says.
    set.probability = null;
    set.forecastCategory = null;
    if (toStage.kind === 'open') {
      if (before.status !== 'open') {
        set.closedOn = null;
        set.lostReason = null;
        event = 'reopened';
      } else event = 'stage_changed';
    } else {
      if (toStage.kind === 'lost' && !patch.lost_reason)
        throw invalid('lost_reason_required', 'Say why the deal was lost.', 'lost_reason');
      const closedOn = patch.closed_on ?? ctx.today;
      assertClosedOn(ctx, closedOn, before.createdAt);
      set.closedOn = closedOn;
      set.lostReason = toStage.kind === 'lost' ? patch.lost_reason! : null;
      event = toStage.kind === 'won' ? 'won' : 'lost';
    }
  } else if (patch.closed_on !== undefined || patch.lost_reason !== undefined) {
    if (before.status === 'open')
      throw conflict('opportunity_open', 'Only a won or lost opportunity has a close day and reason.', 'closed_on');
    if (patch.closed_on !== undefined) {
      assertClosedOn(ctx, patch.closed_on, before.createdAt);
      set.closedOn = patch.closed_on;
    }
    if (patch.lost_reason !== undefined && before.status === 'lost') set.lostReason = patch.lost_reason;
  }
  if (!closedAfter) {
    if (patch.probability !== undefined) set.probability = patch.probability;
    if (patch.forecast_category !== undefined) set.forecastCategory = patch.forecast_category;
  }
  const changedKeys = Object.keys(set).filter(
    (k) => JSON.stringify(set[k as keyof OpportunityRow]) !== JSON.stringify(before[k as keyof OpportunityRow]),
  );
  if (changedKeys.length === 0 && !stageChanged) return before;
  const [after] = await tx.update(opportunities).set(set).where(eq(opportunities.id, id)).returning();
  const tracked =
    stageChanged ||
    after!.amount !== before.amount ||
    probabilityOf(after!, toStage) !== probabilityOf(before, fromStage) ||
    after!.closeDate !== before.closeDate;
  if (tracked) await appendHistory(tx, ctx, after!, toStage);
  await recordChange(tx, ctx, after!, fromStage, toStage, event, changedKeys);
  return after!;
}

async function recordChange(
  tx: Tx,
  ctx: RequestContext,
  after: OpportunityRow,
  fromStage: StageRow,
  toStage: StageRow,
  event: 'won' | 'lost' | 'reopened' | 'stage_changed' | null,
  changed: string[],
): Promise<void> {
  const object = { type: 'opportunity' as const, id: after.id };
  if (event === 'won')
    await recordEvent(tx, ctx, 'opportunity.won', object, {
      amount: after.amount,
      closed_on: after.closedOn!,
      quote: after.quoteId,
    });
  else if (event === 'lost')
    await recordEvent(tx, ctx, 'opportunity.lost', object, {
      amount: after.amount,
      closed_on: after.closedOn!,
      lost_reason: after.lostReason ?? '',
    });
  else if (event === 'reopened') await recordEvent(tx, ctx, 'opportunity.reopened', object, { stage: toStage.id });
  else if (event === 'stage_changed')
    await recordEvent(tx, ctx, 'opportunity.stage_changed', object, {
      from_stage: fromStage.id,
      to_stage: toStage.id,
      amount: after.amount,
      probability: probabilityOf(after, toStage),
    });
  else await recordEvent(tx, ctx, 'opportunity.updated', object, { changed: changed.map(apiFieldName) });
}

export async function deleteOpportunity(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await getOpportunityRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, row.ownerId, 'opportunities');
    if (row.status !== 'open') throw conflict('opportunity_closed', 'A won or lost opportunity cannot be deleted.');
    await tx.delete(opportunityStageHistory).where(eq(opportunityStageHistory.opportunityId, id));
    await tx.delete(opportunities).where(eq(opportunities.id, id));
    await recordEvent(tx, ctx, 'opportunity.deleted', { type: 'opportunity', id }, { name: row.name });
  });
}

export async function getOpportunity(q: Queryable, ctx: RequestContext, id: string): Promise<OpportunityOut> {
  const [out] = await opportunitiesOut(q, ctx, [await getOpportunityRow(q, ctx, id)]);
  return out!;
}

export async function listOpportunities(ctx: RequestContext, query: OpportunityListQuery) {
  const where: (SQL | undefined)[] = [eq(opportunities.orgId, ctx.orgId)];
  if (query.status) where.push(eq(opportunities.status, query.status));
  if (query.stage) where.push(eq(opportunities.stageId, query.stage));
  if (query.owner) where.push(eq(opportunities.ownerId, query.owner === 'me' ? (ctx.userId ?? '') : query.owner));
  if (query.territory) where.push(eq(opportunities.territoryId, query.territory));
  if (query.customer) where.push(eq(opportunities.customerId, query.customer));
  if (query['close_date[gte]']) where.push(gte(opportunities.closeDate, query['close_date[gte]']));
  if (query['close_date[lte]']) where.push(lte(opportunities.closeDate, query['close_date[lte]']));
  where.push(await afterCursor(ctx.db, opportunities, ctx.orgId, query.starting_after));
  const rows = await ctx.db
    .select()
    .from(opportunities)
    .where(and(...where))
    .orderBy(desc(opportunities.createdAt), desc(opportunities.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit);
  return { data: await opportunitiesOut(ctx.db, ctx, page.data), has_more: page.has_more };
}

async function opportunitiesOut(q: Queryable, ctx: RequestContext, rows: OpportunityRow[]): Promise<OpportunityOut[]> {
  if (rows.length === 0) return [];
  const stages = await stagesOf(q, ctx);
  const history = await q
    .select()
    .from(opportunityStageHistory)
    .where(
      inArray(
        opportunityStageHistory.opportunityId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(opportunityStageHistory.from), asc(opportunityStageHistory.id));
  return rows.map((o) => {
    const stage = stages.find((s) => s.id === o.stageId)!;
    const probability = probabilityOf(o, stage);
    return {
      id: o.id,
      name: o.name,
      customer: o.customerId,
      contact: o.contactId,
      owner: o.ownerId,
      territory: o.territoryId,
      stage: o.stageId,
      status: o.status as OpportunityOut['status'],
      probability,
      forecast_category: (o.forecastCategory ?? stage.forecastCategory) as OpportunityOut['forecast_category'],
      amount: formatAmount(o.amount, o.currency),
      currency: o.currency,
      close_date: o.closeDate,
      next_step: o.nextStep,
      next_step_date: o.nextStepDate,
      lost_reason: o.lostReason,
      lines: o.lines as StoredLine[],
      mrr: formatAmount(o.mrr, o.currency),
      quote: o.quoteId,
      closed_on: o.closedOn,
      stage_history: history.filter((h) => h.opportunityId === o.id).map((h) => historyOut(h, o.currency)),
      expected_revenue: expectedRevenue(o.amount, probability, o.currency),
      created_at: o.createdAt.toISOString(),
    };
  });
}

function historyOut(h: HistoryRow, currency: string) {
  return {
    stage: h.stageId,
    from: h.from.toISOString(),
    to: h.to?.toISOString() ?? null,
    amount: formatAmount(h.amount, currency),
    probability: h.probability,
    close_date: h.closeDate,
    by: h.by,
  };
}

// ---------------------------------------------------------------- quotes from opportunities

/** POST /opportunities/:id/quote: a draft quote of the lines, each with its product's tax rate, linked both ways. */
export async function quoteOpportunity(ctx: RequestContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const opp = await getOpportunityRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, opp.ownerId, 'opportunities');
    if (opp.status !== 'open')
      throw conflict('opportunity_closed', 'A won or lost opportunity is not quoted.', 'status');
    const lines = opp.lines as StoredLine[];
    if (lines.length === 0) throw conflict('opportunity_has_no_lines', 'Add lines to quote them.', 'lines');
    const productIds = lines.map((l) => l.product).filter((p): p is string => !!p);
    const found = productIds.length
      ? await tx
          .select()
          .from(products)
          .where(and(eq(products.orgId, ctx.orgId), inArray(products.id, productIds)))
      : [];
    const quoteLines = lines.map((l, i) => {
      const taxRate = found.find((p) => p.id === l.product)?.taxRateId;
      if (!taxRate)
        throw conflict('tax_rate_missing', 'This line\u2019s product has no tax rate to quote with.', `lines[${i}]`);
      return {
        product: l.product,
        description: l.description,
        quantity: l.quantity,
        unit_price: l.unit_price,
        discount_percent: l.discount_percent,
        tax_rate: taxRate,
        recurring: l.recurring,
      };
    });
    const quote = await createQuoteIn(tx, ctx, { customer: opp.customerId, lines: quoteLines }, { opportunityId: id });
    await tx.update(opportunities).set({ quoteId: quote.id }).where(eq(opportunities.id, id));
    await recordEvent(tx, ctx, 'opportunity.quoted', { type: 'opportunity', id }, { quote: quote.id });
    return quote;
  });
}

/**
 * When a quote made from an opportunity is accepted (same transaction): its lines become the opportunity's, the
 * amount and MRR follow, and the opportunity is won on the acceptance date. Once: a won deal stays won.
 */
async function winFromAcceptedQuote(
  tx: Tx,
  ctx: RequestContext,
  quote: { id: string; opportunityId: string | null; lines: unknown },
): Promise<void> {
  if (!quote.opportunityId) return;
  const [opp] = await tx
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.id, quote.opportunityId), eq(opportunities.orgId, ctx.orgId)))
    .for('update');
  if (!opp || opp.status !== 'open') return;
  const quoteLines = quote.lines as {
    product: string | null;
    description: string;
    quantity: string;
    unit_price: string;
    discount_percent: string | null;
    recurring: { interval: 'month' | 'quarter' | 'year'; interval_count: number } | null;
  }[];
  const priced = await pricedLines(
    tx,
    ctx,
    quoteLines.map((l) => ({ ...l, discount_percent: l.discount_percent ?? undefined })),
    opp.currency,
  );
  const won = (await stagesOf(tx, ctx)).find((s) => s.active && s.kind === 'won')!;
  const [after] = await tx
    .update(opportunities)
    .set({
      lines: priced.lines,
      amount: priced.amount,
      mrr: priced.mrr,
      stageId: won.id,
      status: 'won',
      probability: null,
      forecastCategory: null,
      closedOn: ctx.today,
      quoteId: quote.id,
    })
    .where(eq(opportunities.id, opp.id))
    .returning();
  await appendHistory(tx, ctx, after!, won);
  await recordEvent(
    tx,
    ctx,
    'opportunity.won',
    { type: 'opportunity', id: opp.id },
    {
      amount: after!.amount,
      closed_on: ctx.today,
      quote: quote.id,
    },
  );
}
onQuoteAccepted(winFromAcceptedQuote);

// ---------------------------------------------------------------- the pipeline report

/**
 * GET /reports/pipeline: per currency and open stage, the opportunities whose history entry in force at the end of
 * `as_of` (organization time zone) is in that stage, with that entry's amount and probability.
 */
export async function pipelineReport(
  q: Queryable,
  ctx: RequestContext,
  query: { as_of?: string | undefined; owner?: string | undefined; territory?: string | undefined },
): Promise<PipelineOut> {
  const asOf = query.as_of ?? ctx.today;
  if (query.owner) await assertUserInOrg(q, ctx, query.owner, 'owner');
  const territories = query.territory ? await territoryFilter(q, ctx.orgId, query.territory) : null;
  const { time_zone } = await getSettings(q, ctx);
  const stages = (await stagesOf(q, ctx)).filter((s) => s.active && s.kind === 'open');
  const end = sql`((${asOf}::date + 1)::timestamp at time zone ${time_zone})`;
  const filters: SQL[] = [];
  if (query.owner) filters.push(sql`and o.owner_id = ${query.owner}`);
  if (territories)
    filters.push(
      sql`and o.territory_id in (${sql.join(
        territories.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  const result = (await q.execute(sql`
    select o.currency, h.stage_id, h.amount::text as amount, h.probability
    from opportunity_stage_history h
    join opportunities o on o.id = h.opportunity_id
    where h.org_id = ${ctx.orgId} and h."from" < ${end} and (h."to" is null or h."to" >= ${end})
    ${sql.join(filters, sql` `)}`)) as unknown as {
    rows: { currency: string; stage_id: string; amount: string; probability: number }[];
  };
  const byCurrency = new Map<string, typeof result.rows>();
  for (const r of result.rows) {
    if (!stages.some((s) => s.id === r.stage_id)) continue;
    byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  }
  const currencies = [...byCurrency.keys()].sort().map((currency) => {
    const rows = byCurrency.get(currency)!;
    const lines = stages.map((s) => {
      const inStage = rows.filter((r) => r.stage_id === s.id);
      const amount = sum(inStage.map((r) => r.amount));
      const weighted = sum(inStage.map((r) => roundMoney(dec(r.amount).mul(r.probability).div(100), currency)));
      return {
        stage: s.id,
        name: s.name,
        count: inStage.length,
        amount: formatAmount(amount, currency),
        weighted_amount: formatAmount(weighted, currency),
      };
    });
    return {
      currency,
      stages: lines,
      total_amount: formatAmount(sum(lines.map((l) => l.amount)), currency),
      total_weighted: formatAmount(sum(lines.map((l) => l.weighted_amount)), currency),
    };
  });
  return { as_of: asOf, currencies };
}

/** A territory filter: the territory and its descendants; 422 naming `territory` when not this organization's. */
async function territoryFilter(q: Queryable, orgId: string, territory: string): Promise<string[]> {
  await assertTerritoryInOrg(q, orgId, territory, 'territory');
  return territoryWithDescendants(q, orgId, territory);
}
