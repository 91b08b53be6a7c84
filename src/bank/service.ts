// Bank accounts, statement import, matching of bank lines to invoices, and reconciliation (API.md "Bank accounts,
// statements and payment matching"). Confirmations go through the payments and receivables use cases.
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, gte, inArray, isNotNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { journalEntries, journalLines } from '../ledger/tables';
import { dec, formatAmount, sum } from '../money/money';
import { getSettings } from '../organizations/service';
import { createPaymentIn, reversePaymentIn } from '../payments/service';
import { payments } from '../payments/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { isUniqueViolation } from '../platform/db-errors';
import { conflict, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { writeOffIn } from '../receivables/service';
import { refunds } from '../receivables/tables';
import { parseCamt053 } from './camt053';
import { type CsvMapping, parseCsvStatement } from './csv-statement';
import { automaticConfirmation, MatchBook, type OpenInvoice, type Suggestion, suggest } from './matching';
import { parseMt940 } from './mt940';
import { parseOfx } from './ofx';
import type {
  BankAccountIn,
  BankAccountOut,
  BankAccountPatch,
  BankAccountRow,
  BankLineOut,
  BankLineQuery,
  BankLineRow,
  BankStatementRow,
  CsvMappingIn,
  ManualMatchIn,
} from './schemas';
import {
  balanceCheck,
  compactIban,
  dedupKeys,
  type ParsedStatement,
  type StatementFormat,
  StatementUnreadable,
} from './statement';
import { bankAccounts, bankLines, bankStatements, csvMappings, customerIbans } from './tables';

// ---------- bank accounts ----------

async function bankLedgerDefault(q: Queryable, ctx: Pick<RequestContext, 'orgId'>): Promise<string> {
  return (await getSettings(q, ctx)).ledger_accounts.bank;
}

export function bankAccountOut(a: BankAccountRow, defaultLedger: string): BankAccountOut {
  return {
    id: a.id,
    name: a.name,
    iban: a.iban,
    bic: a.bic,
    currency: a.currency,
    ledger_account: a.ledgerAccount ?? defaultLedger,
    active: a.active,
  };
}

async function findAccount(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<BankAccountRow> {
  const [row] = await q
    .select()
    .from(bankAccounts)
    .where(and(eq(bankAccounts.id, id), eq(bankAccounts.orgId, ctx.orgId)));
  if (!row) throw notFound('bank account', id);
  return row;
}

export async function createBankAccount(ctx: RequestContext, input: BankAccountIn): Promise<BankAccountOut> {
  return ctx.db.transaction(async (tx) => {
    const id = newId('ba');
    const [row] = await tx
      .insert(bankAccounts)
      .values({
        id,
        orgId: ctx.orgId,
        name: input.name,
        iban: input.iban ?? null,
        bic: input.bic ?? null,
        currency: input.currency,
        ledgerAccount: input.ledger_account ?? null,
        createdAt: ctx.clock.now(),
      })
      .returning();
    await recordEvent(
      tx,
      ctx,
      'bank_account.created',
      { type: 'bank_account', id },
      {
        name: input.name,
        currency: input.currency,
      },
    );
    return bankAccountOut(row!, await bankLedgerDefault(tx, ctx));
  });
}

export async function listBankAccounts(ctx: RequestContext): Promise<BankAccountOut[]> {
  const rows = await ctx.db
    .select()
    .from(bankAccounts)
    .where(eq(bankAccounts.orgId, ctx.orgId))
    .orderBy(asc(bankAccounts.createdAt), asc(bankAccounts.id));
  const ledger = await bankLedgerDefault(ctx.db, ctx);
  return rows.map((r) => bankAccountOut(r, ledger));
}

export async function getBankAccount(ctx: RequestContext, id: string): Promise<BankAccountOut> {
  return bankAccountOut(await findAccount(ctx.db, ctx, id), await bankLedgerDefault(ctx.db, ctx));
}

export async function updateBankAccount(ctx: RequestContext, id: string, patch: BankAccountPatch) {
  return ctx.db.transaction(async (tx) => {
    await findAccount(tx, ctx, id);
    const values: Partial<BankAccountRow> = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.iban !== undefined) values.iban = patch.iban ?? null;
    if (patch.bic !== undefined) values.bic = patch.bic ?? null;
    if (patch.ledger_account !== undefined) values.ledgerAccount = patch.ledger_account ?? null;
    if (patch.active !== undefined) values.active = patch.active;
    if (Object.keys(values).length > 0) await tx.update(bankAccounts).set(values).where(eq(bankAccounts.id, id));
    await recordEvent(
      tx,
      ctx,
      'bank_account.updated',
      { type: 'bank_account', id },
      {
        changed: Object.keys(patch),
      },
    );
    return bankAccountOut(await findAccount(tx, ctx, id), await bankLedgerDefault(tx, ctx));
  });
}

// ---------- CSV mappings ----------

export async function createCsvMapping(ctx: RequestContext, input: CsvMappingIn) {
  return ctx.db.transaction(async (tx) => {
    const id = newId('csvmap');
    const { name, ...config } = input;
    await tx.insert(csvMappings).values({ id, orgId: ctx.orgId, name, config, createdAt: ctx.clock.now() });
    await recordEvent(tx, ctx, 'csv_mapping.created', { type: 'csv_mapping', id }, { name });
    return { id, ...input };
  });
}

export async function listCsvMappings(ctx: RequestContext) {
  const rows = await ctx.db
    .select()
    .from(csvMappings)
    .where(eq(csvMappings.orgId, ctx.orgId))
    .orderBy(asc(csvMappings.createdAt));
  return rows.map((r) => ({ id: r.id, name: r.name, ...(r.config as Omit<CsvMappingIn, 'name'>) }));
}

// ---------- statements ----------

export function statementOut(s: BankStatementRow) {
  return {
    id: s.id,
    bank_account: s.bankAccountId,
    format: s.format as StatementFormat,
    file_sha256: s.fileSha256,
    statement_id: s.statementId,
    from: s.fromDate,
    to: s.toDate,
    opening_balance: s.openingBalance,
    closing_balance: s.closingBalance,
    balance_check: s.balanceCheck as 'ok' | 'mismatch' | 'not_given',
    lines_imported: s.linesImported,
    lines_duplicate: s.linesDuplicate,
    lines_pending_skipped: s.linesPendingSkipped,
    matched_automatically: s.matchedAutomatically,
    suggested: s.suggested,
  };
}

function parseFile(
  format: StatementFormat,
  file: Buffer,
  mapping: CsvMapping | null,
  charset: 'utf-8' | 'windows-1252' | undefined,
): ParsedStatement {
  try {
    if (format === 'camt053') return parseCamt053(file);
    if (format === 'mt940') return parseMt940(file);
    if (format === 'ofx') return parseOfx(file);
    return parseCsvStatement(file, mapping!, charset);
  } catch (e) {
    if (e instanceof StatementUnreadable) throw invalid('statement_unreadable', e.message, e.param);
    throw invalid('statement_unreadable', 'The file cannot be read as this format.', 'line 1');
  }
}

export async function importStatement(
  ctx: RequestContext,
  accountId: string,
  format: StatementFormat,
  mappingId: string | undefined,
  file: Buffer,
  charset: string | undefined,
) {
  const account = await findAccount(ctx.db, ctx, accountId);
  let mapping: CsvMapping | null = null;
  if (format === 'csv') {
    if (!mappingId) throw invalid('csv_mapping_required', 'A CSV file needs a saved column mapping.', 'csv_mapping');
    const [m] = await ctx.db
      .select()
      .from(csvMappings)
      .where(and(eq(csvMappings.id, mappingId), eq(csvMappings.orgId, ctx.orgId)));
    if (!m) throw unprocessable('csv_mapping_not_found', `No CSV mapping ${mappingId}.`, 'csv_mapping');
    mapping = m.config as CsvMapping;
  }
  if (!file || file.length === 0) throw invalid('statement_unreadable', 'The file is empty.', 'line 1');
  const cs = charset?.toLowerCase();
  const parsed = parseFile(
    format,
    file,
    mapping,
    cs === 'windows-1252' || cs === 'cp1252' ? 'windows-1252' : cs === 'utf-8' || cs === 'utf8' ? 'utf-8' : undefined,
  );
  const fileIban = compactIban(parsed.accountIban);
  if (format !== 'csv' && fileIban && account.iban && fileIban !== compactIban(account.iban))
    throw unprocessable(
      'statement_account_mismatch',
      `This statement is for ${fileIban}, not for ${account.name} (${account.iban}).`,
    );
  const sha = createHash('sha256').update(file).digest('hex');
  try {
    return await ctx.db.transaction((tx) => importParsedIn(tx, ctx, account, format, sha, parsed));
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyImported();
    throw e;
  }
}

const alreadyImported = () =>
  conflict('statement_already_imported', 'This file was already imported for this bank account.');

async function importParsedIn(
  tx: Tx,
  ctx: RequestContext,
  account: BankAccountRow,
  format: StatementFormat,
  sha: string,
  parsed: ParsedStatement,
) {
  const [seen] = await tx
    .select({ id: bankStatements.id })
    .from(bankStatements)
    .where(and(eq(bankStatements.bankAccountId, account.id), eq(bankStatements.fileSha256, sha)));
  if (seen) throw alreadyImported();
  const dates = parsed.lines.map((l) => l.bookingDate).sort();
  const from = parsed.from ?? dates[0] ?? null;
  const to = parsed.to ?? dates[dates.length - 1] ?? null;
  const check = balanceCheck(parsed);
  const starting =
    parsed.opening !== null
      ? parsed.opening
      : format === 'ofx' && parsed.closing !== null
        ? dec(parsed.closing)
            .minus(sum(parsed.lines.map((l) => l.amount)))
            .toFixed()
        : null;
  const statementId = newId('bst');
  // The unique index (account, file hash) refuses the second of two concurrent imports of one file here.
  await tx.insert(bankStatements).values({
    id: statementId,
    orgId: ctx.orgId,
    bankAccountId: account.id,
    format,
    fileSha256: sha,
    statementId: parsed.statementId,
    fromDate: from,
    toDate: to,
    openingBalance: parsed.opening,
    closingBalance: parsed.closing,
    startingBalance: starting,
    balanceCheck: check,
    linesImported: 0,
    linesDuplicate: 0,
    linesPendingSkipped: parsed.pendingSkipped,
    createdAt: ctx.clock.now(),
  });
  const keys = dedupKeys(parsed.lines);
  const now = ctx.clock.now();
  const rows = parsed.lines.map((l, i) => ({
    id: newId('bl'),
    orgId: ctx.orgId,
    bankAccountId: account.id,
    statementId,
    position: i + 1,
    bookingDate: l.bookingDate,
    valueDate: l.valueDate,
    amount: l.amount,
    currency: l.currency ?? parsed.currency ?? account.currency,
    counterpartyName: l.counterpartyName,
    counterpartyIban: compactIban(l.counterpartyIban),
    reference: l.reference,
    endToEndId: l.endToEndId,
    bankReference: l.bankReference,
    dedupKey: keys[i]!,
    status: 'unmatched',
    suggestions: [],
    createdAt: now,
  }));
  const insertedIds: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const ins = await tx
      .insert(bankLines)
      .values(chunk)
      .onConflictDoNothing({ target: [bankLines.bankAccountId, bankLines.dedupKey] })
      .returning({ id: bankLines.id });
    for (const r of ins) insertedIds.push(r.id);
  }
  const inserted = new Set(insertedIds);
  const newLines = await linesByIds(tx, insertedIds);
  const tally = await matchLinesIn(tx, ctx, newLines, 'import');
  const [stored] = await tx
    .update(bankStatements)
    .set({
      linesImported: inserted.size,
      linesDuplicate: rows.length - inserted.size,
      matchedAutomatically: tally.matched_automatically,
      suggested: tally.suggested,
    })
    .where(eq(bankStatements.id, statementId))
    .returning();
  await recordEvent(
    tx,
    ctx,
    'bank_statement.imported',
    { type: 'bank_statement', id: statementId },
    {
      bank_account: account.id,
      lines_imported: inserted.size,
      lines_duplicate: rows.length - inserted.size,
      balance_check: check,
    },
  );
  return statementOut(stored!);
}

async function linesByIds(q: Queryable, ids: string[]): Promise<BankLineRow[]> {
  const out: BankLineRow[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    out.push(
      ...(await q
        .select()
        .from(bankLines)
        .where(inArray(bankLines.id, chunk))
        .orderBy(asc(bankLines.bookingDate), asc(bankLines.position))),
    );
  }
  return out;
}

// ---------- matching ----------

async function loadBook(q: Queryable, ctx: Pick<RequestContext, 'orgId'>): Promise<MatchBook> {
  const open = await q
    .select({
      id: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      currency: invoices.currency,
      amountDue: invoices.amountDue,
      dueDate: invoices.dueDate,
    })
    .from(invoices)
    .where(and(eq(invoices.orgId, ctx.orgId), eq(invoices.status, 'posted'), gt(invoices.amountDue, '0')));
  const custs = await q
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(eq(customers.orgId, ctx.orgId));
  const ibans = await q
    .select({ customerId: customerIbans.customerId, iban: customerIbans.iban })
    .from(customerIbans)
    .where(eq(customerIbans.orgId, ctx.orgId));
  const byCustomer = new Map<string, string[]>();
  for (const i of ibans) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i.iban]);
  return new MatchBook(
    open.map((o) => ({ ...o, number: o.number ?? o.id, dueDate: o.dueDate ?? '9999-12-31' }) as OpenInvoice),
    custs.map((c) => ({ id: c.id, name: c.name, ibans: byCustomer.get(c.id) ?? [] })),
  );
}

/** Matches lines (money in against invoices, money out against refunds); returns the tally. */
async function matchLinesIn(
  tx: Tx,
  ctx: RequestContext,
  lines: BankLineRow[],
  _why: 'import' | 'run',
): Promise<{ matched_automatically: number; suggested: number }> {
  if (lines.length === 0) return { matched_automatically: 0, suggested: 0 };
  const settings = await getSettings(tx, ctx);
  let book = await loadBook(tx, ctx);
  let matched = 0;
  let suggested = 0;
  for (const line of lines) {
    if (dec(line.amount).lt(0)) {
      if (await matchRefundIn(tx, ctx, line)) matched++;
      continue;
    }
    const suggestions = suggest(
      {
        amount: line.amount,
        currency: line.currency,
        counterpartyName: line.counterpartyName,
        counterpartyIban: line.counterpartyIban,
        reference: line.reference,
        endToEndId: line.endToEndId,
      },
      book,
      settings.write_off_limit,
    );
    const auto = automaticConfirmation(suggestions);
    if (auto) {
      const closed = settings.books_closed_through;
      const date = closed && line.bookingDate <= closed ? nextDay(closed) : line.bookingDate;
      await confirmIn(tx, ctx, line, auto, 'auto', date, suggestions);
      matched++;
      book = await loadBook(tx, ctx);
      continue;
    }
    await tx
      .update(bankLines)
      .set({ suggestions, status: suggestions.length > 0 ? 'suggested' : 'unmatched' })
      .where(eq(bankLines.id, line.id));
    if (suggestions.length > 0) suggested++;
  }
  return { matched_automatically: matched, suggested };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function byOf(ctx: RequestContext): string {
  return ctx.userId ?? ctx.actor.id ?? ctx.actor.type;
}

/** Creates the payment of a confirmed match (with its allocations and write-off) and links the line to it. */
async function confirmIn(
  tx: Tx,
  ctx: RequestContext,
  line: BankLineRow,
  s: Pick<Suggestion, 'customer' | 'invoices' | 'reasons'> & {
    write_off: { amount: string; reason: string; invoice?: string | undefined } | null;
  },
  by: string,
  date: string,
  suggestions?: Suggestion[],
) {
  const created = await createPaymentIn(tx, ctx, {
    customer: s.customer,
    amount: line.amount,
    currency: line.currency,
    date,
    method: 'bank_transfer',
    reference: line.reference?.slice(0, 200) ?? line.endToEndId?.slice(0, 200) ?? null,
    bank_account: line.bankAccountId,
    ...(s.invoices.length > 0
      ? { allocations: s.invoices.map((i) => ({ invoice: i.invoice, amount: i.amount })) }
      : {}),
  });
  if (s.write_off) {
    const target = s.write_off.invoice ?? s.invoices[s.invoices.length - 1]?.invoice;
    if (!target) throw invalid('write_off_without_invoice', 'A write-off needs an invoice.', 'write_off');
    await writeOffIn(tx, ctx, target, { amount: s.write_off.amount, reason: s.write_off.reason });
  }
  const match = {
    invoices: s.invoices.map((i) => ({ invoice: i.invoice, amount: formatAmount(i.amount, line.currency) })),
    customer: s.customer,
    write_off: s.write_off ? { amount: s.write_off.amount, reason: s.write_off.reason } : null,
    by,
    reasons: s.reasons,
    refund: null,
  };
  await tx
    .update(bankLines)
    .set({
      status: 'matched',
      paymentId: created.payment.id,
      match,
      ...(suggestions ? { suggestions } : {}),
    })
    .where(eq(bankLines.id, line.id));
  await learnIban(tx, ctx, s.customer, line.counterpartyIban);
  await recordEvent(
    tx,
    ctx,
    'bank_line.matched',
    { type: 'bank_line', id: line.id },
    {
      by,
      payment: created.payment.id,
      refund: null,
      customer: s.customer,
    },
  );
  return created.payment.id;
}

async function learnIban(tx: Queryable, ctx: RequestContext, customerId: string, iban: string | null) {
  if (!iban) return;
  await tx
    .insert(customerIbans)
    .values({ orgId: ctx.orgId, customerId, iban, learned: true, createdAt: ctx.clock.now() })
    .onConflictDoNothing();
}

/** Money out: a refund of the same amount whose IBAN (its payment's bank line, else the customer's) is the counterparty's. */
async function matchRefundIn(tx: Tx, ctx: RequestContext, line: BankLineRow): Promise<boolean> {
  const iban = line.counterpartyIban;
  if (!iban) return false;
  const amount = dec(line.amount).neg().toFixed();
  const candidates = await tx
    .select({ id: refunds.id, customerId: refunds.customerId, sourceId: refunds.sourceId, amount: refunds.amount })
    .from(refunds)
    .where(and(eq(refunds.orgId, ctx.orgId), sql`${refunds.amount} = ${amount}::numeric`));
  for (const r of candidates) {
    const [linked] = await tx.select({ id: bankLines.id }).from(bankLines).where(eq(bankLines.refundId, r.id));
    if (linked) continue;
    const [source] = await tx
      .select({ iban: bankLines.counterpartyIban })
      .from(bankLines)
      .where(and(eq(bankLines.paymentId, r.sourceId), isNotNull(bankLines.counterpartyIban)));
    const known = source
      ? [source.iban]
      : (
          await tx
            .select({ iban: customerIbans.iban })
            .from(customerIbans)
            .where(and(eq(customerIbans.orgId, ctx.orgId), eq(customerIbans.customerId, r.customerId)))
        ).map((x) => x.iban);
    if (!known.includes(iban)) continue;
    await tx
      .update(bankLines)
      .set({
        status: 'matched',
        refundId: r.id,
        match: {
          invoices: [],
          customer: r.customerId,
          write_off: null,
          by: 'auto',
          reasons: [`refund ${r.id} of ${formatAmount(amount, line.currency)} went to ${iban}`],
          refund: r.id,
        },
      })
      .where(eq(bankLines.id, line.id));
    await recordEvent(
      tx,
      ctx,
      'bank_line.matched',
      { type: 'bank_line', id: line.id },
      {
        by: 'auto',
        payment: null,
        refund: r.id,
        customer: r.customerId,
      },
    );
    return true;
  }
  return false;
}

export async function runMatching(ctx: RequestContext, accountId: string) {
  return ctx.db.transaction(async (tx) => {
    await findAccount(tx, ctx, accountId);
    const lines = await tx
      .select()
      .from(bankLines)
      .where(
        and(
          eq(bankLines.orgId, ctx.orgId),
          eq(bankLines.bankAccountId, accountId),
          inArray(bankLines.status, ['unmatched', 'suggested']),
          eq(bankLines.heldByPerson, false),
        ),
      )
      .orderBy(asc(bankLines.bookingDate), asc(bankLines.position))
      .for('update');
    const tally = await matchLinesIn(tx, ctx, lines, 'run');
    await recordEvent(tx, ctx, 'bank_account.match_run', { type: 'bank_account', id: accountId }, tally);
    return tally;
  });
}

// ---------- lines ----------

export function bankLineOut(l: BankLineRow): BankLineOut {
  const money = (v: string) => formatAmount(v, l.currency);
  return {
    id: l.id,
    bank_account: l.bankAccountId,
    statement: l.statementId,
    booking_date: l.bookingDate,
    value_date: l.valueDate,
    amount: money(l.amount),
    currency: l.currency,
    counterparty_name: l.counterpartyName,
    counterparty_iban: l.counterpartyIban,
    reference: l.reference,
    end_to_end_id: l.endToEndId,
    bank_reference: l.bankReference,
    status: l.status as BankLineOut['status'],
    payment: l.paymentId,
    match: (l.match as BankLineOut['match']) ?? null,
    suggestions: (l.suggestions as Suggestion[]) ?? [],
    ignore_reason: l.ignoreReason,
  };
}

export async function listBankLines(ctx: RequestContext, q: BankLineQuery) {
  const c: (SQL | undefined)[] = [eq(bankLines.orgId, ctx.orgId)];
  if (q.bank_account) c.push(eq(bankLines.bankAccountId, q.bank_account));
  if (q.status) c.push(eq(bankLines.status, q.status));
  if (q.from) c.push(gte(bankLines.bookingDate, q.from));
  if (q.to) c.push(lte(bankLines.bookingDate, q.to));
  if (q.starting_after) {
    const [after] = await ctx.db
      .select()
      .from(bankLines)
      .where(and(eq(bankLines.id, q.starting_after), eq(bankLines.orgId, ctx.orgId)));
    if (after)
      c.push(
        or(
          gt(bankLines.bookingDate, after.bookingDate),
          and(eq(bankLines.bookingDate, after.bookingDate), gt(bankLines.id, after.id)),
        ),
      );
  }
  const rows = await ctx.db
    .select()
    .from(bankLines)
    .where(and(...c))
    .orderBy(asc(bankLines.bookingDate), asc(bankLines.id))
    .limit(q.limit + 1);
  return { data: rows.slice(0, q.limit).map(bankLineOut), has_more: rows.length > q.limit };
}

async function findLine(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(bankLines)
    .where(and(eq(bankLines.id, id), eq(bankLines.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('bank line', id);
  return row;
}

export async function getBankLine(ctx: RequestContext, id: string) {
  return bankLineOut(await findLine(ctx.db, ctx, id));
}

function assertNotMatched(line: BankLineRow) {
  if (line.status === 'matched')
    throw conflict('bank_line_already_matched', `Bank line ${line.id} is already matched.`);
}

export async function acceptSuggestion(ctx: RequestContext, id: string, rank: number | undefined) {
  return ctx.db.transaction(async (tx) => {
    // The row lock makes a second concurrent accept wait, then see the line matched.
    const line = await findLine(tx, ctx, id, true);
    assertNotMatched(line);
    const suggestions = (line.suggestions as Suggestion[]) ?? [];
    const s = suggestions.find((x) => x.rank === (rank ?? 1));
    if (!s)
      throw unprocessable('suggestion_not_found', `Bank line ${id} has no suggestion of rank ${rank ?? 1}.`, 'rank');
    await confirmIn(tx, ctx, line, s, byOf(ctx), line.bookingDate);
    return bankLineOut(await findLine(tx, ctx, id));
  });
}

export async function matchByHand(ctx: RequestContext, id: string, input: ManualMatchIn) {
  return ctx.db.transaction(async (tx) => {
    const line = await findLine(tx, ctx, id, true);
    assertNotMatched(line);
    if (input.payment) return linkPaymentIn(tx, ctx, line, input.payment);
    if (!input.customer) throw invalid('customer_required', 'Name the customer who paid.', 'customer');
    if (dec(line.amount).lte(0))
      throw unprocessable('bank_line_money_out', 'Money out is matched to a refund, not to invoices.');
    const list = input.invoices ?? [];
    const total = sum(list.map((i) => i.amount));
    if (total.gt(line.amount))
      throw conflict(
        'allocation_exceeds_line',
        `The amounts (${formatAmount(total, line.currency)}) are more than the line (${formatAmount(line.amount, line.currency)}).`,
        'invoices',
      );
    for (const [n, i] of list.entries()) {
      const [inv] = await tx
        .select({ customerId: invoices.customerId })
        .from(invoices)
        .where(and(eq(invoices.id, i.invoice), eq(invoices.orgId, ctx.orgId)));
      if (!inv) throw unprocessable('invoice_not_found', `No invoice ${i.invoice}.`, `invoices[${n}].invoice`);
      if (inv.customerId !== input.customer)
        throw unprocessable(
          'invoice_of_other_customer',
          `Invoice ${i.invoice} belongs to another customer.`,
          `invoices[${n}].invoice`,
        );
    }
    await confirmIn(
      tx,
      ctx,
      line,
      {
        customer: input.customer,
        invoices: list.map((i) => ({ invoice: i.invoice, amount: i.amount })),
        write_off: input.write_off
          ? { amount: input.write_off.amount, reason: input.write_off.reason, invoice: input.write_off.invoice }
          : null,
        reasons: ['matched by hand'],
      },
      byOf(ctx),
      line.bookingDate,
    );
    return bankLineOut(await findLine(tx, ctx, id));
  });
}

/** Links an existing payment of the same amount and customer that no line is linked to; creates nothing. */
async function linkPaymentIn(tx: Tx, ctx: RequestContext, line: BankLineRow, paymentId: string) {
  const [p] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.orgId, ctx.orgId)));
  if (!p) throw unprocessable('payment_not_found', `No payment ${paymentId}.`, 'payment');
  if (!dec(p.amount).equals(line.amount) || p.currency !== line.currency)
    throw unprocessable('payment_amount_mismatch', `Payment ${paymentId} is not of ${line.amount}.`, 'payment');
  const [linked] = await tx.select({ id: bankLines.id }).from(bankLines).where(eq(bankLines.paymentId, paymentId));
  if (linked) throw conflict('payment_already_linked', `Payment ${paymentId} is linked to bank line ${linked.id}.`);
  await tx
    .update(bankLines)
    .set({
      status: 'matched',
      paymentId,
      match: {
        invoices: [],
        customer: p.customerId,
        write_off: null,
        by: byOf(ctx),
        reasons: [`linked to payment ${paymentId}`],
        refund: null,
        linked_only: true,
      },
    })
    .where(eq(bankLines.id, line.id));
  await learnIban(tx, ctx, p.customerId, line.counterpartyIban);
  await recordEvent(
    tx,
    ctx,
    'bank_line.matched',
    { type: 'bank_line', id: line.id },
    {
      by: byOf(ctx),
      payment: paymentId,
      refund: null,
      customer: p.customerId,
    },
  );
  return bankLineOut(await findLine(tx, ctx, line.id));
}

export async function ignoreLine(ctx: RequestContext, id: string, reason: string) {
  return ctx.db.transaction(async (tx) => {
    const line = await findLine(tx, ctx, id, true);
    assertNotMatched(line);
    await tx
      .update(bankLines)
      .set({ status: 'ignored', heldByPerson: true, ignoreReason: reason })
      .where(eq(bankLines.id, id));
    await recordEvent(tx, ctx, 'bank_line.ignored', { type: 'bank_line', id }, { reason });
    return bankLineOut(await findLine(tx, ctx, id));
  });
}

export async function unmatchLine(ctx: RequestContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const line = await findLine(tx, ctx, id, true);
    if (line.status !== 'matched' && line.status !== 'ignored')
      throw conflict('bank_line_not_matched', `Bank line ${id} is not matched.`);
    const match = line.match as { linked_only?: boolean } | null;
    if (line.paymentId && !match?.linked_only) {
      const [p] = await tx.select({ status: payments.status }).from(payments).where(eq(payments.id, line.paymentId));
      if (p && p.status !== 'reversed')
        await reversePaymentIn(tx, ctx, line.paymentId, { reason: `Bank line ${id} unmatched` });
    }
    await tx
      .update(bankLines)
      .set({
        status: 'unmatched',
        paymentId: null,
        refundId: null,
        match: null,
        suggestions: [],
        heldByPerson: true,
        ignoreReason: null,
      })
      .where(eq(bankLines.id, id));
    await recordEvent(tx, ctx, 'bank_line.unmatched', { type: 'bank_line', id }, { payment: line.paymentId });
    return bankLineOut(await findLine(tx, ctx, id));
  });
}

// ---------- reconciliation ----------

export async function reconciliation(ctx: RequestContext, accountId: string, asOf: string | undefined) {
  const account = await findAccount(ctx.db, ctx, accountId);
  const date = asOf ?? ctx.today;
  const cur = account.currency;
  const money = (v: string | number) => formatAmount(v, cur);
  const [start] = await ctx.db
    .select()
    .from(bankStatements)
    .where(
      and(
        eq(bankStatements.bankAccountId, accountId),
        isNotNull(bankStatements.startingBalance),
        isNotNull(bankStatements.fromDate),
      ),
    )
    .orderBy(asc(bankStatements.fromDate), asc(bankStatements.createdAt), asc(bankStatements.id))
    .limit(1);
  const from = start?.fromDate ?? '0001-01-01';
  const lineSums = await ctx.db
    .select({
      total: sql<string>`coalesce(sum(${bankLines.amount}), 0)::text`,
      inOpen: sql<string>`coalesce(sum(case when ${bankLines.status} <> 'matched' and ${bankLines.amount} > 0 then ${bankLines.amount} end), 0)::text`,
      outOpen: sql<string>`coalesce(sum(case when ${bankLines.status} <> 'matched' and ${bankLines.amount} < 0 then ${bankLines.amount} end), 0)::text`,
    })
    .from(bankLines)
    .where(
      and(eq(bankLines.bankAccountId, accountId), gte(bankLines.bookingDate, from), lte(bankLines.bookingDate, date)),
    );
  // Journal movements on the bank of payments (received, reversed) and refunds of payments naming this account.
  const movements = await ctx.db.execute<{ total: string; unlinked: string }>(sql`
    with moves as (
      select jl.debit - jl.credit as amount,
        case when je.source_type = 'payment' then exists (select 1 from bank_lines bl where bl.payment_id = je.source_id)
             else exists (select 1 from bank_lines bl where bl.refund_id = je.source_id) end as linked
      from ${journalLines} jl
      join ${journalEntries} je on je.id = jl.entry_id
      where jl.org_id = ${ctx.orgId} and jl.account = 'bank' and jl.date >= ${from}::date and jl.date <= ${date}::date
        and (
          (je.source_type = 'payment' and je.source_id in (select id from payments where bank_account_id = ${accountId}))
          or (je.source_type = 'refund' and je.source_id in (
            select r.id from refunds r join payments p on p.id = r.source_id
            where r.source_type = 'payment' and p.bank_account_id = ${accountId}))
        )
    )
    select coalesce(sum(amount), 0)::text as total, coalesce(sum(case when linked then 0 else amount end), 0)::text as unlinked
    from moves`);
  const mv = ((movements as unknown as { rows?: { total: string; unlinked: string }[] }).rows ??
    (movements as unknown as { total: string; unlinked: string }[]))[0]!;
  const opening = start ? dec(start.startingBalance!) : null;
  const ledger = (opening ?? dec(0)).plus(mv.total);
  const statement = opening ? opening.plus(lineSums[0]!.total) : null;
  return {
    as_of: date,
    statement_balance: statement ? money(statement.toFixed()) : null,
    ledger_balance: money(ledger.toFixed()),
    unmatched_in: money(lineSums[0]!.inOpen),
    unmatched_out: money(lineSums[0]!.outOpen),
    unlinked_ledger: money(mv.unlinked),
    difference: statement ? money(statement.minus(ledger).toFixed()) : null,
  };
}
