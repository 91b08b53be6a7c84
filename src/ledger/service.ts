import { and, desc, eq, gte, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { type Decimal, dec, formatAmount, sum } from '../money/money';
import { getSettings } from '../organizations/service';
import type { Settings } from '../organizations/settings';
import type { RequestContext } from '../platform/context';
import { type Queryable, rows } from '../platform/db';
import { afterCursor, toPage } from '../platform/pagination';
import { ACCOUNT_NAMES, type Account } from './entries';
import type { JournalEntryOut, JournalListQuery, LedgerAccountOut, TrialBalanceOut } from './schemas';
import { journalEntries, journalLines } from './tables';

type Ctx = Pick<RequestContext, 'db' | 'orgId'>;

const KEYS = Object.keys(ACCOUNT_NAMES) as Account[];

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The chart of accounts: Arbor's account keys with the organization's codes, ordered by code. */
export function chartOfAccounts(settings: Settings): LedgerAccountOut[] {
  return KEYS.map((key) => ({
    code: settings.ledger_accounts[key],
    name: ACCOUNT_NAMES[key].name,
    type: ACCOUNT_NAMES[key].type,
    key,
  })).sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }) || a.key.localeCompare(b.key));
}

export async function listLedgerAccounts(ctx: Ctx): Promise<LedgerAccountOut[]> {
  return chartOfAccounts(await getSettings(ctx.db, ctx));
}

function accountOf(settings: Settings, key: string) {
  const k = key as Account;
  const meta = ACCOUNT_NAMES[k] ?? { name: key, type: 'asset' as const };
  return { account: settings.ledger_accounts[k] ?? key, key: k, name: meta.name, type: meta.type };
}

/** Journal entries, newest first, with their lines; `source` is a document id or a source type. */
export async function listJournalEntries(
  ctx: Ctx,
  q: JournalListQuery,
): Promise<{ data: JournalEntryOut[]; has_more: boolean }> {
  const cursor = await afterCursor(ctx.db, journalEntries, ctx.orgId, q.starting_after);
  const c: (SQL | undefined)[] = [eq(journalEntries.orgId, ctx.orgId), cursor];
  if (q.from) c.push(gte(journalEntries.date, q.from));
  if (q.to) c.push(lte(journalEntries.date, q.to));
  if (q.source) c.push(or(eq(journalEntries.sourceId, q.source), eq(journalEntries.sourceType, q.source)));
  const entries = await ctx.db
    .select()
    .from(journalEntries)
    .where(and(...c))
    .orderBy(desc(journalEntries.createdAt), desc(journalEntries.id))
    .limit(q.limit + 1);
  const page = toPage(entries, q.limit);
  const lines = page.data.length
    ? await ctx.db
        .select()
        .from(journalLines)
        .where(
          and(
            eq(journalLines.orgId, ctx.orgId),
            inArray(
              journalLines.entryId,
              page.data.map((e) => e.id),
            ),
          ),
        )
        .orderBy(journalLines.entryId, journalLines.lineNo)
    : [];
  const byEntry = groupBy(lines, (l) => l.entryId);
  const settings = await getSettings(ctx.db, ctx);
  return {
    has_more: page.has_more,
    data: page.data.map((e) => ({
      id: e.id,
      date: e.date,
      currency: e.currency,
      source: { type: e.sourceType, id: e.sourceId },
      memo: e.memo,
      lines: (byEntry.get(e.id) ?? []).map((l) => {
        const { account, key, name } = accountOf(settings, l.account);
        return {
          account,
          key,
          name,
          debit: formatAmount(l.debit, e.currency),
          credit: formatAmount(l.credit, e.currency),
        };
      }),
      created_at: e.createdAt.toISOString(),
    })),
  };
}

export interface AccountTotals {
  currency: string;
  account: string;
  debit: string;
  credit: string;
}

/** Σ debits and Σ credits per currency and account key, of lines dated on or before `asOf` (all lines when null). */
export async function accountTotals(q: Queryable, orgId: string, asOf: string | null): Promise<AccountTotals[]> {
  return rows<AccountTotals>(
    q,
    sql`select currency, account, sum(debit)::text as debit, sum(credit)::text as credit
        from ${journalLines}
        where org_id = ${orgId} ${asOf ? sql`and date <= ${asOf}::date` : sql``}
        group by currency, account
        order by currency, account`,
  );
}

export async function trialBalance(ctx: Ctx, asOf: string): Promise<TrialBalanceOut> {
  const [settings, totals] = await Promise.all([getSettings(ctx.db, ctx), accountTotals(ctx.db, ctx.orgId, asOf)]);
  const byCurrency = groupBy(totals, (t) => t.currency);
  return {
    as_of: asOf,
    currencies: [...byCurrency].map(([currency, accounts]) => {
      const money = (v: string | Decimal) => formatAmount(v, currency);
      return {
        currency,
        accounts: accounts
          .map((t) => ({
            ...accountOf(settings, t.account),
            debit: money(t.debit),
            credit: money(t.credit),
            balance: money(dec(t.debit).minus(t.credit)),
          }))
          .sort((a, b) => a.account.localeCompare(b.account, 'en', { numeric: true })),
        total_debit: money(sum(accounts.map((a) => a.debit))),
        total_credit: money(sum(accounts.map((a) => a.credit))),
      };
    }),
  };
}
