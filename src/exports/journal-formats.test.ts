import iconv from 'iconv-lite';
import { expect, test } from 'vitest';
import { dec, sum } from '../money/money';
import {
  DATEV_COLUMNS,
  datevBuchungsstapel,
  type ExportEntry,
  type ExportLine,
  fiscalYearStartOf,
  journalCsv,
  journalJson,
  quickbooksCsv,
  xeroCsv,
} from './journal-formats';

// A small journal, by hand: an invoice with two VAT rates (100.00 at 19 % and 50.00 at 7 %), its payment (money
// received, then applied to the invoice) and a credit note of 11.90 (10.00 + 1.90 VAT).
const CODES: Record<string, [string, string]> = {
  bank: ['1000', 'Bank'],
  receivables: ['1200', 'Accounts receivable'],
  tax_payable: ['2200', 'VAT payable'],
  customer_credit: ['2300', 'Customer credit'],
  revenue: ['4000', 'Sales revenue'],
};
const line = (lineNo: number, key: string, debit: string, credit: string): ExportLine => ({
  lineNo,
  key,
  code: CODES[key]![0],
  name: CODES[key]![1],
  debit,
  credit,
});
const customer = { id: 'cus_1', name: 'Müller GmbH' };
const JOURNAL: ExportEntry[] = [
  {
    id: 'je_1',
    date: '2026-11-02',
    currency: 'EUR',
    source: { type: 'invoice', id: 'inv_1' },
    memo: 'Invoice INV-2026-000001',
    createdAt: '2026-11-02T10:00:00.000Z',
    documentNumber: 'INV-2026-000001',
    customer,
    lines: [
      line(0, 'receivables', '172.50', '0.00'),
      line(1, 'revenue', '0.00', '150.00'),
      line(2, 'tax_payable', '0.00', '22.50'),
    ],
  },
  {
    id: 'je_2',
    date: '2026-11-10',
    currency: 'EUR',
    source: { type: 'payment', id: 'pay_1' },
    memo: 'Payment Bank 4711',
    createdAt: '2026-11-10T10:00:00.000Z',
    documentNumber: 'INV-2026-000001',
    customer,
    lines: [line(0, 'bank', '172.50', '0.00'), line(1, 'customer_credit', '0.00', '172.50')],
  },
  {
    id: 'je_3',
    date: '2026-11-10',
    currency: 'EUR',
    source: { type: 'application', id: 'app_1' },
    memo: 'Applied to invoice INV-2026-000001',
    createdAt: '2026-11-10T10:00:00.000Z',
    documentNumber: 'INV-2026-000001',
    customer,
    lines: [line(0, 'customer_credit', '172.50', '0.00'), line(1, 'receivables', '0.00', '172.50')],
  },
  {
    id: 'je_4',
    date: '2026-11-12',
    currency: 'EUR',
    source: { type: 'credit_note', id: 'cn_1' },
    memo: 'Credit note CN-2026-000001',
    createdAt: '2026-11-12T10:00:00.000Z',
    documentNumber: 'CN-2026-000001',
    customer,
    lines: [
      line(0, 'revenue', '10.00', '0.00'),
      line(1, 'tax_payable', '1.90', '0.00'),
      line(2, 'customer_credit', '0.00', '11.90'),
    ],
  },
];

test('csv: one row per journal line, UTF-8, RFC 4180', () => {
  const file = journalCsv(JOURNAL);
  expect(file.content.toString('utf8')).toBe(
    [
      'date,entry,source_type,source_number,account,account_name,debit,credit,currency,memo',
      '2026-11-02,je_1,invoice,INV-2026-000001,1200,Accounts receivable,172.50,0.00,EUR,Invoice INV-2026-000001',
      '2026-11-02,je_1,invoice,INV-2026-000001,4000,Sales revenue,0.00,150.00,EUR,Invoice INV-2026-000001',
      '2026-11-02,je_1,invoice,INV-2026-000001,2200,VAT payable,0.00,22.50,EUR,Invoice INV-2026-000001',
      '2026-11-10,je_2,payment,INV-2026-000001,1000,Bank,172.50,0.00,EUR,Payment Bank 4711',
      '2026-11-10,je_2,payment,INV-2026-000001,2300,Customer credit,0.00,172.50,EUR,Payment Bank 4711',
      '2026-11-10,je_3,application,INV-2026-000001,2300,Customer credit,172.50,0.00,EUR,Applied to invoice INV-2026-000001',
      '2026-11-10,je_3,application,INV-2026-000001,1200,Accounts receivable,0.00,172.50,EUR,Applied to invoice INV-2026-000001',
      '2026-11-12,je_4,credit_note,CN-2026-000001,4000,Sales revenue,10.00,0.00,EUR,Credit note CN-2026-000001',
      '2026-11-12,je_4,credit_note,CN-2026-000001,2200,VAT payable,1.90,0.00,EUR,Credit note CN-2026-000001',
      '2026-11-12,je_4,credit_note,CN-2026-000001,2300,Customer credit,0.00,11.90,EUR,Credit note CN-2026-000001',
      '',
    ].join('\r\n'),
  );
  const quoted = journalCsv([{ ...JOURNAL[1]!, memo: 'Payment "A, B"' }]).content.toString('utf8');
  expect(quoted.split('\r\n')[1]).toBe(
    '2026-11-10,je_2,payment,INV-2026-000001,1000,Bank,172.50,0.00,EUR,"Payment ""A, B"""',
  );
});

test('json: the entries as GET /journal_entries returns them', () => {
  const data = JSON.parse(journalJson(JOURNAL).content.toString('utf8'));
  expect(data).toHaveLength(4);
  expect(data[0]).toEqual({
    id: 'je_1',
    date: '2026-11-02',
    currency: 'EUR',
    source: { type: 'invoice', id: 'inv_1' },
    memo: 'Invoice INV-2026-000001',
    lines: [
      { account: '1200', key: 'receivables', name: 'Accounts receivable', debit: '172.50', credit: '0.00' },
      { account: '4000', key: 'revenue', name: 'Sales revenue', debit: '0.00', credit: '150.00' },
      { account: '2200', key: 'tax_payable', name: 'VAT payable', debit: '0.00', credit: '22.50' },
    ],
    created_at: '2026-11-02T10:00:00.000Z',
  });
});

test('datev: EXTF 700 Buchungsstapel, header fields in the documented order, Windows-1252, CRLF, decimal comma', () => {
  const file = datevBuchungsstapel(
    JOURNAL,
    {
      consultantNumber: 29098,
      clientNumber: 55003,
      fiscalYearStart: '2026-01-01',
      accountLength: 4,
      from: '2026-11-01',
      to: '2026-11-30',
      currency: 'EUR',
      createdAt: new Date('2026-12-01T08:30:00.123Z'),
      label: 'Arbor 20261101-20261130',
    },
    () => 10000,
  );
  // Windows-1252: "ü" is the single byte 0xFC, never UTF-8's 0xC3 0xBC.
  expect(file.content.includes(Buffer.from([0xfc]))).toBe(true);
  expect(file.content.includes(Buffer.from('ü', 'utf8'))).toBe(false);
  const textOf = iconv.decode(file.content, 'win1252');
  expect(textOf.endsWith('\r\n')).toBe(true);
  expect(textOf.replaceAll('\r\n', '')).not.toContain('\n');
  const rest = ';'.repeat(DATEV_COLUMNS.length - 14);
  const booking = (f: string) => `${f}${rest}`;
  expect(DATEV_COLUMNS).toHaveLength(125);
  expect(textOf.split('\r\n')).toEqual([
    '"EXTF";700;21;"Buchungsstapel";13;20261201083000123;;"RE";"Arbor";"";29098;55003;20260101;4;20261101;20261130;"Arbor 20261101-20261130";"";1;0;0;"EUR";;"";;;"";;;"";""',
    DATEV_COLUMNS.join(';'),
    booking('150,00;"S";"EUR";;;;10000;4000;;0211;"INV-2026-000001";;;"INV-2026-000001 Müller GmbH"'),
    booking('22,50;"S";"EUR";;;;10000;2200;;0211;"INV-2026-000001";;;"INV-2026-000001 Müller GmbH"'),
    booking('172,50;"S";"EUR";;;;1000;2300;;1011;"INV-2026-000001";;;"INV-2026-000001 Müller GmbH"'),
    booking('172,50;"S";"EUR";;;;2300;10000;;1011;"INV-2026-000001";;;"INV-2026-000001 Müller GmbH"'),
    booking('10,00;"H";"EUR";;;;2300;4000;;1211;"CN-2026-000001";;;"CN-2026-000001 Müller GmbH"'),
    booking('1,90;"H";"EUR";;;;2300;2200;;1211;"CN-2026-000001";;;"CN-2026-000001 Müller GmbH"'),
    '',
  ]);
  expect(DATEV_COLUMNS.slice(0, 14)).toEqual([
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
  ]);
});

test('xero: manual-journal CSV, dd/mm/yyyy, debits positive, credits negative, receivables to the clearing account', () => {
  expect(xeroCsv(JOURNAL, '1190').content.toString('utf8')).toBe(
    [
      '*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount',
      'Invoice INV-2026-000001 (je_1),02/11/2026,INV-2026-000001 Müller GmbH,1190,Tax Exempt,172.50',
      'Invoice INV-2026-000001 (je_1),02/11/2026,INV-2026-000001 Müller GmbH,4000,Tax Exempt,-150.00',
      'Invoice INV-2026-000001 (je_1),02/11/2026,INV-2026-000001 Müller GmbH,2200,Tax Exempt,-22.50',
      'Payment Bank 4711 (je_2),10/11/2026,INV-2026-000001 Müller GmbH,1000,Tax Exempt,172.50',
      'Payment Bank 4711 (je_2),10/11/2026,INV-2026-000001 Müller GmbH,2300,Tax Exempt,-172.50',
      'Applied to invoice INV-2026-000001 (je_3),10/11/2026,INV-2026-000001 Müller GmbH,2300,Tax Exempt,172.50',
      'Applied to invoice INV-2026-000001 (je_3),10/11/2026,INV-2026-000001 Müller GmbH,1190,Tax Exempt,-172.50',
      'Credit note CN-2026-000001 (je_4),12/11/2026,CN-2026-000001 Müller GmbH,4000,Tax Exempt,10.00',
      'Credit note CN-2026-000001 (je_4),12/11/2026,CN-2026-000001 Müller GmbH,2200,Tax Exempt,1.90',
      'Credit note CN-2026-000001 (je_4),12/11/2026,CN-2026-000001 Müller GmbH,2300,Tax Exempt,-11.90',
      '',
    ].join('\n'),
  );
});

test('quickbooks: journal import CSV, one journal number per entry, MM/DD/YYYY, the customer on receivables lines', () => {
  expect(quickbooksCsv(JOURNAL, (i) => `7-${i + 1}`).content.toString('utf8')).toBe(
    [
      'Journal No.,Journal Date,Account Name,Debits,Credits,Description,Name',
      '7-1,11/02/2026,1200,172.50,,Invoice INV-2026-000001,Müller GmbH',
      '7-1,11/02/2026,4000,,150.00,Invoice INV-2026-000001,',
      '7-1,11/02/2026,2200,,22.50,Invoice INV-2026-000001,',
      '7-2,11/10/2026,1000,172.50,,Payment Bank 4711,',
      '7-2,11/10/2026,2300,,172.50,Payment Bank 4711,',
      '7-3,11/10/2026,2300,172.50,,Applied to invoice INV-2026-000001,',
      '7-3,11/10/2026,1200,,172.50,Applied to invoice INV-2026-000001,Müller GmbH',
      '7-4,11/12/2026,4000,10.00,,Credit note CN-2026-000001,',
      '7-4,11/12/2026,2200,1.90,,Credit note CN-2026-000001,',
      '7-4,11/12/2026,2300,,11.90,Credit note CN-2026-000001,',
      '',
    ].join('\n'),
  );
});

test('debits equal credits in every format', () => {
  const csvRows = journalCsv(JOURNAL)
    .content.toString('utf8')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((r) => r.split(','));
  expect(sum(csvRows.map((r) => r[6]!)).equals(sum(csvRows.map((r) => r[7]!)))).toBe(true);
  const xero = xeroCsv(JOURNAL, '1190').content.toString('utf8').trim().split('\n').slice(1);
  expect(sum(xero.map((r) => r.split(',').at(-1)!)).isZero()).toBe(true);
  const qb = quickbooksCsv(JOURNAL, String)
    .content.toString('utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => r.split(','));
  expect(sum(qb.map((r) => r[3] || '0')).equals(sum(qb.map((r) => r[4] || '0')))).toBe(true);
  // DATEV: every booking is one amount on Soll and Haben at once; the bookings of each entry sum to its debits.
  const datev = iconv
    .decode(
      datevBuchungsstapel(
        JOURNAL,
        {
          consultantNumber: 1001,
          clientNumber: 1,
          fiscalYearStart: '2026-01-01',
          accountLength: 4,
          from: '2026-11-01',
          to: '2026-11-30',
          currency: 'EUR',
          createdAt: new Date(0),
          label: '',
        },
        () => 10000,
      ).content,
      'win1252',
    )
    .trim()
    .split('\r\n')
    .slice(2);
  const booked = sum(datev.map((r) => r.split(';')[0]!.replace(',', '.')));
  expect(booked.equals(sum(JOURNAL.flatMap((e) => e.lines.map((l) => l.debit))))).toBe(true);
  expect(dec('172.50').times(2).plus('172.50').plus('11.90').equals(booked)).toBe(true);
});

test('the fiscal year a date lies in', () => {
  expect(fiscalYearStartOf('2026-11-16', '01-01')).toBe('2026-01-01');
  expect(fiscalYearStartOf('2026-03-31', '04-01')).toBe('2025-04-01');
  expect(fiscalYearStartOf('2026-04-01', '04-01')).toBe('2026-04-01');
});
