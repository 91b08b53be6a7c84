import { addDays } from '../src/invoicing/dates';
import { sum } from '../src/money/money';
import { rows, sql } from '../src/platform/db';
import { agingReport } from '../src/reports/service';
import {
  type BenchContext,
  benchOrganization,
  dropOrganizationData,
  figure,
  median,
  scaled,
  timed,
  type Workload,
} from './harness';

// DESIGN.md: the aging report over 1M posted invoices, as of today and as of a past date, through the report service
// (the HTTP route adds only serialization), against one SQL aggregate scan of the same rows summing amount_due by bucket.

/**
 * M invoices over two years for M/100 customers: 2 % void, 3 % uncollectible, 55 % of those older than 45 days paid
 * (an application on paid_on), the rest open with net terms of 14, 30 or 60 days, a third of them 40 % paid.
 */
async function load(ctx: BenchContext, orgId: string, m: number) {
  const customers = Math.max(10, Math.round(m / 100));
  const today = sql`${ctx.today}::date`;
  await ctx.db.execute(sql`
    insert into customers (id, org_id, name, currency, metadata, created_at)
    select ${`cus_${orgId}_`} || g, ${orgId}, 'Customer ' || lpad(g::text, 6, '0'), 'EUR', '{}'::jsonb, ${ctx.clock.now()}::timestamptz
    from generate_series(0, ${customers - 1}) g`);
  await ctx.db.execute(sql`
    insert into invoices (id, org_id, customer_id, status, currency, lines, allowances_charges, tax_breakdown,
                          subtotal, tax_total, total, amount_paid, amount_due, issue_date, due_date,
                          paid_on, voided_on, uncollectible_on, posted_at, created_at)
    select id, ${orgId}, customer_id, status, 'EUR', '[]'::jsonb, '[]'::jsonb, '[]'::jsonb,
           net, tax, net + tax, paid,
           case when status in ('paid', 'void') then 0 else net + tax - paid end,
           issue, due, case when status = 'paid' then issue + (g % 45) end,
           case when status = 'void' then least(issue + 5, ${today}) end,
           case when status = 'uncollectible' then least(due + 90, ${today}) end,
           ${ctx.clock.now()}::timestamptz, ${ctx.clock.now()}::timestamptz
    from (
      select g, ${`inv_${orgId}_`} || g as id, ${`cus_${orgId}_`} || (g % ${customers}) as customer_id,
             issue, issue + (array[14, 30, 30, 60])[g % 4 + 1] as due, net, round(net * 0.19, 2) as tax, status,
             case when status = 'paid' then round(net * 1.19, 2)
                  when status = 'posted' and g % 3 = 0 and issue <= ${today} - 5 then round(round(net * 1.19, 2) * 0.4, 2)
                  else 0 end as paid
      from (
        select g, ${today} - ((g::bigint * 7919) % 730)::int as issue, round(50 + (g * 37) % 5000 + (g % 100) / 100.0, 2) as net,
               case when g % 100 < 2 then 'void' when g % 100 < 5 then 'uncollectible'
                    when g % 100 < 60 and (g::bigint * 7919) % 730 > 45 then 'paid' else 'posted' end as status
        from generate_series(1, ${m}) g
      ) base
    ) i`);
  await ctx.db.execute(sql`
    insert into applications (id, org_id, invoice_id, source_type, source_id, amount, date, created_at)
    select 'app_' || id, ${orgId}, id, 'payment', 'pay_bench', amount_paid, coalesce(paid_on, issue_date + 5),
           ${ctx.clock.now()}::timestamptz
    from invoices where org_id = ${orgId} and amount_paid > 0`);
  // A steady state, as autovacuum keeps it: statistics and the visibility map, for both sides alike.
  for (const table of ['customers', 'invoices', 'applications'])
    await ctx.db.execute(sql`vacuum analyze ${sql.identifier(table)}`);
}

function bucketOf(asOf: string) {
  const d = sql`${asOf}::date`;
  return sql`case when due_date >= ${d} then 'current' when due_date >= ${d} - 30 then 'd1_30'
                  when due_date >= ${d} - 60 then 'd31_60' when due_date >= ${d} - 90 then 'd61_90'
                  else 'd90_plus' end`;
}

/** Median of `runs` timings of each, alternating, after one warm-up of each. */
async function compare(runs: number, ours: () => Promise<unknown>, baseline: () => Promise<unknown>) {
  await ours();
  await baseline();
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    o.push((await timed(ours)).ms);
    b.push((await timed(baseline)).ms);
  }
  return { ours: Number(median(o).toFixed(1)), baseline: Number(median(b).toFixed(1)) };
}

export const aging: Workload = {
  name: 'aging',
  async run(ctx) {
    const m = scaled(ctx, 1_000_000);
    const service = await benchOrganization(ctx, 'aging');
    const orgId = service.orgId;
    const loaded = await timed(() => load(ctx, orgId, m));
    ctx.log(`aging: loaded ${m} invoices in ${(loaded.ms / 1000).toFixed(1)} s`);
    const past = addDays(ctx.today, -180);

    // The same answer first: the stored amounts due of open invoices, bucketed either way.
    const report = await agingReport(service, ctx.today);
    const [scan] = await rows<{ total: string }>(
      ctx.db,
      sql`select sum(amount_due)::text as total from invoices
          where org_id = ${orgId} and status = 'posted' and amount_due > 0`,
    );
    const reportTotal = sum(report.currencies.map((c) => c.total)).toFixed(2);
    if (reportTotal !== scan!.total)
      throw new Error(`aging total ${reportTotal} differs from the scan's ${scan!.total}`);

    const runs = 5;
    const today = await compare(
      runs,
      () => agingReport(service, ctx.today),
      () =>
        rows(
          ctx.db,
          sql`select ${bucketOf(ctx.today)} as bucket, sum(amount_due) from invoices
              where org_id = ${orgId} and status = 'posted' and amount_due > 0 group by 1`,
        ),
    );
    const pastDate = await compare(
      runs,
      () => agingReport(service, past),
      () =>
        rows(
          ctx.db,
          sql`select ${bucketOf(past)} as bucket, sum(amount_due) from invoices
              where org_id = ${orgId} and status <> 'draft' and issue_date <= ${past}::date group by 1`,
        ),
    );
    await dropOrganizationData(ctx.db, orgId);
    return [
      figure({ workload: 'aging_today', ...today, unit: 'ms', goal: '<= 1.5' }),
      figure({ workload: 'aging_past_date', ...pastDate, unit: 'ms', goal: '<= 3' }),
    ];
  },
};
