import { CHUNK_SIZE, createBillRun, processChunk, splitRun } from '../src/bill-runs/service';
import { addDays } from '../src/invoicing/dates';
import type { RequestContext } from '../src/platform/context';
import { sql } from '../src/platform/db';
import { newId } from '../src/platform/ids';
import { newToken } from '../src/platform/secrets';
import { type BenchContext, benchOrganization, figure, scaled, type Workload } from './harness';

// DESIGN.md: a bill run over N recurring schedules (100k × BENCH_SCALE) to posted invoices, through the bill run
// (chunks, row locks, the invoicing service: totals, numbering, journal, events, the billing row), against plain SQL
// writing the same rows, one transaction per invoice. Once with one worker, once with BENCH_WORKERS (default 4)
// workers at the same time (on PostgreSQL; the embedded database runs one transaction at a time).

const BILLING_DATE = '2026-01-01';
const PERIOD_END = '2026-01-31';

interface Org {
  ctx: RequestContext;
  customerId: string;
  taxRateId: string;
  subscriptionIds: string[];
}

/** An organization with one customer, a 19 % rate and `n` monthly subscriptions of 30.00 due on BILLING_DATE. */
async function loadOrganization(ctx: BenchContext, label: string, n: number): Promise<Org> {
  const service = await benchOrganization(ctx, label);
  const orgId = service.orgId;
  const customerId = newId('cus');
  const taxRateId = newId('txr');
  await ctx.db.execute(sql`
    insert into tax_rates (id, org_id, name, percentage, category, created_at)
    values (${taxRateId}, ${orgId}, 'VAT 19%', 19, 'S', ${ctx.clock.now()})`);
  await ctx.db.execute(sql`
    insert into customers (id, org_id, name, currency, metadata, created_at)
    values (${customerId}, ${orgId}, 'Bench Customer', 'EUR', '{}'::jsonb, ${ctx.clock.now()})`);
  const items = JSON.stringify([
    {
      id: 'si_bench',
      description: 'Plan',
      quantity: '1',
      unitPrice: '30.00',
      usage: false,
      taxRateId,
      productId: null,
    },
  ]);
  const prefix = `sub_${label}_${orgId.slice(-8)}_`;
  await ctx.db.execute(sql`
    insert into subscriptions (id, org_id, customer_id, currency, start_date, interval, interval_count, billing_day,
                               timing, proration, items, next_billing_date, created_at)
    select ${prefix} || lpad(g::text, 7, '0'), ${orgId}, ${customerId}, 'EUR', ${BILLING_DATE}, 'month', 1, 1,
           'in_advance', 'day', ${items}::jsonb, ${BILLING_DATE}, ${ctx.clock.now()}::timestamptz
    from generate_series(1, ${n}) g`);
  await ctx.db.execute(sql`analyze subscriptions`);
  const subscriptionIds = Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(7, '0')}`);
  return { ctx: service, customerId, taxRateId, subscriptionIds };
}

const LINE = (taxRateId: string) => [
  {
    id: 'li_bench',
    description: 'Plan',
    product: null,
    quantity: '1',
    unit: 'C62',
    unit_price: '30.00',
    price_base_quantity: '1',
    discount_percent: null,
    allowances_charges: [],
    tax_rate: { id: taxRateId, category: 'S', percentage: '19', exemption_reason: null },
    amount: '30.00',
    period: { start: BILLING_DATE, end: PERIOD_END },
  },
];

/** The baseline: the rows a billed, posted invoice leaves, by plain SQL in one transaction per invoice. */
async function billBySql(ctx: BenchContext, org: Org, subscriptionId: string) {
  const orgId = org.ctx.orgId;
  const invoiceId = newId('inv');
  const entryId = newId('je');
  const due = addDays(BILLING_DATE, 30);
  const lines = JSON.stringify(LINE(org.taxRateId));
  const breakdown = JSON.stringify([
    {
      category: 'S',
      percentage: '19',
      tax_rate: org.taxRateId,
      exemption_reason: null,
      taxable_amount: '30.00',
      tax_amount: '5.70',
    },
  ]);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select id from subscriptions where id = ${subscriptionId} for update`);
    const numbered = (await tx.execute(sql`
      insert into number_series (org_id, kind, series, last_seq, last_issue_date)
      values (${orgId}, 'invoice', 'BASE-2026', 1, ${BILLING_DATE})
      on conflict (org_id, kind, series) do update set last_seq = number_series.last_seq + 1
      returning last_seq`)) as unknown as { rows: { last_seq: number }[] };
    const seq = numbered.rows[0]!.last_seq;
    const number = `BASE-2026-${String(seq).padStart(6, '0')}`;
    await tx.execute(sql`
      insert into invoices (id, org_id, customer_id, number, series, seq, status, currency, issue_date, due_date,
                            payment_terms_days, service_period, lines, allowances_charges, tax_breakdown, subtotal,
                            tax_total, total, amount_due, customer_snapshot, seller_snapshot, source_type, source_id,
                            hosted_token, posted_at, created_at)
      values (${invoiceId}, ${orgId}, ${org.customerId}, ${number}, 'BASE-2026', ${seq}, 'posted', 'EUR',
              ${BILLING_DATE}, ${due}, 30, ${JSON.stringify({ start: BILLING_DATE, end: PERIOD_END })}::jsonb,
              ${lines}::jsonb, '[]'::jsonb, ${breakdown}::jsonb, 30.00, 5.70, 35.70, 35.70,
              '{"name":"Bench Customer"}'::jsonb, '{"name":"Bench"}'::jsonb, 'subscription', ${subscriptionId},
              ${newToken(24)}, ${ctx.clock.now()}, ${ctx.clock.now()})`);
    await tx.execute(sql`
      insert into journal_entries (id, org_id, date, currency, source_type, source_id, memo, created_at)
      values (${entryId}, ${orgId}, ${BILLING_DATE}, 'EUR', 'invoice', ${invoiceId}, ${`Invoice ${number}`}, ${ctx.clock.now()})`);
    await tx.execute(sql`
      insert into journal_lines (entry_id, line_no, org_id, account, debit, credit, date, currency)
      values (${entryId}, 0, ${orgId}, 'receivables', 35.70, 0, ${BILLING_DATE}, 'EUR'),
             (${entryId}, 1, ${orgId}, 'revenue', 0, 30.00, ${BILLING_DATE}, 'EUR'),
             (${entryId}, 2, ${orgId}, 'tax_payable', 0, 5.70, ${BILLING_DATE}, 'EUR')`);
    await tx.execute(sql`
      insert into events (id, org_id, type, object_type, object_id, actor_type, actor_id, data, created_at)
      values (${newId('evt')}, ${orgId}, 'invoice.created', 'invoice', ${invoiceId}, 'system', null, '{}'::jsonb, ${ctx.clock.now()}),
             (${newId('evt')}, ${orgId}, 'invoice.posted', 'invoice', ${invoiceId}, 'system', null,
              ${JSON.stringify({ number })}::jsonb, ${ctx.clock.now()}),
             (${newId('evt')}, ${orgId}, 'subscription.billed', 'subscription', ${subscriptionId}, 'system', null,
              ${JSON.stringify({ invoice: invoiceId })}::jsonb, ${ctx.clock.now()})`);
    await tx.execute(sql`
      insert into subscription_billings (id, org_id, subscription_id, kind, billing_date, period_start, period_end,
                                         lines_end, lines, invoice_id, billed_through_after, created_at)
      values (${newId('sbl')}, ${orgId}, ${subscriptionId}, 'period', ${BILLING_DATE}, ${BILLING_DATE}, ${PERIOD_END},
              ${PERIOD_END}, ${lines}::jsonb, ${invoiceId}, ${PERIOD_END}, ${ctx.clock.now()})`);
    await tx.execute(sql`
      update subscriptions set billed_through = ${PERIOD_END}, next_billing_date = '2026-02-01'
      where id = ${subscriptionId}`);
  });
}

/**
 * Ours and the baseline in alternating rounds (so that load on the machine hits both alike): in each round `workers`
 * chunks of the bill run at the same time, each billing one subscription after the other, then as many groups of
 * the baseline's subscriptions by `workers` connections. Returns the time each side took.
 */
async function measure(ctx: BenchContext, ours: Org, base: Org, workers: number) {
  let oursMs = 0;
  let baseMs = 0;
  let t = performance.now();
  const run = await createBillRun(ours.ctx, { target_date: BILLING_DATE }, 'cli');
  const chunks = await splitRun(ctx, run.id);
  oursMs += performance.now() - t;
  const groups: string[][] = [];
  for (let i = 0; i < base.subscriptionIds.length; i += CHUNK_SIZE)
    groups.push(base.subscriptionIds.slice(i, i + CHUNK_SIZE));
  for (let round = 0; round * workers < Math.max(chunks.length, groups.length); round++) {
    const mine = chunks.slice(round * workers, (round + 1) * workers);
    t = performance.now();
    await Promise.all(
      mine.map((chunkNo) =>
        processChunk(ctx.db, run.id, chunkNo, {
          concurrency: 1,
          smtpConfigured: false,
          clock: ctx.clock,
          publicUrl: 'http://localhost:3000',
        }),
      ),
    );
    oursMs += performance.now() - t;
    const theirs = groups.slice(round * workers, (round + 1) * workers);
    t = performance.now();
    await Promise.all(
      theirs.map(async (ids) => {
        for (const id of ids) await billBySql(ctx, base, id);
      }),
    );
    baseMs += performance.now() - t;
  }
  return { oursMs, baseMs };
}

async function checkBilled(ctx: BenchContext, org: Org, n: number) {
  const result = (await ctx.db.execute(sql`
    select count(*)::int as n from invoices where org_id = ${org.ctx.orgId} and status = 'posted'`)) as unknown as {
    rows: { n: number }[];
  };
  if (Number(result.rows[0]?.n) !== n)
    throw new Error(`bill run bench: ${result.rows[0]?.n} posted invoices, expected ${n}`);
}

/** Deletes what the workload wrote (a shared PostgreSQL keeps no bench data; BENCH_KEEP=1 keeps it). */
async function drop(ctx: BenchContext, org: Org) {
  if (process.env.BENCH_KEEP) return;
  const orgId = org.ctx.orgId;
  await ctx.db.execute(sql`delete from bill_run_errors where org_id = ${orgId}`);
  await ctx.db.execute(sql`delete from bill_run_chunks where org_id = ${orgId}`);
  await ctx.db.execute(sql`delete from bill_runs where org_id = ${orgId}`);
  await ctx.db.execute(sql`delete from subscription_billings where org_id = ${orgId}`);
  await ctx.db.execute(sql`delete from subscriptions where org_id = ${orgId}`);
  for (const table of ['journal_lines', 'journal_entries', 'events', 'invoices', 'number_series', 'customers'])
    await ctx.db.execute(sql`delete from ${sql.identifier(table)} where org_id = ${orgId}`);
  await ctx.db.execute(sql`delete from tax_rates where org_id = ${orgId}`);
}

export const billRun: Workload = {
  name: 'bill_run',
  async run(ctx) {
    const n = scaled(ctx, 100_000);
    const several = ctx.database.kind === 'postgres' ? Math.max(2, Number(process.env.BENCH_WORKERS ?? 4)) : 1;
    const perSecond = (ms: number) => Number(((n * 1000) / ms).toFixed(1));
    const figures = [];
    for (const workers of several > 1 ? [1, several] : [1]) {
      const ours = await loadOrganization(ctx, `bill-run-${workers}`, n);
      const base = await loadOrganization(ctx, `bill-run-base-${workers}`, n);
      const { oursMs, baseMs } = await measure(ctx, ours, base, workers);
      await checkBilled(ctx, ours, n);
      await checkBilled(ctx, base, n);
      await drop(ctx, ours);
      await drop(ctx, base);
      ctx.log(
        `bill_run (${workers} worker${workers > 1 ? 's' : ''}): ${n} subscriptions in ${(oursMs / 1000).toFixed(1)} s, plain SQL ${(baseMs / 1000).toFixed(1)} s`,
      );
      figures.push(
        figure({
          workload: workers === 1 ? 'bill_run' : `bill_run_${workers}_workers`,
          ours: perSecond(oursMs),
          baseline: perSecond(baseMs),
          unit: 'invoices/s',
          goal: '>= 0.5',
        }),
      );
    }
    return figures;
  },
};
