import { and, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { daysBetween } from '../invoicing/dates';
import { type Decimal, dec, formatAmount, sum, ZERO } from '../money/money';
import { getSettings } from '../organizations/service';
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
import { averageDays, averageDealSize, rate, stageConversion } from './sales';
import {
  FORECAST_FIGURES,
  type ForecastFigure,
  type ForecastOut,
  type ForecastQuery,
  type SalesOut,
  type SalesQuery,
} from './schemas';

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

/** GET /reports/sales (API.md "Pipeline and sales reports"). */
export async function salesReport(ctx: RequestContext, query: SalesQuery): Promise<SalesOut> {
  const q = ctx.db;
  const to = query.to ?? ctx.today;
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  const filter = await reportFilter(q, ctx.orgId, query);
  const settings = await getSettings(q, ctx);
  const tz = settings.time_zone;
  const base = settings.base_currency;
  const day = (column: SQL) => sql`(${column} at time zone ${tz})::date`;
  const inPeriod = (d: SQL) => sql`${d} >= ${from}::date and ${d} <= ${to}::date`;
  const leadsCond = ownerTerritorySql('l', filter);
  const oppCond = ownerTerritorySql('o', filter);
  const leadCounts = await rows<{ currency: string; created: number; converted: number }>(
    q,
    sql`select coalesce(l.currency, ${base}) as currency,
               count(*) filter (where ${inPeriod(day(sql`l.created_at`))})::int as created,
               count(*) filter (where l.converted_on >= ${from}::date and l.converted_on <= ${to}::date)::int as converted
        from leads l where l.org_id = ${ctx.orgId} and ${leadsCond}
        group by 1`,
  );
  const opps = await rows<{
    id: string;
    currency: string;
    status: string;
    amount: string;
    created_on: string;
    closed_on: string | null;
  }>(
    q,
    sql`select o.id, o.currency, o.status, o.amount::text as amount,
               to_char(${day(sql`o.created_at`)}, 'YYYY-MM-DD') as created_on,
               to_char(o.closed_on, 'YYYY-MM-DD') as closed_on
        from opportunities o
        where o.org_id = ${ctx.orgId} and ${oppCond}
          and (${inPeriod(day(sql`o.created_at`))} or (o.closed_on >= ${from}::date and o.closed_on <= ${to}::date)
               or o.id in (select h.opportunity_id from opportunity_stage_history h
                           where h.org_id = ${ctx.orgId} and ${inPeriod(day(sql`h."from"`))}))`,
  );
  const history =
    opps.length === 0
      ? []
      : await rows<{ opportunity: string; stage: string; day: string; seq: number }>(
          q,
          sql`select h.opportunity_id as opportunity, h.stage_id as stage,
                     to_char(${day(sql`h."from"`)}, 'YYYY-MM-DD') as day,
                     row_number() over (partition by h.opportunity_id order by h."from", h.id)::int as seq
              from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id
              where h.org_id = ${ctx.orgId} and ${oppCond}`,
        );
  const stages = (
    await rows<{ id: string; position: number; kind: 'open' | 'won' | 'lost'; active: boolean }>(
      q,
      sql`select id, position, kind, active from pipeline_stages where org_id = ${ctx.orgId} order by position`,
    )
  ).filter((s) => s.active || s.kind !== 'open');
  const currencies = new Set([...leadCounts.map((l) => l.currency), ...opps.map((o) => o.currency)]);
  const blocks = [...currencies].sort().map((currency) => {
    const leads = leadCounts.find((l) => l.currency === currency) ?? { created: 0, converted: 0 };
    const mine = opps.filter((o) => o.currency === currency);
    const closedIn = (o: (typeof mine)[number]) => o.closed_on !== null && o.closed_on >= from && o.closed_on <= to;
    const won = mine.filter((o) => o.status === 'won' && closedIn(o));
    const lost = mine.filter((o) => o.status === 'lost' && closedIn(o));
    const wonAmount = sum(won.map((o) => o.amount));
    const lostAmount = sum(lost.map((o) => o.amount));
    const ids = new Set(mine.map((o) => o.id));
    return {
      currency,
      leads_created: leads.created,
      leads_converted: leads.converted,
      lead_conversion_rate: rate(leads.converted, leads.created),
      opportunities_created: mine.filter((o) => o.created_on >= from && o.created_on <= to).length,
      won_count: won.length,
      lost_count: lost.length,
      won_amount: formatAmount(wonAmount, currency),
      lost_amount: formatAmount(lostAmount, currency),
      win_rate: rate(won.length, won.length + lost.length),
      win_rate_by_amount: rate(wonAmount, wonAmount.plus(lostAmount)),
      average_deal_size: averageDealSize(wonAmount, won.length, currency),
      average_cycle_days: averageDays(won.map((o) => daysBetween(o.created_on, o.closed_on!))),
      stage_conversion: stageConversion(
        stages,
        history.filter((h) => ids.has(h.opportunity)),
        from,
        to,
      ),
    };
  });
  return {
    from,
    to,
    currencies: blocks.filter(
      (b) =>
        b.leads_created + b.leads_converted + b.opportunities_created + b.won_count + b.lost_count > 0 ||
        b.stage_conversion.some((s) => s.entered > 0),
    ),
  };
}
