// SWIFT MT940 with the German :86: subfields (DFÜ-Abkommen / DK format): a small parser of our own, since the npm
// parsers we looked at do not read the ?20–?29, ?31, ?32/?33 subfields or the SEPA keywords.
import { composeIBAN, isValidIBAN } from 'ibantools';
import {
  blankToNull,
  bookingPeriod,
  compactIban,
  decodeText,
  negate,
  type ParsedLine,
  type ParsedStatement,
  plainAmount,
  StatementUnreadable,
} from './statement';

interface Field {
  tag: string;
  value: string;
  line: number;
}

/** Splits the message into tagged fields; continuation lines join their field with a newline. */
function fieldsOf(text: string): Field[] {
  const fields: Field[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.replace(/^\{\d:[^}]*\}/g, '').replace(/^\{4:/, '');
    if (t.trim() === '' || t.trim() === '-' || t.trim() === '-}') return;
    const m = /^:(\d{2}[A-Z]?):(.*)$/.exec(t);
    if (m) fields.push({ tag: m[1]!, value: m[2]!, line });
    else if (fields.length > 0) fields[fields.length - 1]!.value += `\n${t}`;
    else throw new StatementUnreadable('The file does not start with an MT940 field.', `line ${line}`);
  });
  return fields;
}

function yyMMdd(s: string, where: string): string {
  const yy = Number(s.slice(0, 2));
  const mm = s.slice(2, 4);
  const dd = s.slice(4, 6);
  if (!/^\d{6}$/.test(s) || Number(mm) < 1 || Number(mm) > 12 || Number(dd) < 1 || Number(dd) > 31)
    throw new StatementUnreadable(`${s} is not a date (YYMMDD).`, where);
  return `${yy < 70 ? 2000 + yy : 1900 + yy}-${mm}-${dd}`;
}

/** :60F:/:62F: C or D, date, currency, amount with a decimal comma. */
function balance(f: Field): { amount: string; currency: string; date: string } {
  const m = /^([CD])(\d{6})([A-Z]{3})([\d,]+)$/.exec(f.value.trim());
  const amount = m ? plainAmount(m[4]!, ',') : null;
  if (!m || amount === null) throw new StatementUnreadable(`The balance ${f.value} cannot be read.`, `line ${f.line}`);
  return { amount: m[1] === 'D' ? negate(amount) : amount, currency: m[3]!, date: yyMMdd(m[2]!, `line ${f.line}`) };
}

/** :25: as an IBAN: given as one, or a German bank code and account number converted to one. */
export function accountIbanOf(value: string): string | null {
  const compact = compactIban(value.replace(/[^0-9A-Za-z/]/g, ''));
  if (!compact) return null;
  const asIban = compact.replace(/\//g, '');
  for (const candidate of [asIban, asIban.slice(0, -3)]) if (isValidIBAN(candidate)) return candidate;
  const blz = /^(\d{8})\/(\d{1,10})/.exec(compact);
  if (blz) return composeIBAN({ countryCode: 'DE', bban: `${blz[1]}${blz[2]!.padStart(10, '0')}` }) ?? null;
  return null;
}

const SEPA_KEYS = ['EREF', 'KREF', 'MREF', 'CRED', 'DEBT', 'COAM', 'OAMT', 'SVWZ', 'ABWA', 'ABWE', 'IBAN', 'BIC'];

/** SEPA keywords (EREF+, SVWZ+, ...) in the remittance text. */
function sepaParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  const re = new RegExp(`(${SEPA_KEYS.join('|')})\\+`, 'g');
  const hits = [...text.matchAll(re)];
  hits.forEach((h, i) => {
    const start = h.index! + h[0].length;
    const end = i + 1 < hits.length ? hits[i + 1]!.index! : text.length;
    parts.set(h[1]!, text.slice(start, end).trim());
  });
  return parts;
}

/** The German :86: structure: ?20–?29 and ?60–?63 remittance (joined without separator), ?31 IBAN, ?32/?33 name. */
export function details86(value: string): {
  reference: string | null;
  endToEndId: string | null;
  name: string | null;
  iban: string | null;
} {
  const flat = value.replace(/\n/g, '');
  if (!/^\d{3}\?/.test(flat) && !flat.includes('?20'))
    return { reference: blankToNull(flat), endToEndId: null, name: null, iban: null };
  const sub = new Map<string, string>();
  for (const m of flat.matchAll(/\?(\d{2})([^?]*)/g)) sub.set(m[1]!, (sub.get(m[1]!) ?? '') + m[2]!);
  const pick = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => sub.get(String(from + i)) ?? '').join('');
  const remittance = pick(20, 29) + pick(60, 63);
  const sepa = sepaParts(remittance);
  const eref = sepa.get('EREF');
  const iban = compactIban(sub.get('31'));
  return {
    reference: blankToNull(sepa.get('SVWZ') ?? remittance),
    endToEndId: eref && eref !== 'NOTPROVIDED' ? eref : null,
    name: blankToNull(`${sub.get('32') ?? ''}${sub.get('33') ?? ''}`),
    iban: iban && /^[A-Z]{2}\d{2}/.test(iban) ? iban : null,
  };
}

// :61: value date, optional entry date MMDD, C/D/RC/RD, optional funds code, amount, type, references.
const LINE_61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+,\d*)([NSF][A-Z0-9]{3})([^\n]*)(?:\n([\s\S]*))?$/;

function statementLine(f: Field, currency: string | null): ParsedLine {
  const m = LINE_61.exec(f.value);
  const where = `line ${f.line}`;
  if (!m) throw new StatementUnreadable(`The statement line ${f.value.split('\n')[0]} cannot be read.`, where);
  const valueDate = yyMMdd(m[1]!, where);
  let bookingDate = valueDate;
  if (m[2]) {
    const vy = Number(valueDate.slice(0, 4));
    const vm = Number(valueDate.slice(5, 7));
    const bm = Number(m[2].slice(0, 2));
    // The entry date carries no year: around new year it lies in the value date's neighbouring year.
    const year = vm === 12 && bm === 1 ? vy + 1 : vm === 1 && bm === 12 ? vy - 1 : vy;
    bookingDate = yyMMdd(`${String(year).slice(2)}${m[2]}`, where);
  }
  const amount = plainAmount(m[5]!, ',');
  if (amount === null) throw new StatementUnreadable(`The amount ${m[5]} cannot be read.`, where);
  // C money in, D money out; RC reverses a credit (money out), RD reverses a debit (money in).
  const incoming = m[3] === 'C' || m[3] === 'RD';
  const refs = m[7]!;
  const slash = refs.indexOf('//');
  const bankRef =
    slash >= 0
      ? refs
          .slice(slash + 2)
          .trim()
          .slice(0, 16)
      : '';
  return {
    bookingDate,
    valueDate,
    amount: incoming ? amount : negate(amount),
    currency,
    counterpartyName: null,
    counterpartyIban: null,
    reference: null,
    endToEndId: null,
    bankReference: bankRef && bankRef.toUpperCase() !== 'NONREF' ? bankRef : null,
  };
}

export function parseMt940(file: Buffer): ParsedStatement {
  const fields = fieldsOf(decodeText(file));
  if (!fields.some((f) => f.tag === '20'))
    throw new StatementUnreadable('The file has no :20: field: it is not an MT940 statement.', 'line 1');
  let accountIban: string | null = null;
  let statementId: string | null = null;
  let opening: { amount: string; currency: string } | null = null;
  let closing: { amount: string; currency: string } | null = null;
  let currency: string | null = null;
  const lines: ParsedLine[] = [];
  let last: ParsedLine | null = null;
  for (const f of fields) {
    switch (f.tag) {
      case '25': {
        const iban = accountIbanOf(f.value);
        if (!iban)
          throw new StatementUnreadable(
            `The account ${f.value} is neither an IBAN nor a bank code and account.`,
            `line ${f.line}`,
          );
        if (accountIban && iban !== accountIban)
          throw new StatementUnreadable('All statements of one file must be of one account.', `line ${f.line}`);
        accountIban = iban;
        break;
      }
      case '28C':
        statementId ??= f.value.trim();
        break;
      case '60F':
      case '60M': {
        const b = balance(f);
        currency ??= b.currency;
        if (f.tag === '60F') opening ??= b;
        break;
      }
      case '62F':
      case '62M': {
        const b = balance(f);
        if (f.tag === '62F') closing = b;
        break;
      }
      case '61':
        last = statementLine(f, currency);
        lines.push(last);
        break;
      case '86':
        if (last) {
          const d = details86(f.value);
          Object.assign(last, {
            reference: d.reference,
            endToEndId: d.endToEndId,
            counterpartyName: d.name,
            counterpartyIban: d.iban,
          });
          last = null;
        }
        break;
      default:
        break;
    }
  }
  const period = bookingPeriod(lines);
  return {
    accountIban,
    currency,
    statementId,
    ...period,
    opening: opening?.amount ?? null,
    closing: closing?.amount ?? null,
    lines,
    pendingSkipped: 0,
  };
}
