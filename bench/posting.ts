import { addDays } from '../src/invoicing/dates';
import { postInvoice } from '../src/invoicing/service';
import { sql } from '../src/platform/db';
import { newId } from '../src/platform/ids';
import { type BenchContext, benchOrganization, dropOrganizationData, figure, scaled, type Workload } from './harness';

// DESIGN.md: post 10k drafts through the service layer (numbering, journal, events) against plain SQL writing the
// same rows, one transaction per invoice. Both run in alternating chunks, so that load on the machine hits both alike.

const LINE = {
  id: 'li_bench',
  description: 'Consulting',
  product: null,
  quantity: '1',
  unit: 'C62',
  unit_price: '100.00',
  price_base_quantity: '1',
  discount_percent: null,
  allowances_charges: [],
  tax_rate: { id: 'txr_bench', category: 'S', percentage: '19', exemption_reason: null },
  amount: '100.00',
  period: null,
};
const BREAKDOWN = [
  {
    category: 'S',
    percentage: '19',
    tax_rate: 'txr_bench',
    exemption_reason: null,
    taxable_amount: '100.00',
    tax_amount: '19.00',
  },
];

/** `n` drafts of 119.00 (100.00 + 19 % VAT) written in one statement; returns their ids in creation order. */
async function insertDrafts(ctx: BenchContext, orgId: string, customerId: string, n: number, tag: string) {
  await ctx.db.execute(sql`
    insert into invoices (id, org_id, customer_id, currency, lines, allowances_charges, tax_breakdown,
                          subtotal, tax_total, total, amount_due, created_at)
    select ${`inv_${tag}_`} || lpad(g::text, 7, '0'), ${orgId}, ${customerId}, 'EUR',
           ${JSON.stringify([LINE])}::jsonb, '[]'::jsonb, ${JSON.stringify(BREAKDOWN)}::jsonb,
           100.00, 19.00, 119.00, 119.00, ${ctx.clock.now()}::timestamptz
    from generate_series(1, ${n}) g`);
  return Array.from({ length: n }, (_, i) => `inv_${tag}_${String(i + 1).padStart(7, '0')}`);
}

/** The baseline: the rows postInvoice writes, by plain SQL in one transaction (number given by a counter). */
async function postBySql(ctx: BenchContext, orgId: string, id: string, seq: number) {
  const number = `BASE-${String(seq).padStart(6, '0')}`;
  const entryId = newId('je');
  const due = addDays(ctx.today, 30);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      update invoices set status = 'posted', number = ${number}, series = 'BASE', seq = ${seq},
             issue_date = ${ctx.today}, due_date = ${due}, payment_terms_days = 30, posted_at = ${ctx.clock.now()}
      where id = ${id}`);
    await tx.execute(sql`
      insert into journal_entries (id, org_id, date, currency, source_type, source_id, memo, created_at)
      values (${entryId}, ${orgId}, ${ctx.today}, 'EUR', 'invoice', ${id}, ${`Invoice ${number}`}, ${ctx.clock.now()})`);
    await tx.execute(sql`
      insert into journal_lines (entry_id, line_no, org_id, account, debit, credit, date, currency)
      values (${entryId}, 0, ${orgId}, 'receivables', 119.00, 0, ${ctx.today}, 'EUR'),
             (${entryId}, 1, ${orgId}, 'revenue', 0, 100.00, ${ctx.today}, 'EUR'),
             (${entryId}, 2, ${orgId}, 'tax_payable', 0, 19.00, ${ctx.today}, 'EUR')`);
    await tx.execute(sql`
      insert into events (id, org_id, type, object_type, object_id, actor_type, actor_id, data, created_at)
      values (${newId('evt')}, ${orgId}, 'invoice.posted', 'invoice', ${id}, 'system', null,
              ${JSON.stringify({ number, total: '119.00', issue_date: ctx.today, due_date: due })}::jsonb, ${ctx.clock.now()})`);
  });
}

export const posting: Workload = {
  name: 'posting',
  async run(ctx) {
    const n = scaled(ctx, 10_000);
    const service = await benchOrganization(ctx, 'posting');
    const orgId = service.orgId;
    const customerId = newId('cus');
    await ctx.db.execute(sql`
      insert into customers (id, org_id, name, currency, metadata, created_at)
      values (${customerId}, ${orgId}, 'Bench Customer', 'EUR', '{}'::jsonb, ${ctx.clock.now()})`);
    const warmup = Math.min(50, n);
    const ours = await insertDrafts(ctx, orgId, customerId, n + warmup, 'ours');
    const base = await insertDrafts(ctx, orgId, customerId, n + warmup, 'base');
    await ctx.db.execute(sql`analyze invoices`);
    for (let i = 0; i < warmup; i++) {
      await postInvoice(service, ours[i]!);
      await postBySql(ctx, orgId, base[i]!, i + 1);
    }
    let oursMs = 0;
    let baseMs = 0;
    const chunk = 100;
    for (let start = warmup; start < n + warmup; start += chunk) {
      const end = Math.min(start + chunk, n + warmup);
      let t = performance.now();
      for (let i = start; i < end; i++) await postInvoice(service, ours[i]!);
      oursMs += performance.now() - t;
      t = performance.now();
      for (let i = start; i < end; i++) await postBySql(ctx, orgId, base[i]!, i + 1);
      baseMs += performance.now() - t;
    }
    await dropOrganizationData(ctx.db, orgId);
    const perSecond = (ms: number) => Number(((n * 1000) / ms).toFixed(1));
    return [
      figure({
        workload: 'posting',
        ours: perSecond(oursMs),
        baseline: perSecond(baseMs),
        unit: 'invoices/s',
        goal: '>= 0.5',
      }),
    ];
  },
};
