import { parse } from 'csv-parse/sync';
import type { z } from 'zod';

// CSV rows for imports: parsed with csv-parse, columns named by the JSON field names (nested with dots), values
// typed by the column and checked by the API's own zod schemas. Pure.

export interface RowError {
  /** 1 = the first data row; 0 = the header. */
  row: number;
  column: string | null;
  code: string;
  message: string;
}

export interface CsvTable {
  columns: string[];
  /** Each data row as column → text; empty cells are absent. */
  rows: Record<string, string>[];
}

export class CsvUnreadable extends Error {}

export function readCsv(text: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (err) {
    throw new CsvUnreadable(err instanceof Error ? err.message : String(err));
  }
  const [header, ...data] = records;
  const columns = (header ?? []).map((c) => c.trim());
  return {
    columns,
    rows: data.map((cells) => {
      const row: Record<string, string> = {};
      columns.forEach((c, i) => {
        const v = cells[i];
        if (v !== undefined && v.trim() !== '') row[c] = v.trim();
      });
      return row;
    }),
  };
}

export type ColumnType = 'text' | 'int' | 'bool' | 'json';

/** Columns a kind accepts, with the type of each. */
export type ColumnSpec = Record<string, ColumnType>;

/** Header problems: unknown columns (the known ones are listed in the message). */
export function checkColumns(table: CsvTable, spec: ColumnSpec): RowError[] {
  const known = Object.keys(spec);
  const errors: RowError[] = table.columns
    .filter((c) => !(c in spec))
    .map((c) => ({
      row: 0,
      column: c,
      code: 'unknown_column',
      message: `Unknown column "${c}"; the columns are ${known.join(', ')}.`,
    }));
  const seen = new Set<string>();
  for (const c of table.columns) {
    if (seen.has(c))
      errors.push({ row: 0, column: c, code: 'duplicate_column', message: `Column "${c}" appears twice.` });
    seen.add(c);
  }
  return errors;
}

/** A row as the JSON object the API would take: dotted columns nested, values typed; type errors as row errors. */
export function rowObject(
  row: Record<string, string>,
  spec: ColumnSpec,
  rowNo: number,
): { value: Record<string, unknown>; errors: RowError[] } {
  const value: Record<string, unknown> = {};
  const errors: RowError[] = [];
  for (const [column, text] of Object.entries(row)) {
    let typed: unknown = text;
    const type = spec[column] ?? 'text';
    if (type === 'int') {
      if (!/^-?\d+$/.test(text)) {
        errors.push({ row: rowNo, column, code: 'invalid', message: `"${text}" is not a whole number.` });
        continue;
      }
      typed = Number(text);
    } else if (type === 'bool') {
      const t = text.toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(t)) {
        errors.push({ row: rowNo, column, code: 'invalid', message: `"${text}" is not true or false.` });
        continue;
      }
      typed = ['true', '1', 'yes'].includes(t);
    } else if (type === 'json') {
      try {
        typed = JSON.parse(text);
      } catch {
        errors.push({ row: rowNo, column, code: 'invalid', message: 'Must be JSON, like {"key": "value"}.' });
        continue;
      }
    }
    const path = column.split('.');
    let target = value;
    for (const key of path.slice(0, -1)) {
      target[key] = (target[key] as Record<string, unknown> | undefined) ?? {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = typed;
  }
  return { value, errors };
}

/** Checks a row object with a zod schema; issues become row errors naming the column. */
export function checkRow<S extends z.ZodType>(
  schema: S,
  value: Record<string, unknown>,
  rowNo: number,
): { data: z.output<S> | null; errors: RowError[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, errors: [] };
  return {
    data: null,
    errors: result.error.issues.map((issue) => {
      const column = issue.path.map(String).join('.') || null;
      const missing = issue.code === 'invalid_type' && column !== null && readPath(value, issue.path) === undefined;
      return {
        row: rowNo,
        column,
        code: missing ? 'required' : 'invalid',
        message: missing ? `${column} is required.` : issue.message,
      };
    }),
  };
}

function readPath(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}
