import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { ACCOUNT_NAMES, type Account } from '../ledger/entries';
import { formatAmount } from '../money/money';
import { getSettings } from '../organizations/service';
import type { Settings } from '../organizations/settings';
import type { RequestContext } from '../platform/context';
import { invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { debtorAccounts, foreignCurrencies, journalForExport, markExported, type StoredLine } from './export-store';
import {
  datevBuchungsstapel,
  type ExportEntry,
  type ExportFile,
  fiscalYearStartOf,
  journalCsv,
  journalJson,
  quickbooksCsv,
  xeroCsv,
} from './journal-formats';
import type { ExportIn, ExportOut } from './schemas';
import { exports } from './tables';

export type ExportRow = typeof exports.$inferSelect;

export const exportOut = (r: ExportRow): ExportOut => ({
  id: r.id,
  kind: 'journal',
  format: r.format as ExportOut['format'],
  from: r.from,
  to: r.to,
  only_new: r.onlyNew,
  entries: r.entries,
  lines: r.lines,
  file_name: r.fileName,
  sha256: r.sha256,
  created_at: r.createdAt.toISOString(),
});

/** What a format needs from the settings, checked before anything is written. */
function checkFormat(settings: Settings, input: ExportIn): void {
  if (input.format === 'datev') {
    const d = settings.datev;
    if (d.consultant_number === null)
      throw unprocessable(
        'datev_settings_missing',
        'Set the DATEV consultant number (Beraternummer) in the settings first.',
        'settings.datev.consultant_number',
      );
    if (d.client_number === null)
      throw unprocessable(
        'datev_settings_missing',
        'Set the DATEV client number (Mandantennummer) in the settings first.',
        'settings.datev.client_number',
      );
    for (const [key, code] of Object.entries(settings.ledger_accounts))
      if (!new RegExp(`^\\d{${d.account_length}}$`).test(code))
        throw unprocessable(
          'datev_account_length',
          `DATEV needs account numbers of ${d.account_length} digits; the ${key} account is "${code}".`,
          `settings.ledger_accounts.${key}`,
        );
    if (fiscalYearStartOf(input.from, d.fiscal_year_start) !== fiscalYearStartOf(input.to, d.fiscal_year_start))
      throw unprocessable(
        'datev_period_spans_fiscal_years',
        'A DATEV export covers one fiscal year at most; split the period at the start of the fiscal year.',
        'to',
      );
  }
  if (input.format === 'xero' && !settings.xero.receivables_clearing_account)
    throw unprocessable(
      'xero_clearing_account_missing',
      'Xero exports need a receivables clearing account (settings.xero.receivables_clearing_account).',
      'settings.xero.receivables_clearing_account',
    );
}

function toExportEntries(settings: Settings, stored: Awaited<ReturnType<typeof journalForExport>>): ExportEntry[] {
  const byEntry = new Map<string, StoredLine[]>();
  for (const l of stored.lines) {
    const list = byEntry.get(l.entry_id);
    if (list) list.push(l);
    else byEntry.set(l.entry_id, [l]);
  }
  return stored.entries.map((e) => ({
    id: e.id,
    date: e.date,
    currency: e.currency,
    source: { type: e.source_type, id: e.source_id },
    memo: e.memo,
    createdAt: new Date(e.created_at).toISOString(),
    documentNumber: e.document_number,
    customer: e.customer_id ? { id: e.customer_id, name: e.customer_name ?? '' } : null,
    lines: (byEntry.get(e.id) ?? []).map((l) => {
      const key = l.account as Account;
      return {
        lineNo: Number(l.line_no),
        key: l.account,
        code: settings.ledger_accounts[key] ?? l.account,
        name: ACCOUNT_NAMES[key]?.name ?? l.account,
        debit: formatAmount(l.debit, e.currency),
        credit: formatAmount(l.credit, e.currency),
      };
    }),
  }));
}

const FILE_PREFIX: Record<ExportIn['format'], string> = {
  csv: 'journal',
  json: 'journal',
  datev: 'EXTF_Buchungsstapel',
  xero: 'xero_manual_journal',
  quickbooks: 'quickbooks_journal',
};

/**
 * Exports the journal lines of a period (only_new: those never exported in this format) as a file, records the export
 * with its file and hash, and marks the lines, in one transaction (one export of a format at a time per organization).
 */
export async function createExport(ctx: RequestContext, input: ExportIn): Promise<ExportRow> {
  if (input.to < input.from) throw invalid('period_reversed', 'The period ends before it starts.', 'to');
  const settings = await getSettings(ctx.db, ctx);
  checkFormat(settings, input);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`export:${ctx.orgId}:${input.format}`}))`);
    if (input.format === 'datev') {
      const foreign = await foreignCurrencies(tx, ctx.orgId, input.from, input.to, settings.base_currency);
      if (foreign.length > 0)
        throw unprocessable(
          'datev_foreign_currency',
          `The period has journal lines in ${foreign.join(', ')}; a DATEV batch holds ${settings.base_currency} only.`,
          'from',
        );
    }
    const stored = await journalForExport(tx, ctx.orgId, input.from, input.to, input.only_new ? input.format : null);
    const entries = toExportEntries(settings, stored);
    const id = newId('exp');
    const now = ctx.clock.now();
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(exports)
      .where(eq(exports.orgId, ctx.orgId));
    const exportNo = Number(count?.n ?? 0) + 1;
    let file: ExportFile;
    switch (input.format) {
      case 'csv':
        file = journalCsv(entries);
        break;
      case 'json':
        file = journalJson(entries);
        break;
      case 'xero':
        file = xeroCsv(entries, settings.xero.receivables_clearing_account!);
        break;
      case 'quickbooks':
        file = quickbooksCsv(entries, (i) => `${exportNo}-${i + 1}`);
        break;
      case 'datev': {
        const d = settings.datev;
        const customers = [...new Set(entries.flatMap((e) => (e.customer ? [e.customer.id] : [])))];
        const debtors = await debtorAccounts(
          tx,
          ctx.orgId,
          customers,
          d.debtor_account_start ?? 10 ** d.account_length,
          now,
        );
        file = datevBuchungsstapel(
          entries,
          {
            consultantNumber: d.consultant_number!,
            clientNumber: d.client_number!,
            fiscalYearStart: fiscalYearStartOf(input.from, d.fiscal_year_start),
            accountLength: d.account_length,
            from: input.from,
            to: input.to,
            currency: settings.base_currency,
            createdAt: now,
            label: `Arbor ${input.from.replaceAll('-', '')}-${input.to.replaceAll('-', '')}`,
          },
          (customerId) => debtors.get(customerId)!,
        );
        break;
      }
    }
    const fileName = `${FILE_PREFIX[input.format]}_${input.from}_${input.to}_${exportNo}.${file.extension}`;
    const [row] = await tx
      .insert(exports)
      .values({
        id,
        orgId: ctx.orgId,
        kind: input.kind,
        format: input.format,
        from: input.from,
        to: input.to,
        onlyNew: input.only_new,
        entries: entries.length,
        lines: stored.lines.length,
        fileName,
        contentType: file.contentType,
        sha256: createHash('sha256').update(file.content).digest('hex'),
        content: file.content,
        createdBy: ctx.userId,
        createdAt: now,
      })
      .returning();
    await markExported(tx, ctx.orgId, id, input.format, stored.lines);
    await recordEvent(
      tx,
      ctx,
      'export.created',
      { type: 'export', id },
      { format: input.format, from: input.from, to: input.to, entries: entries.length, lines: stored.lines.length },
    );
    return row!;
  });
}

export async function getExport(ctx: Pick<RequestContext, 'db' | 'orgId'>, id: string): Promise<ExportRow> {
  const [row] = await ctx.db
    .select()
    .from(exports)
    .where(and(eq(exports.id, id), eq(exports.orgId, ctx.orgId)));
  if (!row) throw notFound('export', id);
  return row;
}

export async function listExports(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, exports, ctx.orgId, page.starting_after);
  const found = await ctx.db
    .select()
    .from(exports)
    .where(and(eq(exports.orgId, ctx.orgId), cursor))
    .orderBy(desc(exports.createdAt), desc(exports.id))
    .limit(page.limit + 1);
  return toPage(found, page.limit);
}
