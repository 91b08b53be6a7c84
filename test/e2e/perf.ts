import { sql } from 'drizzle-orm';
import type { Db } from '../../src/platform/db';
import { assert, type Browser, type Run } from './harness';

export const SEEDED_INVOICES = 10_000;
const SEEDED_CUSTOMERS = 400;
const BUDGET_MS = 1000;

/** Rows of a raw query, on PGlite and node-postgres alike. */
function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Copies the flow's customer and posted invoice by plain SQL into the same organization: 400 customers and 10k
 * invoices spread over the last 400 days (most open, some paid), so lists, reports and the dashboard work on volume.
 */
export async function seedVolume(db: Db, invoiceId: string): Promise<void> {
  const [template] = rows<{ customer_id: string; org_id: string }>(
    await db.execute(sql`select customer_id, org_id from invoices where id = ${invoiceId}`),
  );
  assert(template, `no invoice ${invoiceId} to copy`);
  await db.execute(sql`
    insert into customers
    select (jsonb_populate_record(null::customers, to_jsonb(c) || jsonb_build_object(
      'id', 'cus_seed_' || g,
      'name', 'Seed customer ' || lpad(g::text, 4, '0'),
      'created_at', now() - make_interval(mins => g)))).*
    from customers c, generate_series(1, ${SEEDED_CUSTOMERS}) g
    where c.id = ${template.customer_id}`);
  await db.execute(sql`
    insert into invoices
    select (jsonb_populate_record(null::invoices, to_jsonb(i) || jsonb_build_object(
      'id', 'inv_seed_' || g,
      'customer_id', 'cus_seed_' || (g % ${SEEDED_CUSTOMERS} + 1),
      'customer_snapshot', jsonb_set(i.customer_snapshot, '{name}', to_jsonb('Seed customer ' || lpad((g % ${SEEDED_CUSTOMERS} + 1)::text, 4, '0'))),
      'number', 'SEED-' || lpad(g::text, 6, '0'),
      'series', 'SEED',
      'seq', g,
      'issue_date', current_date - (g % 400),
      'due_date', current_date - (g % 400) + 30,
      'status', case when g % 5 = 0 then 'paid' else 'posted' end,
      'amount_paid', case when g % 5 = 0 then i.total else 0 end,
      'amount_credited', 0,
      'amount_due', case when g % 5 = 0 then 0 else i.total end,
      'paid_on', case when g % 5 = 0 then current_date - (g % 400) + 20 end,
      'hosted_token', 'seed-' || md5(g::text),
      'created_at', now() - make_interval(secs => g)))).*
    from invoices i, generate_series(1, ${SEEDED_INVOICES}) g
    where i.id = ${invoiceId}`);
  const [count] = rows<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from invoices where org_id = ${template.org_id}`),
  );
  assert((count?.n ?? 0) > SEEDED_INVOICES, `seeded ${count?.n} invoices`);
}

/** Each page, loaded from its URL, has its data on screen within the budget (the clock stops when the last API answer arrives and the heading shows). */
export async function timePages(run: Run, b: Browser, paths: readonly string[]): Promise<void> {
  for (const path of paths)
    await run.step(`${b.label}: ${path} with ${SEEDED_INVOICES} invoices loads in < ${BUDGET_MS} ms`, b, async () => {
      let best = Number.POSITIVE_INFINITY;
      // The best of two loads: the first may pay for warming the database's caches.
      for (let attempt = 0; attempt < 2 && best >= BUDGET_MS; attempt++) {
        const started = Date.now();
        await b.goto(path);
        await b.page.getByRole('heading', { level: 2 }).first().waitFor({ timeout: 10_000 });
        const headingShown = Date.now();
        const lastAnswer = await b.apiIdle(150);
        const loaders = await b.page.locator('[aria-label="Loading"]').count();
        assert(loaders === 0, `${path} still shows ${loaders} loader(s) after its data arrived`);
        best = Math.min(best, Math.max(lastAnswer, headingShown) - started);
      }
      console.log(`      ${path}: ${best} ms`);
      assert(best < BUDGET_MS, `${path} took ${best} ms`);
    });
}
