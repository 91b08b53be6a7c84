import { and, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { type Decimal, dec, formatAmount, ZERO } from '../money/money';
import { expectedRevenue } from '../pipeline/amounts';
import type { RequestContext } from '../platform/context';
import { type Queryable, rows } from '../platform/db';
import { openAmountsAsOf } from '../reports/aging-store';
import { scheduledInvoices } from '../subscriptions/service';
import { subscriptions } from '../subscriptions/tables';
import { lastDayOfMonth, monthsFrom } from '../territories/periods';
import { assertTerritoryInOrg, assertUserInOrg, quotasFor, territoryWithDescendants } from '../territories/service';
import {
  averageDaysLate,
  daysLateFor,
  monthlyQuotas,
  type PaidInvoice,
  paymentWindowStart,
  predictedPaymentDate,
  scheduledMonth,
} from './arithmetic';
import { FORECAST_FIGURES, type ForecastFigure, type ForecastOut, type ForecastQuery } from './schemas';

/** The owner and territory filters of a report, checked: 422 naming the parameter when not this organization's. */
export interface ReportFilter {
  owner?: string | undefined;
  territory?: string | undefined;
  /** The territory and its descendants. */
  territories?: string[] | undefined;
}

export async function reportFilter(
  q: Queryable,
  orgId: string,
  query: { owner?: string | undefined; territory?: string | undefined },
): Promise<ReportFilter> {
  if (query.owner) await assertUserInOrg(q, orgId, query.owner, 'owner');
  if (query.territory) await assertTerritoryInOrg(q, orgId, query.territory, 'territory');
  return {
    owner: query.owner,
    territory: query.territory,
    territories: query.territory ? await territoryWithDescendants(q, orgId, query.territory) : undefined,
  };
}

/** Conditions on a customers row `c` (or any row with owner_id and territory_id) for the filter. */
export function ownerTerritorySql(alias: string, f: ReportFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.owner) parts.push(sql`${sql.identifier(alias)}.owner_id = ${f.owner}`);
  if (f.territories)
    parts.push(
      sql`${sql.identifier(alias)}.territory_id in (${sql.join(
        f.territories.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  return sql.join(parts, sql` and `);
}

class Figures {
  private readonly byCurrency = new Map<string, Map<string, Record<ForecastFigure, Decimal>>>();
  constructor(private readonly months: string[]) {}

  add(currency: string, month: string, figure: ForecastFigure, amount: Decimal | string) {
    if (!this.months.includes(month)) return;
    let perMonth = this.byCurrency.get(currency);
    if (!perMonth) {
      perMonth = new Map(
        this.months.map((m) => [
          m,
          Object.fromEntries(FORECAST_FIGURES.map((f) => [f, ZERO])) as Record<ForecastFigure, Decimal>,
        ]),
      );
      this.byCurrency.set(currency, perMonth);
    }
    const row = perMonth.get(month)!;
    row[figure] = row[figure].plus(amount);
  }

  out(): ForecastOut['currencies'] {
    return [...this.byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, perMonth]) => ({
        currency,
        months: this.months.map((month) => {
          const r = perMonth.get(month)!;
          return {
            month,
            ...(Object.fromEntries(FORECAST_FIGURES.map((f) => [f, formatAmount(r[f], currency)])) as Record<
              ForecastFigure,
              string
            >),
          };
        }),
      }));
  }
}

/** GET /reports/forecast (API.md "Forecast"). */
export async function forecastReport(ctx: RequestContext, query: ForecastQuery): Promise<ForecastOut> {
  const q = ctx.db;
  const asOf = query.as_of ?? ctx.today;
  const from = query.from ?? asOf.slice(0, 7);
  const months = monthsFrom(from, query.months);
  const start = `${months[0]}-01`;
  const end = lastDayOfMonth(months.at(-1)!);
  const filter = await reportFilter(q, ctx.orgId, query);
  const figures = new Figures(months);

  // Quota: the owner's, else the territory's own, else the top territories'.
  const quotaRows = await quotasFor(q, ctx.orgId, filter);
  for (const [currency, perMonth] of monthlyQuotas(quotaRows, months))
    for (const [month, amount] of perMonth) figures.add(currency, month, 'quota', amount);

  await addOpportunityFigures(q, ctx.orgId, filter, start, end, figures);

  // Invoiced: net of posted, paid or uncollectible invoices (imports excluded) less non-void credit notes.
  const customerCond = ownerTerritorySql('c', filter);
  const invoiced = await rows<{ currency: string; month: string; amount: string }>(
    q,
    sql`select currency, month, sum(amount)::text as amount from (
          select i.currency, to_char(i.issue_date, 'YYYY-MM') as month, i.total - i.tax_total as amount
          from invoices i join customers c on c.id = i.customer_id
          where i.org_id = ${ctx.orgId} and i.status in ('posted', 'paid', 'uncollectible')
            and i.source_type is distinct from 'import'
            and i.issue_date >= ${start}::date and i.issue_date <= ${end}::date and ${customerCond}
          union all
          select n.currency, to_char(n.issue_date, 'YYYY-MM'), -(n.total - n.tax_total)
          from credit_notes n join customers c on c.id = n.customer_id
          where n.org_id = ${ctx.orgId} and n.status <> 'void'
            and n.issue_date >= ${start}::date and n.issue_date <= ${end}::date and ${customerCond}
        ) x group by currency, month`,
  );
  for (const r of invoiced) figures.add(r.currency, r.month, 'invoiced', r.amount);

  // Recurring scheduled: what the billing engine would bill after as_of (late periods in the month of as_of + 1).
  if (end > asOf) {
    const subs = await q
      .select({ sub: subscriptions })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(
        and(
          eq(subscriptions.orgId, ctx.orgId),
          isNotNull(subscriptions.nextBillingDate),
          filter.owner ? eq(customers.ownerId, filter.owner) : undefined,
          filter.territories ? inArray(customers.territoryId, filter.territories) : undefined,
        ),
      );
    for (const { sub } of subs)
      for (const billing of await scheduledInvoices(q, ctx.orgId, sub, end))
        figures.add(sub.currency, scheduledMonth(billing.billingDate, asOf), 'recurring_scheduled', billing.net);
  }

  // Expected cash: the amount due at as_of by predicted payment month.
  const open = await rows<{ customer_id: string; currency: string; due_date: string; open: string }>(
    q,
    sql`select o.customer_id, o.currency, to_char(o.due_date, 'YYYY-MM-DD') as due_date, o.open::text as open
        from (${openAmountsAsOf(ctx.orgId, asOf)}) o join customers c on c.id = o.customer_id
        where o.open > 0 and ${customerCond}`,
  );
  if (open.length > 0) {
    const paid = await rows<{
      customer_id: string;
      currency: string;
      total: string;
      due_date: string;
      paid_on: string;
    }>(
      q,
      sql`select customer_id, currency, total::text as total, to_char(due_date, 'YYYY-MM-DD') as due_date,
                 to_char(paid_on, 'YYYY-MM-DD') as paid_on
          from invoices
          where org_id = ${ctx.orgId} and status = 'paid' and total > 0 and paid_on is not null
            and due_date is not null
            and paid_on > ${paymentWindowStart(asOf)}::date and paid_on <= ${asOf}::date`,
    );
    const byCustomer = new Map<string, PaidInvoice[]>();
    const byCurrency = new Map<string, PaidInvoice[]>();
    for (const p of paid) {
      const item = { total: p.total, dueDate: p.due_date, paidOn: p.paid_on };
      const key = `${p.customer_id}\u0000${p.currency}`;
      byCustomer.set(key, [...(byCustomer.get(key) ?? []), item]);
      byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), item]);
    }
    const orgAverage = new Map([...byCurrency.entries()].map(([c, list]) => [c, averageDaysLate(list)]));
    const customerAverage = new Map<string, number>();
    for (const o of open) {
      const key = `${o.customer_id}\u0000${o.currency}`;
      let days = customerAverage.get(key);
      if (days === undefined) {
        days = daysLateFor(averageDaysLate(byCustomer.get(key) ?? []), orgAverage.get(o.currency) ?? null);
        customerAverage.set(key, days);
      }
      figures.add(o.currency, predictedPaymentDate(o.due_date, days, asOf).slice(0, 7), 'expected_cash', dec(o.open));
    }
  }

  return { from, months: query.months, as_of: asOf, currencies: figures.out() };
}

/**
 * closed_won (won, by closed_on), and for open opportunities by close_date: commit, best_case and pipeline (each its
 * own category) and weighted_pipeline (Σ expected revenue, the category omitted left out). As they stand now.
 */
async function addOpportunityFigures(
  q: Queryable,
  orgId: string,
  filter: ReportFilter,
  start: string,
  end: string,
  figures: Figures,
): Promise<void> {
  const found = await rows<{
    currency: string;
    status: string;
    month: string;
    amount: string;
    probability: number;
    category: string;
  }>(
    q,
    sql`select o.currency, o.status,
               to_char(case when o.status = 'won' then o.closed_on else o.close_date end, 'YYYY-MM') as month,
               o.amount::text as amount, coalesce(o.probability, s.probability) as probability,
               coalesce(o.forecast_category, s.forecast_category) as category
        from opportunities o join pipeline_stages s on s.id = o.stage_id
        where o.org_id = ${orgId}
          and ((o.status = 'won' and o.closed_on >= ${start}::date and o.closed_on <= ${end}::date)
            or (o.status = 'open' and o.close_date >= ${start}::date and o.close_date <= ${end}::date))
          and ${ownerTerritorySql('o', filter)}`,
  );
  for (const o of found) {
    if (o.status === 'won') {
      figures.add(o.currency, o.month, 'closed_won', o.amount);
      continue;
    }
    if (o.category === 'commit' || o.category === 'best_case' || o.category === 'pipeline')
      figures.add(o.currency, o.month, o.category, o.amount);
    if (o.category !== 'omitted')
      figures.add(o.currency, o.month, 'weighted_pipeline', expectedRevenue(o.amount, o.probability, o.currency));
  }
}
