import { sql } from 'drizzle-orm';
import { accountTotals } from '../ledger/service';
import { dec } from '../money/money';
import { type Db, type Queryable, rows } from '../platform/db';
import { organizations } from '../platform/tables';
import { buildAging } from '../reports/aging';
import { agingRowsAsOf, agingRowsNow, openAmountsAsOf, openHistoryDifferences } from '../reports/aging-store';
import { type CheckName, capViolations, compareByCurrency, reconciliationDates, type Violation } from './invariants';

// `arbor check` and GET /admin/check: the integrity invariants verified on live data, one organization at a time.

interface CheckScope {
  db: Queryable;
  orgId: string;
  today: string;
}

const amountsByCurrency = (list: { currency: string; amount: string }[]) =>
  new Map(list.map((r) => [r.currency, r.amount]));

/** Every journal entry balances: Σ debit = Σ credit. */
async function journalEntriesBalance({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{ id: string; source_type: string; source_id: string; debit: string; credit: string }>(
    db,
    sql`select e.id, e.source_type, e.source_id,
               coalesce(sum(l.debit), 0)::text as debit, coalesce(sum(l.credit), 0)::text as credit
        from journal_entries e left join journal_lines l on l.entry_id = e.id
        where e.org_id = ${orgId}
        group by e.id
        having coalesce(sum(l.debit), 0) <> coalesce(sum(l.credit), 0)
        order by e.id`,
  );
  return found.map((e) => ({
    check: 'journal_entry_balanced',
    message: `Journal entry ${e.id} (${e.source_type} ${e.source_id}) does not balance: debits ${e.debit}, credits ${e.credit}.`,
    entry: e.id,
    debit: e.debit,
    credit: e.credit,
  }));
}

async function receivablesBalance(db: Queryable, orgId: string, asOf: string | null): Promise<Map<string, string>> {
  const totals = await accountTotals(db, orgId, asOf);
  return new Map(
    totals.filter((t) => t.account === 'receivables').map((t) => [t.currency, dec(t.debit).minus(t.credit).toFixed()]),
  );
}

/** The receivables account equals Σ amount_due of open posted invoices (uncollectible ones are out of it). */
async function receivablesMatchInvoices(scope: CheckScope, receivables: Map<string, string>): Promise<Violation[]> {
  const due = await rows<{ currency: string; amount: string }>(
    scope.db,
    sql`select currency, sum(amount_due)::text as amount from invoices
        where org_id = ${scope.orgId} and status = 'posted' group by currency`,
  );
  const differences = compareByCurrency(
    'receivables_match_invoices',
    { label: 'receivables account', values: receivables },
    { label: 'amount due of posted invoices', values: amountsByCurrency(due) },
  );
  if (differences.length === 0) return [];
  return [...differences, ...(await invoicesOffTheLedger(scope, 'receivables_match_invoices', null))];
}

function agingTotals(aging: ReturnType<typeof buildAging>): Map<string, string> {
  return new Map(aging.currencies.map((c) => [c.currency, c.total]));
}

/** The aging total equals the receivables account: today, and as it stood at each month-end and yesterday. */
async function agingMatchesReceivables(scope: CheckScope, receivables: Map<string, string>): Promise<Violation[]> {
  const { db, orgId, today } = scope;
  const now = buildAging(today, await agingRowsNow(db, orgId, today));
  const found = compareByCurrency(
    'aging_matches_receivables',
    { label: 'aging total', values: agingTotals(now) },
    { label: 'receivables account', values: receivables },
    { as_of: today },
  );
  const [first] = await rows<{ date: string | null }>(
    db,
    sql`select min(date) as date from journal_lines where org_id = ${orgId} and account = 'receivables'`,
  );
  for (const asOf of reconciliationDates(first?.date ?? null, today)) {
    const past = buildAging(asOf, await agingRowsAsOf(db, orgId, asOf));
    const differences = compareByCurrency(
      'aging_matches_receivables',
      { label: 'aging total', values: agingTotals(past) },
      { label: 'receivables account', values: await receivablesBalance(db, orgId, asOf) },
      { as_of: asOf },
    );
    found.push(...differences);
    if (differences.length > 0) found.push(...(await invoicesOffTheLedger(scope, 'aging_matches_receivables', asOf)));
  }
  return found;
}

/**
 * Where the ledger parts from the invoices: per invoice, the receivables lines of its own entries (posting, void,
 * uncollectible, its applications and write-offs) against what the aging counts open on it as of a date, or, without
 * a date, against its stored amount due.
 */
async function invoicesOffTheLedger(
  { db, orgId }: CheckScope,
  check: CheckName,
  asOf: string | null,
): Promise<Violation[]> {
  const open = asOf
    ? sql`select id, open from (${openAmountsAsOf(orgId, asOf)}) o where o.open > 0`
    : sql`select id, amount_due as open from invoices where org_id = ${orgId} and status = 'posted'`;
  const found = await rows<{ id: string; number: string | null; ledger: string; aging: string }>(
    db,
    sql`with ledger as (
          select coalesce(i.id, a.invoice_id, w.invoice_id, e.source_id) as invoice_id, sum(l.debit - l.credit) as amount
          from journal_lines l
          join journal_entries e on e.id = l.entry_id
          left join invoices i on e.source_type = 'invoice' and i.id = e.source_id
          left join applications a on e.source_type = 'application' and a.id = e.source_id
          left join write_offs w on e.source_type = 'write_off' and w.id = e.source_id
          where l.org_id = ${orgId} and l.account = 'receivables' ${asOf ? sql`and l.date <= ${asOf}::date` : sql``}
          group by 1
        ),
        aged as (${open})
        select coalesce(l.invoice_id, g.id) as id, inv.number,
               coalesce(l.amount, 0)::text as ledger, coalesce(g.open, 0)::text as aging
        from ledger l
        full join aged g on g.id = l.invoice_id
        left join invoices inv on inv.id = coalesce(l.invoice_id, g.id)
        where coalesce(l.amount, 0) <> coalesce(g.open, 0)
        order by 1`,
  );
  return found.map((r) => ({
    check,
    message: asOf
      ? `Invoice ${r.number ?? r.id} as of ${asOf}: its receivables entries sum to ${r.ledger}, but the aging counts ${r.aging} open.`
      : `Invoice ${r.number ?? r.id}: its receivables entries sum to ${r.ledger}, but ${r.aging} is due on it.`,
    invoice: r.id,
    ...(asOf ? { as_of: asOf } : {}),
    ledger: r.ledger,
    ...(asOf ? { aging: r.aging } : { amount_due: r.aging }),
  }));
}

/** A customer's credit balance is the unapplied money of their payments and credit notes. */
async function creditBalancesMatchDocuments({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{ id: string; name: string; currency: string; balance: string; unapplied: string }>(
    db,
    sql`select c.id, c.name, c.currency, c.credit_balance::text as balance,
               (coalesce(p.unapplied, 0) + coalesce(n.unapplied, 0))::text as unapplied
        from customers c
        left join (select customer_id, sum(unapplied_amount) as unapplied from payments
                   where org_id = ${orgId} and status = 'succeeded' group by customer_id) p on p.customer_id = c.id
        left join (select customer_id, sum(unapplied_amount) as unapplied from credit_notes
                   where org_id = ${orgId} and status = 'issued' group by customer_id) n on n.customer_id = c.id
        where c.org_id = ${orgId}
          and c.credit_balance <> coalesce(p.unapplied, 0) + coalesce(n.unapplied, 0)
        order by c.id`,
  );
  return found.map((c) => ({
    check: 'credit_balance_matches_documents',
    message: `Customer ${c.name} (${c.id}) has a credit balance of ${c.balance} ${c.currency}, but the unapplied money of their payments and credit notes is ${c.unapplied}.`,
    customer: c.id,
    credit_balance: c.balance,
    unapplied: c.unapplied,
  }));
}

/** Σ customers' credit balances per currency equals the customer credit account (a liability: credit − debit). */
async function customerCreditAccountMatches({ db, orgId }: CheckScope): Promise<Violation[]> {
  const [balances, totals] = await Promise.all([
    rows<{ currency: string; amount: string }>(
      db,
      sql`select currency, sum(credit_balance)::text as amount from customers
          where org_id = ${orgId} group by currency`,
    ),
    accountTotals(db, orgId, null),
  ]);
  const account = new Map(
    totals
      .filter((t) => t.account === 'customer_credit')
      .map((t) => [t.currency, dec(t.credit).minus(t.debit).toFixed()]),
  );
  return compareByCurrency(
    'customer_credit_account_matches_balances',
    { label: 'customer credit account', values: account },
    { label: 'customers credit balances', values: amountsByCurrency(balances) },
  );
}

/** A payment is what it applied (live applications), what is unapplied, and what was refunded. */
async function paymentBalances({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{ id: string; amount: string; applied: string; unapplied: string; refunded: string }>(
    db,
    sql`select p.id, p.amount::text as amount, coalesce(a.applied, 0)::text as applied,
               p.unapplied_amount::text as unapplied, p.refunded_amount::text as refunded
        from payments p
        left join (select source_id, sum(amount) as applied from applications
                   where org_id = ${orgId} and source_type = 'payment' and reversed_on is null
                   group by source_id) a on a.source_id = p.id
        where p.org_id = ${orgId} and p.status = 'succeeded'
          and p.amount <> coalesce(a.applied, 0) + p.unapplied_amount + p.refunded_amount
        order by p.id`,
  );
  return found.map((p) => ({
    check: 'payment_balances',
    message: `Payment ${p.id} of ${p.amount} does not add up: ${p.applied} applied + ${p.unapplied} unapplied + ${p.refunded} refunded.`,
    payment: p.id,
    amount: p.amount,
    applied: p.applied,
    unapplied: p.unapplied,
    refunded: p.refunded,
  }));
}

/** An issued credit note is what it applied to invoices (live applications) and what is still unapplied. */
async function creditNoteBalances({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{ id: string; number: string; total: string; applied: string; unapplied: string }>(
    db,
    sql`select n.id, n.number, n.total::text as total, coalesce(a.applied, 0)::text as applied,
               n.unapplied_amount::text as unapplied
        from credit_notes n
        left join (select source_id, sum(amount) as applied from applications
                   where org_id = ${orgId} and source_type = 'credit_note' and reversed_on is null
                   group by source_id) a on a.source_id = n.id
        where n.org_id = ${orgId} and n.status = 'issued'
          and n.total <> coalesce(a.applied, 0) + n.unapplied_amount
        order by n.id`,
  );
  return found.map((n) => ({
    check: 'credit_note_balances',
    message: `Credit note ${n.number} of ${n.total} does not add up: ${n.applied} applied + ${n.unapplied} unapplied.`,
    credit_note: n.id,
    total: n.total,
    applied: n.applied,
    unapplied: n.unapplied,
  }));
}

/** Every series of invoice and credit note numbers runs start..n without holes or duplicates, ending at last_seq. */
async function numberSeriesGapless({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{
    kind: string;
    series: string;
    count: number;
    distinct_count: number;
    min_seq: number | null;
    max_seq: number | null;
    last_seq: number | null;
    unnumbered: number;
  }>(
    db,
    sql`with docs as (
          -- Imported open invoices keep the previous system's numbers: an external series, not Arbor's to keep gapless.
          select 'invoice' as kind, series, seq, number from invoices
          where org_id = ${orgId} and status <> 'draft' and source_type is distinct from 'import'
          union all
          select 'credit_note', series, seq, number from credit_notes where org_id = ${orgId}
        ),
        used as (
          select kind, series, count(*)::int as count, count(distinct seq)::int as distinct_count,
                 min(seq) as min_seq, max(seq) as max_seq,
                 count(*) filter (where seq is null or number is null)::int as unnumbered
          from docs group by kind, series
        )
        select coalesce(u.kind, s.kind) as kind, coalesce(u.series, s.series) as series,
               coalesce(u.count, 0) as count, coalesce(u.distinct_count, 0) as distinct_count,
               u.min_seq, u.max_seq, s.last_seq, coalesce(u.unnumbered, 0) as unnumbered
        from used u
        full join (select kind, series, last_seq from number_series
                   where org_id = ${orgId} and kind in ('invoice', 'credit_note')) s
          on s.kind = u.kind and s.series is not distinct from u.series
        order by 1, 2`,
  );
  const violations: Violation[] = [];
  for (const s of found) {
    const what = `${s.kind === 'invoice' ? 'Invoice' : 'Credit note'} series ${s.series ?? '(none)'}`;
    const base = { check: 'number_series_gapless' as CheckName, kind: s.kind, series: s.series };
    if (s.unnumbered > 0)
      violations.push({ ...base, message: `${what}: ${s.unnumbered} posted documents have no number.` });
    if (s.count === 0 || s.min_seq === null || s.max_seq === null) {
      violations.push({
        ...base,
        message: `${what}: the series was used up to ${s.last_seq} but has no documents.`,
        last_seq: s.last_seq,
      });
      continue;
    }
    if (s.distinct_count !== s.count)
      violations.push({ ...base, message: `${what}: ${s.count - s.distinct_count} numbers are used twice.` });
    if (s.max_seq - s.min_seq + 1 !== s.distinct_count)
      violations.push({
        ...base,
        message: `${what}: ${s.max_seq - s.min_seq + 1 - s.distinct_count} numbers are missing between ${s.min_seq} and ${s.max_seq}.`,
        min_seq: s.min_seq,
        max_seq: s.max_seq,
      });
    if (s.last_seq !== s.max_seq)
      violations.push({
        ...base,
        message: `${what}: the last number given was ${s.last_seq}, but the highest document has ${s.max_seq}.`,
        last_seq: s.last_seq,
        max_seq: s.max_seq,
      });
  }
  return violations;
}

/**
 * Each invoice's stored balances agree with its applications and write-offs: amount_paid and amount_credited are
 * the live applications, amount_due = total − paid − credited − written off (never below zero; zero when void),
 * and the status follows (posted: something due; paid: nothing due).
 */
async function invoiceBalances({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{
    id: string;
    number: string | null;
    status: string;
    total: string;
    amount_paid: string;
    amount_credited: string;
    amount_written_off: string;
    amount_due: string;
    paid: string;
    credited: string;
    written_off: string;
    expected_due: string;
  }>(
    db,
    sql`select * from (
          select i.id, i.number, i.status, i.total::text as total, i.amount_paid::text as amount_paid,
                 i.amount_credited::text as amount_credited, i.amount_written_off::text as amount_written_off,
                 i.amount_due::text as amount_due,
                 (coalesce(ap.paid, 0) + i.paid_before_import)::text as paid, coalesce(ap.credited, 0)::text as credited,
                 coalesce(wo.written_off, 0)::text as written_off,
                 (case when i.status = 'void' then 0
                       else greatest(i.total - i.amount_paid - i.amount_credited - i.amount_written_off, 0) end
                 )::text as expected_due,
                 i.amount_paid <> coalesce(ap.paid, 0) + i.paid_before_import or i.amount_credited <> coalesce(ap.credited, 0)
                   or i.amount_written_off <> coalesce(wo.written_off, 0)
                   or i.amount_due <> case when i.status = 'void' then 0
                       else greatest(i.total - i.amount_paid - i.amount_credited - i.amount_written_off, 0) end
                   or (i.status = 'posted' and i.amount_due = 0) or (i.status = 'paid' and i.amount_due <> 0) as wrong
          from invoices i
          left join (
            select invoice_id,
                   sum(amount) filter (where source_type = 'payment') as paid,
                   sum(amount) filter (where source_type = 'credit_note') as credited
            from applications where org_id = ${orgId} and reversed_on is null group by invoice_id
          ) ap on ap.invoice_id = i.id
          left join (
            select invoice_id, sum(amount) as written_off from write_offs where org_id = ${orgId} group by invoice_id
          ) wo on wo.invoice_id = i.id
          where i.org_id = ${orgId} and i.status <> 'draft'
        ) checked
        where wrong
        order by id`,
  );
  return found.map((i) => {
    const problems: string[] = [];
    if (!dec(i.amount_paid).equals(i.paid))
      problems.push(`amount_paid ${i.amount_paid} but live payment applications sum to ${i.paid}`);
    if (!dec(i.amount_credited).equals(i.credited))
      problems.push(`amount_credited ${i.amount_credited} but live credit note applications sum to ${i.credited}`);
    if (!dec(i.amount_written_off).equals(i.written_off))
      problems.push(`amount_written_off ${i.amount_written_off} but write-offs sum to ${i.written_off}`);
    if (!dec(i.amount_due).equals(i.expected_due))
      problems.push(`amount_due ${i.amount_due} but ${i.expected_due} follows from its balances`);
    if (i.status === 'posted' && dec(i.amount_due).isZero()) problems.push('posted with nothing due');
    if (i.status === 'paid' && !dec(i.amount_due).isZero()) problems.push(`paid with ${i.amount_due} due`);
    return {
      check: 'invoice_balances' as CheckName,
      message: `Invoice ${i.number ?? i.id} (${i.status}): ${problems.join('; ')}.`,
      invoice: i.id,
    };
  });
}

/** Invoices, payments and credit notes are in their customer's currency (the aging takes the currency from it). */
async function documentsInCustomerCurrency({ db, orgId }: CheckScope): Promise<Violation[]> {
  const found = await rows<{ kind: string; id: string; currency: string; customer: string; customer_currency: string }>(
    db,
    sql`select d.kind, d.id, d.currency, c.id as customer, c.currency as customer_currency
        from (
          select 'invoice' as kind, id, customer_id, currency from invoices where org_id = ${orgId}
          union all select 'payment', id, customer_id, currency from payments where org_id = ${orgId}
          union all select 'credit_note', id, customer_id, currency from credit_notes where org_id = ${orgId}
        ) d
        join customers c on c.id = d.customer_id
        where d.currency <> c.currency
        order by d.id`,
  );
  return found.map((d) => ({
    check: 'documents_in_customer_currency',
    message: `The ${d.kind.replace('_', ' ')} ${d.id} is in ${d.currency}, but its customer ${d.customer} is billed in ${d.customer_currency}.`,
    [d.kind]: d.id,
    customer: d.customer,
  }));
}

/**
 * The dated balance history (what the aging as of a past date reads) equals, invoice by invoice, the open amounts the
 * applications, write-offs and invoice dates give: today and at the last reconciliation dates (the aging check
 * compares its totals with the receivables account at every one of them).
 */
async function openHistoryMatchesLedger({ db, orgId, today }: CheckScope): Promise<Violation[]> {
  const [first] = await rows<{ date: string | null }>(
    db,
    sql`select min(issue_date)::text as date from invoices where org_id = ${orgId} and status <> 'draft'`,
  );
  const found: Violation[] = [];
  for (const asOf of [...reconciliationDates(first?.date ?? null, today, 3), today]) {
    for (const d of await openHistoryDifferences(db, orgId, asOf))
      found.push({
        check: 'open_history_matches_ledger',
        message: `Invoice ${d.id} as of ${asOf}: the balance history has ${d.history} open, but its applications, write-offs and dates give ${d.ledger}.`,
        invoice: d.id,
        as_of: asOf,
        history: d.history,
        ledger: d.ledger,
      });
  }
  return found;
}

/** Runs every check for one organization; an empty list means all invariants hold. */
/**
 * Runs every check on one consistent snapshot (a read-only REPEATABLE READ transaction): writes that commit while
 * the checks run (a bill run, a payment) are not half seen, so a check may run at any time without false alarms.
 */
export async function runChecks(db: Db, orgId: string, today: string): Promise<Violation[]> {
  return db.transaction((tx) => runChecksIn(tx, orgId, today), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

async function runChecksIn(db: Queryable, orgId: string, today: string): Promise<Violation[]> {
  const scope: CheckScope = {
    db,
    orgId,
    today,
  };
  const receivables = await receivablesBalance(db, orgId, null);
  const checks: [CheckName, () => Promise<Violation[]>][] = [
    ['journal_entry_balanced', () => journalEntriesBalance(scope)],
    ['receivables_match_invoices', () => receivablesMatchInvoices(scope, receivables)],
    ['aging_matches_receivables', () => agingMatchesReceivables(scope, receivables)],
    ['credit_balance_matches_documents', () => creditBalancesMatchDocuments(scope)],
    ['customer_credit_account_matches_balances', () => customerCreditAccountMatches(scope)],
    ['payment_balances', () => paymentBalances(scope)],
    ['credit_note_balances', () => creditNoteBalances(scope)],
    ['number_series_gapless', () => numberSeriesGapless(scope)],
    ['invoice_balances', () => invoiceBalances(scope)],
    ['documents_in_customer_currency', () => documentsInCustomerCurrency(scope)],
    ['open_history_matches_ledger', () => openHistoryMatchesLedger(scope)],
  ];
  const violations: Violation[] = [];
  for (const [name, run] of checks) violations.push(...capViolations(name, await run()));
  return violations;
}

/** Ids of every organization, for `arbor check`. */
export async function organizationIds(db: Db): Promise<string[]> {
  const found = await db.select({ id: organizations.id }).from(organizations).orderBy(organizations.id);
  return found.map((o) => o.id);
}
