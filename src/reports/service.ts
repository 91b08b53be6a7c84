import { getCustomer } from '../crm/service';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { invalid } from '../platform/errors';
import { type Aging, buildAging } from './aging';
import { agingRowsAsOf, agingRowsNow } from './aging-store';
import { buildStatement, type Statement } from './statement';
import { openingBalance, statementRows } from './statement-store';
import { buildSummary, type Summary } from './summary';
import { periodFigures } from './summary-store';

type Ctx = Pick<RequestContext, 'db' | 'orgId' | 'today'>;

/**
 * The aging report as of a date. From today on, the stored amounts due are the truth (one scan of the open-invoice
 * index); a past date is reconstructed from issue dates, dated applications, write-offs, voids and uncollectible dates.
 */
export async function agingReport(ctx: Ctx, asOf: string = ctx.today, q: Queryable = ctx.db): Promise<Aging> {
  const rows = asOf >= ctx.today ? await agingRowsNow(q, ctx.orgId, asOf) : await agingRowsAsOf(q, ctx.orgId, asOf);
  return buildAging(asOf, rows);
}

function checkPeriod(from: string, to: string): void {
  if (from > to) throw invalid('invalid_period', `The period starts (${from}) after it ends (${to}).`, 'from');
}

/** The period's figures per currency; `to` defaults to today, `from` to the first day of `to`'s month. */
export async function summaryReport(ctx: Ctx, period: { from?: string | undefined; to?: string | undefined }) {
  const to = period.to ?? ctx.today;
  const from = period.from ?? `${to.slice(0, 7)}-01`;
  checkPeriod(from, to);
  const [figures, aging] = await Promise.all([periodFigures(ctx.db, ctx.orgId, from, to), agingReport(ctx, to)]);
  return buildSummary(from, to, figures, aging) satisfies Summary;
}

/** A customer's statement for [from, to] (inclusive); `to` defaults to today, `from` to the first movement. */
export async function customerStatement(
  ctx: Ctx,
  customerId: string,
  period: { from?: string | undefined; to?: string | undefined },
): Promise<Statement> {
  const customer = await getCustomer(ctx.db, ctx, customerId);
  const to = period.to ?? ctx.today;
  if (period.from) checkPeriod(period.from, to);
  const [opening, lines] = await Promise.all([
    period.from ? openingBalance(ctx.db, ctx.orgId, customer.id, period.from) : Promise.resolve('0'),
    statementRows(ctx.db, ctx.orgId, customer.id, period.from, to),
  ]);
  return buildStatement(customer, { from: period.from, to }, opening, lines);
}
