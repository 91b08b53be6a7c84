import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

// Every list endpoint can answer with CSV (API.md "Accounting export, imports and closed periods"): all rows its
// filters select, page by page from the same service call, streamed with a header row of the object's top-level
// fields by their API names, nested objects dotted, arrays and free-form objects as JSON.

/** The query parameter that asks for CSV (also `Accept: text/csv`). */
export const CsvFormatQuery = {
  format: z.enum(['json', 'csv']).optional().meta({
    description: 'csv: every row the filters select as CSV (limit and starting_after are ignored)',
  }),
};

const PAGE = 200;

function unwrap(s: z.ZodType): z.ZodType {
  let t = s;
  while (t instanceof z.ZodNullable || t instanceof z.ZodOptional || t instanceof z.ZodDefault)
    t = (t as unknown as { unwrap(): z.ZodType }).unwrap();
  return t;
}

/** The CSV columns of an API object: its fields, nested objects as dotted paths. */
export function csvColumns(schema: z.ZodType, prefix = ''): string[] {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodObject)) return [prefix];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const inner = unwrap(field);
    return inner instanceof z.ZodObject ? csvColumns(inner, `${prefix}${key}.`) : [`${prefix}${key}`];
  });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function pick(row: unknown, column: string): unknown {
  let v = row;
  for (const key of column.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export function wantsCsv(req: FastifyRequest): boolean {
  const format = (req.query as { format?: string } | undefined)?.format;
  if (format) return format === 'csv';
  return (req.headers.accept ?? '').split(',').some((t) => t.trim().startsWith('text/csv'));
}

/**
 * Answers a list request: the page as JSON, or, when CSV is asked for, every row the filters select, fetched a page
 * at a time from the same `page` function and streamed.
 */
export async function listOrCsv<
  Q extends { limit: number; starting_after?: string | undefined },
  T extends { id: string },
>(
  req: FastifyRequest,
  reply: FastifyReply,
  item: z.ZodType,
  fileName: string,
  page: (query: Q) => Promise<{ data: T[]; has_more: boolean }>,
) {
  const query = req.query as Q;
  if (!wantsCsv(req)) return page(query);
  const columns = csvColumns(item);
  async function* records() {
    let after: string | undefined;
    for (;;) {
      const found = await page({ ...query, limit: PAGE, starting_after: after });
      for (const row of found.data) yield columns.map((c) => cell(pick(row, c)));
      if (!found.has_more || found.data.length === 0) return;
      after = found.data.at(-1)!.id;
    }
  }
  const csv = stringify({ header: true, columns, record_delimiter: '\r\n' });
  // A failure mid-way ends the download cut short rather than leaving it hanging.
  pipeline(Readable.from(records()), csv, () => {});
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}.csv"`)
    .send(csv);
}

/** A flat object: nested objects as dotted keys, arrays as JSON. */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = cell(v);
  }
  return out;
}

/** A report as CSV: its rows flattened, the header the union of their fields in order of appearance. */
export function reportOrCsv<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  report: T,
  fileName: string,
  rowsOf: (report: T) => Record<string, unknown>[],
) {
  if (!wantsCsv(req)) return report;
  const rows = rowsOf(report).map((r) => flatten(r));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const csv = stringify({ header: true, columns, record_delimiter: '\r\n' });
  pipeline(Readable.from(rows.map((r) => columns.map((c) => r[c] ?? ''))), csv, () => {});
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}.csv"`)
    .send(csv);
}
