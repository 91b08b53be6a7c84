// What every statement parser gives: booked lines of one account, balances, and the refusal of an unreadable file.
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { dec } from '../money/money';

export type StatementFormat = 'camt053' | 'mt940' | 'ofx' | 'csv';

export interface ParsedLine {
  bookingDate: string;
  valueDate: string | null;
  /** Signed exact decimal: positive is money in. */
  amount: string;
  currency: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  reference: string | null;
  endToEndId: string | null;
  /** The bank's own reference of the line (deduplicates across files), or null. */
  bankReference: string | null;
}

export interface ParsedStatement {
  /** The account the file belongs to (IBAN), null when the format does not say (CSV). */
  accountIban: string | null;
  currency: string | null;
  statementId: string | null;
  from: string | null;
  to: string | null;
  opening: string | null;
  closing: string | null;
  lines: ParsedLine[];
  pendingSkipped: number;
}

/** A file that cannot be read: `param` names the line (`line 7`) or the element (`Stmt[1]/Ntry[3]/Amt`). */
export class StatementUnreadable extends Error {
  override readonly name = 'StatementUnreadable';
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

/** Opening + Σ booked lines against the closing balance, where the file gives both. */
export function balanceCheck(
  s: Pick<ParsedStatement, 'opening' | 'closing' | 'lines'>,
): 'ok' | 'mismatch' | 'not_given' {
  if (s.opening === null || s.closing === null) return 'not_given';
  const total = s.lines.reduce((acc, l) => acc.plus(l.amount), dec(s.opening));
  return total.equals(s.closing) ? 'ok' : 'mismatch';
}

/** First and last booking date, for formats that state no period. */
export function bookingPeriod(lines: ParsedLine[]): { from: string | null; to: string | null } {
  if (lines.length === 0) return { from: null, to: null };
  const dates = lines.map((l) => l.bookingDate).sort();
  return { from: dates[0]!, to: dates[dates.length - 1]! };
}

/**
 * One key per line for deduplication across files: the bank's reference, else a fingerprint of date, amount,
 * counterparty and reference with its occurrence within the file (two identical rows in one file are two lines).
 */
export function dedupKeys(lines: ParsedLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    if (l.bankReference) return `ref:${l.bankReference}`;
    const print = [
      l.bookingDate,
      dec(l.amount).toFixed(),
      l.counterpartyName ?? '',
      l.counterpartyIban ?? '',
      l.reference ?? '',
    ].join('\u001f');
    const n = (seen.get(print) ?? 0) + 1;
    seen.set(print, n);
    return `fp:${createHash('sha256').update(print).digest('hex').slice(0, 40)}:${n}`;
  });
}

/** A positive decimal as written in a file ("1234.50", "1234,50" with a comma); null when it is not one. */
export function plainAmount(text: string, decimal: '.' | ','): string | null {
  const t = text.trim();
  const re = decimal === ',' ? /^\d+(,\d*)?$/ : /^\d+(\.\d*)?$/;
  if (!re.test(t)) return null;
  const normalized = decimal === ',' ? t.replace(',', '.') : t;
  return dec(normalized.endsWith('.') ? `${normalized}0` : normalized).toFixed();
}

export function negate(amount: string): string {
  return dec(amount).neg().toFixed();
}

export function compactIban(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.replace(/\s+/g, '').toUpperCase();
  return t.length > 0 ? t : null;
}

export function blankToNull(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > 0 ? t : null;
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what older bank exports use). */
export function decodeText(file: Buffer, encoding?: 'utf-8' | 'windows-1252'): string {
  if (encoding === 'windows-1252') return iconv.decode(file, 'windows-1252');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file).replace(/^\uFEFF/, '');
  } catch {
    if (encoding === 'utf-8') throw new StatementUnreadable('The file is not valid UTF-8.', 'line 1');
    return iconv.decode(file, 'windows-1252');
  }
}
