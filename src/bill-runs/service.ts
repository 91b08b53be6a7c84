import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { formatAmount } from '../money/money';
import { assertPeriodOpenIn, getSettings, systemContext } from '../organizations/service';
import type { Clock } from '../platform/clock';
import { dateInZone, type RequestContext, type Site } from '../platform/context';
import type { Db, Queryable, Tx } from '../platform/db';
import { DomainError, notFound } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { organizations } from '../platform/tables';
import { yieldToRequests } from '../platform/yield';
import { billDue, dueSubscriptionIds } from '../subscriptions/service';
import { subscriptionBillings } from '../subscriptions/tables';
import type { BillRunDetail, BillRunIn, BillRunRow } from './schemas';
import { billRunChunks, billRunErrors, billRuns } from './tables';

/** Subscriptions per chunk: a unit of work one worker takes at a time. */
export const CHUNK_SIZE = 250;

export async function createBillRun(
  ctx: RequestContext,
  input: BillRunIn,
  trigger: 'api' | 'cli' | 'schedule',
): Promise<BillRunRow> {
  return ctx.db.transaction((tx) => createBillRunIn(tx, ctx, input, trigger));
}

/** createBillRun, in the caller's transaction. */
export async function createBillRunIn(
  tx: Tx,
  ctx: RequestContext,
  input: BillRunIn,
  trigger: 'api' | 'cli' | 'schedule',
): Promise<BillRunRow> {
  if (input.invoice_date) await assertPeriodOpenIn(tx, ctx.orgId, input.invoice_date, 'invoice_date');
  const [row] = await tx
    .insert(billRuns)
    .values({
      id: newId('brun'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      targetDate: input.target_date,
      invoiceDate: input.invoice_date ?? null,
      autoPost: input.auto_post ?? null,
      autoSend: input.auto_send ?? null,
      trigger,
      createdBy: ctx.userId,
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'bill_run.created',
    { type: 'bill_run', id: row!.id },
    { target_date: input.target_date, trigger },
  );
  return row!;
}

export interface BillRunPreview {
  subscriptions: {
    subscription: string;
    customer: string;
    customer_name: string;
    currency: string;
    billing_date: string;
    issue_date: string | null;
    period: { start: string; end: string } | null;
    subtotal: string;
    tax_total: string;
    total: string;
  }[];
  errors: { subscription: string; code: string; message: string }[];
}

class PreviewRollback extends Error {}

/**
 * What a bill run with these inputs would bill, by the same code, in one transaction that is rolled back: which
 * subscriptions, billing dates, periods and amounts. Nothing stays, no number is used (invoices stay drafts inside).
 */
export async function previewBillRun(ctx: RequestContext, input: BillRunIn): Promise<BillRunPreview> {
  const preview: BillRunPreview = { subscriptions: [], errors: [] };
  await ctx.db
    .transaction(async (tx) => {
      const inner: RequestContext = { ...ctx, db: tx as unknown as Db };
      const run = await createBillRunIn(tx, ctx, input, 'api');
      for (const id of await dueSubscriptionIds(tx, ctx.orgId, input.target_date)) {
        try {
          await billDue(inner, id, input.target_date, {
            invoiceDate: input.invoice_date ?? null,
            runDate: ctx.today,
            autoPost: false,
            autoSend: false,
            billRunId: run.id,
          });
        } catch (err) {
          const e = err instanceof DomainError ? err : null;
          preview.errors.push({
            subscription: id,
            code: e?.code ?? 'internal',
            message: e?.message ?? 'The subscription could not be billed.',
          });
        }
      }
      const rows = await tx
        .select({
          subscription: subscriptionBillings.subscriptionId,
          billingDate: subscriptionBillings.billingDate,
          periodStart: subscriptionBillings.periodStart,
          periodEnd: subscriptionBillings.periodEnd,
          issueDate: invoices.issueDate,
          currency: invoices.currency,
          customer: invoices.customerId,
          customerName: customers.name,
          subtotal: invoices.subtotal,
          taxTotal: invoices.taxTotal,
          total: invoices.total,
        })
        .from(subscriptionBillings)
        .innerJoin(invoices, eq(invoices.id, subscriptionBillings.invoiceId))
        .innerJoin(customers, eq(customers.id, invoices.customerId))
        .where(eq(subscriptionBillings.billRunId, run.id))
        .orderBy(asc(customers.name), asc(subscriptionBillings.subscriptionId), asc(subscriptionBillings.billingDate));
      preview.subscriptions = rows.map((r) => ({
        subscription: r.subscription,
        customer: r.customer,
        customer_name: r.customerName,
        currency: r.currency,
        billing_date: r.billingDate,
        issue_date: r.issueDate,
        period: r.periodStart && r.periodEnd ? { start: r.periodStart, end: r.periodEnd } : null,
        subtotal: formatAmount(r.subtotal, r.currency),
        tax_total: formatAmount(r.taxTotal, r.currency),
        total: formatAmount(r.total, r.currency),
      }));
      throw new PreviewRollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof PreviewRollback)) throw err;
    });
  return preview;
}

/** The daily run of an organization for its today: at most one per day (a unique index), whoever asks. */
export async function createScheduledRun(site: Site, orgId: string): Promise<BillRunRow | null> {
  const ctx = await systemContext(site, orgId);
  return site.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(billRuns)
      .values({ id: newId('brun'), orgId, targetDate: ctx.today, trigger: 'schedule', createdAt: ctx.clock.now() })
      .onConflictDoNothing()
      .returning();
    if (!row) return null;
    await recordEvent(
      tx,
      ctx,
      'bill_run.created',
      { type: 'bill_run', id: row.id },
      { target_date: ctx.today, trigger: 'schedule' },
    );
    return row;
  });
}

export async function organizationIds(db: Db): Promise<string[]> {
  return (await db.select({ id: organizations.id }).from(organizations)).map((r) => r.id);
}

async function detailOf(q: Queryable, run: BillRunRow): Promise<BillRunDetail> {
  // Invoices are counted from the billing rows, committed with them: exact while the run goes on and after retries.
  const result = (await q.execute(sql`
    select (select coalesce(sum(processed), 0) from bill_run_chunks where run_id = ${run.id} and status = 'done')::int
             as processed,
           (select count(*) from subscription_billings where bill_run_id = ${run.id} and invoice_id is not null)::int
             as invoices`)) as unknown as { rows: { processed: number; invoices: number }[] };
  const errors = await q
    .select()
    .from(billRunErrors)
    .where(eq(billRunErrors.runId, run.id))
    .orderBy(asc(billRunErrors.createdAt), asc(billRunErrors.subscriptionId));
  const counts = result.rows[0];
  return { run, processed: Number(counts?.processed ?? 0), invoicesCreated: Number(counts?.invoices ?? 0), errors };
}

export async function getBillRun(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<BillRunDetail> {
  const [run] = await q
    .select()
    .from(billRuns)
    .where(and(eq(billRuns.id, id), eq(billRuns.orgId, ctx.orgId)));
  if (!run) throw notFound('bill run', id);
  return detailOf(q, run);
}

export async function listBillRuns(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, billRuns, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(billRuns)
    .where(and(eq(billRuns.orgId, ctx.orgId), cursor))
    .orderBy(desc(billRuns.createdAt), desc(billRuns.id))
    .limit(page.limit + 1);
  const p = toPage(rows, page.limit);
  return { data: await Promise.all(p.data.map((r) => detailOf(ctx.db, r))), has_more: p.has_more };
}

/**
 * Splits a run into chunks of due subscriptions, once (the run row is locked; a repeated job finds the chunks
 * made). Returns the chunks still to do, for workers to take.
 */
export async function splitRun({ db, clock }: Pick<Site, 'db' | 'clock'>, runId: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(billRuns).where(eq(billRuns.id, runId)).for('update');
    if (!run) return [];
    if (run.chunkCount !== null) {
      const pending = await tx
        .select({ chunkNo: billRunChunks.chunkNo })
        .from(billRunChunks)
        .where(and(eq(billRunChunks.runId, runId), eq(billRunChunks.status, 'pending')))
        .orderBy(asc(billRunChunks.chunkNo));
      return pending.map((c) => c.chunkNo);
    }
    const ids = await dueSubscriptionIds(tx, run.orgId, run.targetDate);
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += CHUNK_SIZE) chunks.push(ids.slice(i, i + CHUNK_SIZE));
    if (chunks.length > 0)
      await tx
        .insert(billRunChunks)
        .values(chunks.map((subscriptionIds, chunkNo) => ({ runId, chunkNo, orgId: run.orgId, subscriptionIds })));
    await tx
      .update(billRuns)
      .set({ status: 'running', startedAt: clock.now(), chunkCount: chunks.length })
      .where(eq(billRuns.id, runId));
    if (chunks.length === 0) await finishRun(tx, clock, run);
    return chunks.map((_c, i) => i);
  });
}

async function finishRun(tx: Queryable, clock: Clock, run: BillRunRow): Promise<void> {
  const detail = await detailOf(tx, run);
  const status = detail.errors.length > 0 ? 'completed_with_errors' : 'completed';
  await tx.update(billRuns).set({ status, finishedAt: clock.now() }).where(eq(billRuns.id, run.id));
  await recordEvent(
    tx,
    { orgId: run.orgId, actor: { type: 'system', id: null }, clock },
    `bill_run.${status}`,
    { type: 'bill_run', id: run.id },
    {
      target_date: run.targetDate,
      processed: detail.processed,
      invoices_created: detail.invoicesCreated,
      errors: detail.errors.length,
    },
  );
}

export interface ChunkOptions {
  /** Subscriptions billed at the same time within the chunk (PostgreSQL); 1 on the embedded database. */
  concurrency: number;
  smtpConfigured: boolean;
  clock: Clock;
  publicUrl: string;
  /** Called once per subscription of the chunk when it is done (the command line's progress bar). */
  onSubscription?: () => void;
  /** True when the process is stopping: the chunk stops between two subscriptions and stays pending. */
  stopping?: () => boolean;
}

/**
 * Bills the subscriptions of one chunk. Each subscription is billed in its own transactions; one that fails is
 * recorded as the run's error and the rest go on. Subscriptions another run holds right now are skipped and
 * looked at again, waiting, at the end: by then the other run has billed them and nothing is due.
 * Running a chunk twice (a retried job) bills nothing twice and counts nothing twice.
 */
export async function processChunk(
  db: Db,
  runId: string,
  chunkNo: number,
  opts: ChunkOptions,
): Promise<{ emailsQueued: number }> {
  const [chunk] = await db
    .select()
    .from(billRunChunks)
    .where(and(eq(billRunChunks.runId, runId), eq(billRunChunks.chunkNo, chunkNo)));
  if (!chunk || chunk.status === 'done') return { emailsQueued: 0 };
  const [run] = await db.select().from(billRuns).where(eq(billRuns.id, runId));
  if (!run) return { emailsQueued: 0 };
  const ctx = await systemContext({ db, clock: opts.clock, publicUrl: opts.publicUrl }, run.orgId);
  const runDate = dateInZone(run.createdAt, (await getSettings(db, ctx)).time_zone);
  const ids = chunk.subscriptionIds as string[];
  let emailsQueued = 0;
  const bill = async (id: string, skipLocked: boolean): Promise<boolean> => {
    try {
      const result = await billDue(ctx, id, run.targetDate, {
        invoiceDate: run.invoiceDate,
        runDate,
        autoPost: run.autoPost,
        autoSend: run.autoSend,
        billRunId: run.id,
        smtpConfigured: opts.smtpConfigured,
        skipLocked,
      });
      emailsQueued += result.emailsQueued;
      return !result.skipped;
    } catch (err) {
      await recordError(ctx, run, id, err);
      return true;
    }
  };
  const skipped: string[] = [];
  const stopping = opts.stopping ?? (() => false);
  await eachConcurrently(ids, opts.concurrency, stopping, async (id) => {
    if (await bill(id, true)) opts.onSubscription?.();
    else skipped.push(id);
  });
  await eachConcurrently(skipped, opts.concurrency, stopping, async (id) => {
    await bill(id, false);
    opts.onSubscription?.();
  });
  // Left pending: the next process bills the rest (what was billed is not billed again).
  if (stopping()) return { emailsQueued };
  await finishChunk(db, opts.clock, run, chunkNo, ids);
  return { emailsQueued };
}

async function recordError(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  run: BillRunRow,
  subscriptionId: string,
  err: unknown,
): Promise<void> {
  const code = err instanceof DomainError ? err.code : 'internal_error';
  const message =
    err instanceof DomainError ? err.message : `Billing failed: ${err instanceof Error ? err.message : String(err)}`;
  await db
    .insert(billRunErrors)
    .values({
      runId: run.id,
      subscriptionId,
      orgId: run.orgId,
      code,
      message: message.slice(0, 2000),
      createdAt: clock.now(),
    })
    .onConflictDoUpdate({
      target: [billRunErrors.runId, billRunErrors.subscriptionId],
      set: { code, message: message.slice(0, 2000) },
    });
}

/** Marks the chunk done (once) and, when it was the last, the run completed: chunk completions queue on the run row. */
async function finishChunk(db: Db, clock: Clock, run: BillRunRow, chunkNo: number, ids: string[]) {
  await db.transaction(async (tx) => {
    await tx.select({ id: billRuns.id }).from(billRuns).where(eq(billRuns.id, run.id)).for('update');
    const [billed] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(subscriptionBillings)
      .where(
        and(
          eq(subscriptionBillings.billRunId, run.id),
          inArray(subscriptionBillings.subscriptionId, ids),
          isNotNull(subscriptionBillings.invoiceId),
        ),
      );
    const done = await tx
      .update(billRunChunks)
      .set({ status: 'done', processed: ids.length, invoicesCreated: Number(billed?.n ?? 0), finishedAt: clock.now() })
      .where(
        and(eq(billRunChunks.runId, run.id), eq(billRunChunks.chunkNo, chunkNo), eq(billRunChunks.status, 'pending')),
      )
      .returning({ chunkNo: billRunChunks.chunkNo });
    if (done.length === 0) return;
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(billRunChunks)
      .where(and(eq(billRunChunks.runId, run.id), eq(billRunChunks.status, 'pending')));
    if (Number(left?.n ?? 0) === 0) await finishRun(tx, clock, run);
  });
}

async function eachConcurrently<T>(
  items: T[],
  concurrency: number,
  stopping: () => boolean,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopping()) {
      const item = items[next++]!;
      await fn(item);
      // On the embedded database (one connection) requests that arrived meanwhile go first.
      await yieldToRequests();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Runs of any organization still running long after they started (a lost job): their pending chunks. */
export async function stalledChunks(db: Db, olderThan: Date): Promise<{ runId: string; chunkNo: number }[]> {
  const rows = await db
    .select({ runId: billRunChunks.runId, chunkNo: billRunChunks.chunkNo })
    .from(billRunChunks)
    .innerJoin(billRuns, eq(billRuns.id, billRunChunks.runId))
    .where(and(eq(billRuns.status, 'running'), eq(billRunChunks.status, 'pending'), lt(billRuns.startedAt, olderThan)));
  return rows;
}

/** Runs of any organization left unfinished: never split (`pending`), or running with chunks still to do. */
export async function unfinishedRuns(
  db: Db,
): Promise<{ pending: string[]; chunks: { runId: string; chunkNo: number }[] }> {
  const pending = await db.select({ id: billRuns.id }).from(billRuns).where(eq(billRuns.status, 'pending'));
  return { pending: pending.map((r) => r.id), chunks: await stalledChunks(db, new Date('9999-12-31T00:00:00Z')) };
}

/** A whole run in this process, chunk after chunk (the command line; tests). */
export async function runInProcess(db: Db, runId: string, opts: ChunkOptions): Promise<{ emailsQueued: number }> {
  let emailsQueued = 0;
  for (const chunkNo of await splitRun({ db, clock: opts.clock }, runId))
    emailsQueued += (await processChunk(db, runId, chunkNo, opts)).emailsQueued;
  return { emailsQueued };
}

export async function runSize(db: Db, runId: string): Promise<number> {
  const result = (await db.execute(sql`
    select coalesce(sum(jsonb_array_length(subscription_ids)), 0)::int as n
    from bill_run_chunks where run_id = ${runId}`)) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]?.n ?? 0);
}
