import type { RequestContext } from '../platform/context';
import { invalid } from '../platform/errors';
import { contactsImport } from './contacts-store';
import { customersImport } from './customers-store';
import { openInvoicesImport } from './open-invoices-store';
import { productsImport } from './products-store';
import { importKind, importKinds, registerImportKind } from './registry';
import { CsvUnreadable, checkColumns, type RowError, readCsv } from './rows';

for (const kind of [customersImport, contactsImport, productsImport, openInvoicesImport]) registerImportKind(kind);

export interface ImportResult {
  kind: string;
  dry_run: boolean;
  rows: number;
  created: number;
  updated: number;
  errors: RowError[];
  [extra: string]: unknown;
}

/** Thrown to roll the import back; the route answers 422 with the result. */
class Refused extends Error {
  constructor(readonly result: ImportResult) {
    super('import refused');
  }
}

/**
 * Imports CSV rows of a kind, all or nothing: every row is checked first; with any error nothing is written and the
 * errors come back per row and column. A dry run checks and counts in the same way and writes nothing.
 */
export async function runImport(
  ctx: RequestContext,
  kindName: string,
  csv: string,
  dryRun: boolean,
  query: Record<string, string | undefined>,
): Promise<{ ok: boolean; result: ImportResult }> {
  const kind = importKind(kindName);
  if (!kind)
    throw invalid('unknown_import_kind', `Imports take ${importKinds().join(', ')}; not "${kindName}".`, 'kind');
  let table: ReturnType<typeof readCsv>;
  try {
    table = readCsv(csv);
  } catch (err) {
    if (!(err instanceof CsvUnreadable)) throw err;
    throw invalid('csv_unreadable', `The CSV cannot be read: ${err.message}`, 'body');
  }
  const base = { kind: kindName, dry_run: dryRun, rows: table.rows.length };
  const headerErrors = checkColumns(table, kind.columns);
  if (headerErrors.length > 0) return { ok: false, result: { ...base, created: 0, updated: 0, errors: headerErrors } };
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const plan = await kind.plan(ctx, tx, table, query);
      const result: ImportResult = {
        ...base,
        created: plan.created,
        updated: plan.updated,
        ...plan.extra,
        errors: plan.errors.sort((a, b) => a.row - b.row),
      };
      if (plan.errors.length > 0) throw new Refused(result);
      if (!dryRun) await plan.write();
      return result;
    });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, result: err.result };
    throw err;
  }
}
