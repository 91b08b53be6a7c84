import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { type Decimal, dec, formatAmount } from '../money/money';

// The journal as the files accounting packages import (API.md "Accounting export"). Pure: entries and settings in,
// bytes out.

export type ExportFormat = 'csv' | 'json' | 'datev' | 'xero' | 'quickbooks';

export interface ExportLine {
  lineNo: number;
  /** Arbor's account key (receivables, revenue, ...). */
  key: string;
  /** The organization's code for it (settings.ledger_accounts). */
  code: string;
  name: string;
  debit: string;
  credit: string;
}

export interface ExportEntry {
  id: string;
  date: string;
  currency: string;
  source: { type: string; id: string };
  memo: string;
  createdAt: string;
  /** The document's own number (invoice, credit note) or, for money, the invoice it concerns or its reference. */
  documentNumber: string | null;
  customer: { id: string; name: string } | null;
  lines: ExportLine[];
}

export interface ExportFile {
  content: Buffer;
  contentType: string;
  extension: string;
}

const UTF8_CSV = 'text/csv; charset=utf-8';

/** `csv`: one row per journal line, `.` decimals, UTF-8, RFC 4180 quoting. */
export function journalCsv(entries: ExportEntry[]): ExportFile {
  const rows = entries.flatMap((e) =>
    e.lines.map((l) => [
      e.date,
      e.id,
      e.source.type,
      e.documentNumber ?? '',
      l.code,
      l.name,
      l.debit,
      l.credit,
      e.currency,
      e.memo,
    ]),
  );
  const header = ['date', 'entry', 'source_type', 'source_number', 'account', 'account_name', 'debit', 'credit'];
  const text = stringify([[...header, 'currency', 'memo'], ...rows], { record_delimiter: '\r\n' });
  return { content: Buffer.from(text, 'utf8'), contentType: UTF8_CSV, extension: 'csv' };
}

/** `json`: the entries as GET /journal_entries returns them. */
export function journalJson(entries: ExportEntry[]): ExportFile {
  const data = entries.map((e) => ({
    id: e.id,
    date: e.date,
    currency: e.currency,
    source: e.source,
    memo: e.memo,
    lines: e.lines.map((l) => ({ account: l.code, key: l.key, name: l.name, debit: l.debit, credit: l.credit })),
    created_at: e.createdAt,
  }));
  return {
    content: Buffer.from(`${JSON.stringify(data, null, 2)}\n`, 'utf8'),
    contentType: 'application/json',
    extension: 'json',
  };
}

/** One booking of a pair of lines: `account` on `side`, against `contra`. */
export interface Booking {
  account: ExportLine;
  side: 'S' | 'H';
  amount: Decimal;
  contra: ExportLine;
}

/**
 * An entry as bookings of one account against another, the way DATEV and most ledgers take them: the single line of
 * one side against each line of the other side (the debit side when both have one). Entries with several lines on
 * both sides are paired in order, splitting amounts, so the bookings still sum to the entry.
 */
export function bookingsOf(e: ExportEntry): Booking[] {
  const debits = e.lines.filter((l) => !dec(l.debit).isZero());
  const credits = e.lines.filter((l) => !dec(l.credit).isZero());
  if (credits.length === 1 && debits.length > 1)
    return debits.map((d) => ({ account: credits[0]!, side: 'H', amount: dec(d.debit), contra: d }));
  const out: Booking[] = [];
  const left = credits.map((c) => dec(c.credit));
  let ci = 0;
  for (const d of debits) {
    let rest = dec(d.debit);
    while (rest.greaterThan(0) && ci < credits.length) {
      const take = rest.lessThan(left[ci]!) ? rest : left[ci]!;
      out.push({ account: d, side: 'S', amount: take, contra: credits[ci]! });
      rest = rest.minus(take);
      left[ci] = left[ci]!.minus(take);
      if (left[ci]!.isZero()) ci++;
    }
  }
  return out;
}

export interface DatevHeader {
  consultantNumber: number;
  clientNumber: number;
  /** YYYY-MM-DD: the start of the fiscal year the period lies in. */
  fiscalYearStart: string;
  accountLength: number;
  from: string;
  to: string;
  currency: string;
  /** The instant the file was made (Erzeugt am). */
  createdAt: Date;
  /** Bezeichnung of the batch (at most 30 characters). */
  label: string;
}

/** The 125 column titles of a Buchungsstapel in format version 13, in their documented order. */
export const DATEV_COLUMNS: readonly string[] = [
  'Umsatz (ohne Soll/Haben-Kz)',
  'Soll/Haben-Kennzeichen',
  'WKZ Umsatz',
  'Kurs',
  'Basis-Umsatz',
  'WKZ Basis-Umsatz',
  'Konto',
  'Gegenkonto (ohne BU-Schlüssel)',
  'BU-Schlüssel',
  'Belegdatum',
  'Belegfeld 1',
  'Belegfeld 2',
  'Skonto',
  'Buchungstext',
  'Postensperre',
  'Diverse Adressnummer',
  'Geschäftspartnerbank',
  'Sachverhalt',
  'Zinssperre',
  'Beleglink',
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => [`Beleginfo - Art ${n}`, `Beleginfo - Inhalt ${n}`]),
  'KOST1 - Kostenstelle',
  'KOST2 - Kostenstelle',
  'Kost-Menge',
  'EU-Land u. UStID (Bestimmung)',
  'EU-Steuersatz (Bestimmung)',
  'Abw. Versteuerungsart',
  'Sachverhalt L+L',
  'Funktionsergänzung L+L',
  'BU 49 Hauptfunktionstyp',
  'BU 49 Hauptfunktionsnummer',
  'BU 49 Funktionsergänzung',
  ...Array.from({ length: 20 }, (_, i) => [
    `Zusatzinformation - Art ${i + 1}`,
    `Zusatzinformation - Inhalt ${i + 1}`,
  ]).flat(),
  'Stück',
  'Gewicht',
  'Zahlweise',
  'Forderungsart',
  'Veranlagungsjahr',
  'Zugeordnete Fälligkeit',
  'Skontotyp',
  'Auftragsnummer',
  'Buchungstyp',
  'USt-Schlüssel (Anzahlungen)',
  'EU-Mitgliedstaat (Anzahlungen)',
  'Sachverhalt L+L (Anzahlungen)',
  'EU-Steuersatz (Anzahlungen)',
  'Erlöskonto (Anzahlungen)',
  'Herkunft-Kz',
  'Leerfeld',
  'KOST-Datum',
  'SEPA-Mandatsreferenz',
  'Skontosperre',
  'Gesellschaftername',
  'Beteiligtennummer',
  'Identifikationsnummer',
  'Zeichnernummer',
  'Postensperre bis',
  'Bezeichnung SoBil-Sachverhalt',
  'Kennzeichen SoBil-Buchung',
  'Festschreibung',
  'Leistungsdatum',
  'Datum Zuord. Steuerperiode',
  'Fälligkeit',
  'Generalumkehr',
  'Steuersatz',
  'Land',
  'Abrechnungsreferenz',
  'BVV-Position',
  'EU-Mitgliedstaat u. UStID (Ursprung)',
  'EU-Steuersatz (Ursprung)',
  'Abw. Skontokonto',
];

/** A DATEV text field: in double quotes, quotes doubled, `;` and line breaks not allowed inside. */
const text = (s: string | null | undefined, max?: number) => {
  const clean = (s ?? '').replace(/[\r\n;]+/g, ' ').trim();
  return `"${(max ? clean.slice(0, max) : clean).replaceAll('"', '""')}"`;
};
const compact = (d: string) => d.replaceAll('-', '');
const ddmm = (d: string) => `${d.slice(8, 10)}${d.slice(5, 7)}`;
/** Decimal comma, no thousands separator, always positive. */
const umsatz = (d: Decimal, currency: string) => formatAmount(d.abs(), currency).replace('.', ',');

function stamp(at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}${p(at.getUTCMilliseconds(), 3)}`;
}

/** The header line: its 31 fields in the documented order (DATEV-Format, header version 700). */
export function datevHeaderLine(h: DatevHeader): string {
  return [
    text('EXTF'), // Kennzeichen
    '700', // Versionsnummer
    '21', // Formatkategorie: Buchungsstapel
    text('Buchungsstapel'), // Formatname
    '13', // Formatversion
    stamp(h.createdAt), // Erzeugt am
    '', // Importiert
    text('RE'), // Herkunft
    text('Arbor'), // Exportiert von
    text(''), // Importiert von
    String(h.consultantNumber), // Berater
    String(h.clientNumber), // Mandant
    compact(h.fiscalYearStart), // WJ-Beginn
    String(h.accountLength), // Sachkontenlänge
    compact(h.from), // Datum vom
    compact(h.to), // Datum bis
    text(h.label, 30), // Bezeichnung
    text(''), // Diktatkürzel
    '1', // Buchungstyp: Finanzbuchführung
    '0', // Rechnungslegungszweck
    '0', // Festschreibung
    text(h.currency), // WKZ
    '', // reserviert
    text(''), // Derivatskennzeichen
    '', // reserviert
    '', // reserviert
    text(''), // Sachkontenrahmen
    '', // ID der Branchenlösung
    '', // reserviert
    text(''), // reserviert
    text(''), // Anwendungsinformation
  ].join(';');
}

/**
 * `datev`: EXTF 700 Buchungsstapel, format version 13: header line, column titles, bookings; `;` separated, CRLF,
 * Windows-1252. `debtorAccount` gives the customer's debtor account for receivables lines.
 */
export function datevBuchungsstapel(
  entries: ExportEntry[],
  header: DatevHeader,
  debtorAccount: (customerId: string) => number,
): ExportFile {
  const width = DATEV_COLUMNS.length;
  const account = (l: ExportLine, e: ExportEntry) =>
    l.key === 'receivables' && e.customer ? String(debtorAccount(e.customer.id)) : l.code;
  const lines = [datevHeaderLine(header), DATEV_COLUMNS.join(';')];
  for (const e of entries) {
    const label = [e.documentNumber, e.customer?.name].filter(Boolean).join(' ') || e.memo;
    for (const b of bookingsOf(e)) {
      const fields: string[] = new Array(width).fill('');
      fields[0] = umsatz(b.amount, e.currency);
      fields[1] = text(b.side);
      fields[2] = text(e.currency);
      fields[6] = account(b.account, e);
      fields[7] = account(b.contra, e);
      fields[9] = ddmm(e.date);
      fields[10] = text(e.documentNumber, 36);
      fields[13] = text(label, 60);
      lines.push(fields.join(';'));
    }
  }
  return {
    content: iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252'),
    contentType: 'text/csv; charset=windows-1252',
    extension: 'csv',
  };
}

const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const mdy = (d: string) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`;

/**
 * `xero`: manual-journal import CSV; one narration per entry, debits positive, credits negative; receivables lines go
 * to the clearing account, since Xero refuses manual journals on its own receivables account.
 */
export function xeroCsv(entries: ExportEntry[], receivablesClearingAccount: string): ExportFile {
  const rows: string[][] = [['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount']];
  for (const e of entries) {
    const narration = `${e.memo} (${e.id})`;
    for (const l of e.lines) {
      const amount = dec(l.debit).minus(l.credit);
      rows.push([
        narration,
        dmy(e.date),
        [e.documentNumber, e.customer?.name].filter(Boolean).join(' ') || e.memo,
        l.key === 'receivables' ? receivablesClearingAccount : l.code,
        'Tax Exempt',
        formatAmount(amount, e.currency),
      ]);
    }
  }
  return { content: Buffer.from(stringify(rows), 'utf8'), contentType: UTF8_CSV, extension: 'csv' };
}

/** `quickbooks`: QuickBooks Online journal import; one journal number per entry, the customer on receivables lines. */
export function quickbooksCsv(entries: ExportEntry[], journalNumber: (index: number) => string): ExportFile {
  const rows: string[][] = [
    ['Journal No.', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description', 'Name'],
  ];
  entries.forEach((e, i) => {
    for (const l of e.lines) {
      const debit = dec(l.debit);
      const credit = dec(l.credit);
      rows.push([
        journalNumber(i),
        mdy(e.date),
        l.code,
        debit.isZero() ? '' : l.debit,
        credit.isZero() ? '' : l.credit,
        e.memo,
        l.key === 'receivables' ? (e.customer?.name ?? '') : '',
      ]);
    }
  });
  return { content: Buffer.from(stringify(rows), 'utf8'), contentType: UTF8_CSV, extension: 'csv' };
}

/** The first day of the fiscal year that `date` lies in, for a fiscal year starting on `start` ("MM-DD"). */
export function fiscalYearStartOf(date: string, start: string): string {
  const year = Number(date.slice(0, 4));
  const thisYear = `${year}-${start}`;
  return date >= thisYear ? thisYear : `${year - 1}-${start}`;
}
