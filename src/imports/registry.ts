import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import type { ColumnSpec, CsvTable, RowError } from './rows';

/** What an importer found in the file: errors (then nothing is written), counts, and the writing still to do. */
export interface ImportPlan {
  errors: RowError[];
  created: number;
  updated: number;
  /** Other fields of the answer (leads: duplicates). */
  extra?: Record<string, unknown>;
  /** Writes the rows, in the import's transaction; not called on a dry run or with errors. */
  write: () => Promise<void>;
}

export interface ImportKind {
  kind: string;
  columns: ColumnSpec;
  /** Checks every row (in the import's transaction, so lookups see what the write will see) and plans the writing. */
  plan(
    ctx: RequestContext,
    tx: Queryable,
    table: CsvTable,
    query: Record<string, string | undefined>,
  ): Promise<ImportPlan>;
}

const KINDS = new Map<string, ImportKind>();

/** Makes `POST /imports/<kind>` take a kind of rows: each capability registers its own (crm registers leads). */
export function registerImportKind(kind: ImportKind): void {
  KINDS.set(kind.kind, kind);
}

export function importKind(kind: string): ImportKind | undefined {
  return KINDS.get(kind);
}

export function importKinds(): string[] {
  return [...KINDS.keys()];
}
