import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCamt053 } from './camt053';
import { csvAmount, dateParser, parseCsvStatement } from './csv-statement';
import { accountIbanOf, parseMt940 } from './mt940';
import { parseOfx } from './ofx';
import { balanceCheck, dedupKeys, StatementUnreadable } from './statement';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../test/fixtures/bank', name));
function refusal(run: () => unknown): StatementUnreadable {
  try {
    run();
  } catch (err) {
    if (err instanceof StatementUnreadable) return err;
    throw err;
  }
  throw new Error('the file was read');
}

describe('CAMT.053', () => {
  test('a batch entry gives one line per TxDtls with its own amount, reference and counterparty; pending is skipped', () => {
    const s = parseCamt053(fixture('camt053-v02-batch.xml'));
    expect(s).toMatchObject({
      accountIban: 'DE89370400440532013000',
      statementId: 'STMT-2026-11-02',
      from: '2026-11-02',
      to: '2026-11-02',
      opening: '1000',
      closing: '1650',
      pendingSkipped: 1,
    });
    expect(s.lines.map((l) => [l.amount, l.bankReference, l.counterpartyName, l.endToEndId])).toEqual([
      ['300', 'BATCH-77/1', 'Müller & Söhne GmbH', 'E2E-1'],
      ['200', 'OWN-REF-9', 'Acme Ltd', null],
      ['150', 'REV-1', null, null],
    ]);
    expect(s.lines[0]!.counterpartyIban).toBe('DE02120300000000202051');
    expect(s.lines[1]!.reference).toBe('INV-2026-000001 INV-2026-000002');
    expect(s.lines[2]!.reference).toBe('Reversal of a direct debit');
    expect(balanceCheck(s)).toBe('ok');
  });

  test('version 001.08: Sts/Cd, names inside Pty, PRCD as opening, money out names the creditor', () => {
    const s = parseCamt053(fixture('camt053-v08.xml'));
    expect(s.accountIban).toBe('DE89370400440532013000');
    expect(s.opening).toBe('-10');
    expect(s.lines[0]).toMatchObject({
      amount: '-25',
      bookingDate: '2026-11-04',
      counterpartyName: 'Refunded Customer SA',
      counterpartyIban: 'FR1420041010050500013M02606',
    });
    expect(balanceCheck(s)).toBe('ok');
  });

  test('an unreadable amount names its element; XML that is not well-formed names its line', () => {
    expect(refusal(() => parseCamt053(fixture('camt053-bad-amount.xml'))).param).toBe('Stmt[1]/Ntry[3]/Amt');
    expect(refusal(() => parseCamt053(fixture('camt053-not-well-formed.xml'))).param).toMatch(/^line \d+$/);
    expect(
      refusal(() => parseCamt053(Buffer.from('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>')))
        .param,
    ).toBe('Document');
  });
});

describe('MT940', () => {
  test('German :86: subfields: remittance joined without separator, EREF, SVWZ, ?31 IBAN, ?32/?33 name', () => {
    for (const file of ['mt940-german.sta', 'mt940-german-1252.sta']) {
      const s = parseMt940(fixture(file));
      expect(s.accountIban).toBe('DE89370400440532013000');
      expect(s.statementId).toBe('00042/001');
      expect(s.lines[0]).toMatchObject({
        amount: '300',
        bookingDate: '2026-11-02',
        bankReference: 'BANKREF-1',
        endToEndId: 'E2E-77',
        reference: 'INV-2026-000001 Danke',
        counterpartyIban: 'DE02120300000000202051',
        counterpartyName: 'Müller & Söhne GmbH',
      });
      expect(balanceCheck(s)).toBe('ok');
    }
  });

  test('NONREF is no reference; two identical rows are two lines with different keys; RC is money out', () => {
    const s = parseMt940(fixture('mt940-german.sta'));
    expect(s.lines.map((l) => l.amount)).toEqual(['300', '10', '10', '-5']);
    expect(s.lines[1]!.bankReference).toBeNull();
    const keys = dedupKeys(s.lines);
    expect(keys[0]).toBe('ref:BANKREF-1');
    expect(new Set(keys).size).toBe(4);
    expect(dedupKeys(parseMt940(fixture('mt940-german.sta')).lines)).toEqual(keys);
  });

  test('a bad :61: names its line; BLZ and account become an IBAN', () => {
    expect(refusal(() => parseMt940(fixture('mt940-bad-line.sta'))).param).toBe('line 5');
    expect(accountIbanOf('37040044/532013000')).toBe('DE89370400440532013000');
    expect(accountIbanOf('DE89370400440532013000EUR')).toBe('DE89370400440532013000');
  });
});

describe('OFX', () => {
  test('STMTTRN records with FITID; a closing balance only', () => {
    const s = parseOfx(fixture('statement.ofx'));
    expect(s).toMatchObject({
      accountIban: 'DE89370400440532013000',
      from: '2026-11-01',
      to: '2026-11-30',
      closing: '600.00',
      opening: null,
    });
    expect(s.lines.map((l) => [l.bookingDate, l.amount, l.bankReference, l.counterpartyName, l.reference])).toEqual([
      ['2026-11-05', '119.00', 'FIT-1', 'Globex GmbH', 'INV-2026-000003'],
      ['2026-11-06', '-19.00', 'FIT-2', 'Bank fees', null],
    ]);
    expect(balanceCheck(s)).toBe('not_given');
    expect(refusal(() => parseOfx(Buffer.from('hello'))).param).toBe('line 1');
  });
});

describe('CSV through a mapping', () => {
  const mapping = {
    delimiter: ';',
    decimal: ',' as const,
    date_format: 'DD.MM.YYYY',
    encoding: 'windows-1252' as const,
    columns: {
      booking_date: 'Buchungstag',
      value_date: 'Valuta',
      amount: 'Betrag',
      currency: 'Währung',
      counterparty_name: 'Auftraggeber',
      counterparty_iban: 'IBAN',
      reference: 'Verwendungszweck',
      bank_reference: 'Ref',
    },
  };

  test('decimal comma, thousands dots, Windows-1252 text, identical rows kept apart', () => {
    const s = parseCsvStatement(fixture('bank-export-1252.csv'), mapping);
    expect(s.lines.map((l) => [l.bookingDate, l.amount, l.counterpartyName])).toEqual([
      ['2026-11-02', '1190.00', 'Müller GmbH'],
      ['2026-11-03', '-19.99', 'Gebühren'],
      ['2026-11-03', '-19.99', 'Gebühren'],
    ]);
    const keys = dedupKeys(s.lines);
    expect(keys[0]).toBe('ref:B1');
    expect(keys[1]).not.toBe(keys[2]);
  });

  test('a date that does not exist names its line', () => {
    const m = {
      delimiter: ',',
      decimal: '.' as const,
      date_format: 'YYYY-MM-DD',
      encoding: 'utf-8' as const,
      columns: { booking_date: 'date', amount: 'amount', reference: 'ref' },
    };
    expect(refusal(() => parseCsvStatement(fixture('bank-bad-date.csv'), m)).param).toBe('line 3');
  });

  test('amounts and dates as banks write them', () => {
    expect(csvAmount('1.234,56-', ',')).toBe('-1234.56');
    expect(csvAmount('(12.00)', '.')).toBe('-12.00');
    expect(csvAmount('abc', '.')).toBeNull();
    expect(dateParser('DD/MM/YY')('31/12/26')).toBe('2026-12-31');
    expect(dateParser('DD.MM.YYYY')('31.02.2026')).toBeNull();
  });
});
