// Bank CSV exports through a saved column mapping: delimiter, decimal mark, date format and encoding as the bank writes them.
import { parse } from 'csv-parse/sync';
import { dec } from '../money/money';
import {
  blankToNull,
  bookingPeriod,
  compactIban,
  decodeText,
  type ParsedLine,
  type ParsedStatement,
  StatementUnreadable,
} from './statement';

export interface CsvMapping {
  delimiter: string;
  decimal: '.' | ',';
  /** Tokens DD, MM, YYYY, YY, e.g. DD.MM.YYYY. */
  date_format: string;
  encoding: 'utf-8' | 'windows-1252';
  columns: {
    booking_date: string;
    value_date?: string | null | undefined;
    amount?: string | null | undefined;
    credit?: string | null | undefined;
    debit?: string | null | undefined;
    currency?: string | null | undefined;
    counterparty_name?: string | null | undefined;
    counterparty_iban?: string | null | undefined;
    reference?: string | null | undefined;
    bank_reference?: string | null | undefined;
  };
}

/** A date parser for a format of DD, MM, YYYY and YY tokens with any separators. */
export function dateParser(format: string): (text: string) => string | null {
  const order: string[] = [];
  const pattern = format.replace(/YYYY|YY|MM|DD|[.*+?^${}()|[\]\\]/g, (t) => {
    const groups: Record<string, [string, string]> = {
      YYYY: ['Y', '(\\d{4})'],
      YY: ['y', '(\\d{2})'],
      MM: ['M', '(\\d{1,2})'],
      DD: ['D', '(\\d{1,2})'],
    };
    const g = groups[t];
    if (!g) return `\\${t}`;
    order.push(g[0]);
    return g[1];
  });
  const re = new RegExp(`^${pattern}$`);
  return (text) => {
    const m = re.exec(text.trim());
    if (!m) return null;
    let y = 0;
    let mo = 0;
    let d = 0;
    order.forEach((k, i) => {
      const v = Number(m[i + 1]);
      if (k === 'Y') y = v;
      else if (k === 'y') y = v < 70 ? 2000 + v : 1900 + v;
      else if (k === 'M') mo = v;
      else d = v;
    });
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
}

/** A signed amount as the bank writes it: thousands separators, the decimal mark, a sign in front or behind. */
export function csvAmount(text: string, decimal: '.' | ','): string | null {
  let t = text.trim().replace(/[\s\u00a0']/g, '');
  if (t === '') return null;
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (t.endsWith('-')) {
    negative = !negative;
    t = t.slice(0, -1);
  }
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  const thousands = decimal === ',' ? '.' : ',';
  t = t.split(thousands).join('');
  if (decimal === ',') t = t.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return negative && !/^0+(\.0+)?$/.test(t) ? `-${t}` : t;
}

export function parseCsvStatement(
  file: Buffer,
  mapping: CsvMapping,
  charset?: 'utf-8' | 'windows-1252',
): ParsedStatement {
  const text = decodeText(file, charset ?? mapping.encoding);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: mapping.delimiter,
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
      info: true,
    }) as never;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new StatementUnreadable(`The CSV cannot be read: ${(err as Error).message}`, `line ${line ?? 1}`);
  }
  const c = mapping.columns;
  const header = records[0] ? Object.keys(records[0].record) : [];
  for (const [key, name] of Object.entries(c))
    if (name && records.length > 0 && !header.includes(name))
      throw new StatementUnreadable(`The file has no column "${name}" (mapped as ${key}).`, 'line 1');
  const toDate = dateParser(mapping.date_format);
  const lines: ParsedLine[] = records.map(({ record, info }) => {
    const where = `line ${info.lines}`;
    const get = (col: string | null | undefined) => (col ? (record[col] ?? '') : '');
    const bookingDate = toDate(get(c.booking_date));
    if (!bookingDate)
      throw new StatementUnreadable(
        `"${get(c.booking_date)}" is not a date in the format ${mapping.date_format}.`,
        where,
      );
    const valueText = get(c.value_date);
    const valueDate = valueText ? toDate(valueText) : null;
    if (valueText && !valueDate)
      throw new StatementUnreadable(`"${valueText}" is not a date in the format ${mapping.date_format}.`, where);
    let amount: string | null;
    if (c.amount) amount = csvAmount(get(c.amount), mapping.decimal);
    else {
      const credit = get(c.credit).trim() ? csvAmount(get(c.credit), mapping.decimal) : '0';
      const debit = get(c.debit).trim() ? csvAmount(get(c.debit), mapping.decimal) : '0';
      // One of the two columns holds the amount; the debit column's amount is money out.
      if (credit === null || debit === null) amount = null;
      else if (dec(debit).isZero()) amount = credit;
      else amount = dec(credit).isZero() ? dec(debit).abs().neg().toFixed() : null;
    }
    if (amount === null) throw new StatementUnreadable('The amount cannot be read.', where);
    return {
      bookingDate,
      valueDate,
      amount,
      currency: blankToNull(get(c.currency))?.toUpperCase() ?? null,
      counterpartyName: blankToNull(get(c.counterparty_name)),
      counterpartyIban: compactIban(get(c.counterparty_iban)),
      reference: blankToNull(get(c.reference)),
      endToEndId: null,
      bankReference: blankToNull(get(c.bank_reference)),
    };
  });
  return {
    accountIban: null,
    currency: null,
    statementId: null,
    ...bookingPeriod(lines),
    opening: null,
    closing: null,
    lines,
    pendingSkipped: 0,
  };
}
