import { describe, expect, test } from 'vitest';
import { paymentReferenceOf } from '../invoicing/payment-reference';
import { dec } from '../money/money';
import { automaticConfirmation, MatchBook, nameSimilarity, type OpenInvoice, suggest, uniqueSubset } from './matching';

const inv = (
  id: string,
  number: string,
  customerId: string,
  amountDue: string,
  dueDate = '2026-10-01',
): OpenInvoice => ({
  id,
  number,
  customerId,
  currency: 'EUR',
  amountDue,
  dueDate,
});
const customers = [
  { id: 'acme', name: 'Acme GmbH', ibans: ['DE02120300000000202051'] },
  { id: 'globex', name: 'Globex Ltd', ibans: [] },
];
const line = (
  amount: string,
  extra: Partial<{ reference: string; counterpartyName: string; counterpartyIban: string }> = {},
) => ({
  amount,
  currency: 'EUR',
  counterpartyName: null,
  counterpartyIban: null,
  reference: null,
  endToEndId: null,
  ...extra,
});

describe('matching tiers', () => {
  test('an exact RF reference with the amount due is tier 1 and confirmed automatically', () => {
    const book = new MatchBook([inv('i1', 'INV-2026-000123', 'acme', '1190.00')], customers);
    const rf = paymentReferenceOf('INV-2026-000123')!;
    const s = suggest(
      line('1190.00', { reference: `Payment ${rf.slice(0, 4)} ${rf.slice(4, 8)} ${rf.slice(8)}` }),
      book,
      '5',
    );
    expect(s[0]).toMatchObject({
      rank: 1,
      confidence: 0.99,
      customer: 'acme',
      invoices: [{ invoice: 'i1', amount: '1190.00' }],
    });
    expect(s[0]!.reasons).toEqual([
      `${rf} is the reference of INV-2026-000123`,
      'amount 1,190.00 equals their amount due',
    ]);
    expect(automaticConfirmation(s)).toBe(s[0]);
  });

  test('an RF reference with a wrong check digit is no reference', () => {
    const book = new MatchBook([inv('i1', 'INV-7', 'acme', '10.00'), inv('i2', 'INV-8', 'acme', '10.00')], customers);
    const rf = paymentReferenceOf('INV-7')!;
    const broken = `RF${rf[2] === '9' ? '0' : '9'}${rf.slice(3)}`;
    expect(suggest(line('10.00', { reference: broken }), book, '5')).toEqual([]);
  });

  test('INV-1 never matches INV-10; two numbers in one remittance pay both', () => {
    const book = new MatchBook(
      [inv('i10', 'INV-10', 'acme', '50.00'), inv('i1', 'INV-1', 'acme', '20.00', '2026-09-01')],
      customers,
    );
    expect(suggest(line('50.00', { reference: 'INV-1' }), book, '0')[0]!.invoices).toEqual([
      { invoice: 'i1', amount: '20.00' },
    ]);
    const both = suggest(line('70.00', { reference: 'INV-1, INV-10' }), book, '5');
    expect(both[0]).toMatchObject({ confidence: 0.99, invoices: [{ invoice: 'i1' }, { invoice: 'i10' }] });
  });

  test('200.00 against 500.00 is a suggested partial payment; 999.50 against 1,000.00 suggests a 0.50 write-off', () => {
    const book = new MatchBook([inv('a', 'A-1', 'acme', '500.00'), inv('b', 'B-1', 'globex', '1000.00')], customers);
    const partial = suggest(line('200.00', { reference: 'A-1' }), book, '5');
    expect(partial[0]).toMatchObject({
      confidence: 0.9,
      invoices: [{ invoice: 'a', amount: '200.00' }],
      write_off: null,
    });
    expect(automaticConfirmation(partial)).toBeNull();
    const short = suggest(line('999.50', { reference: 'B-1' }), book, '5');
    expect(short[0]).toMatchObject({
      confidence: 0.9,
      invoices: [{ invoice: 'b', amount: '999.50' }],
      write_off: { amount: '0.50' },
    });
    expect(suggest(line('900.00', { reference: 'B-1' }), book, '5')[0]!.write_off).toBeNull();
  });

  test('a known IBAN with one fitting open invoice is suggested, not confirmed', () => {
    const book = new MatchBook([inv('a', 'A-1', 'acme', '80.00'), inv('b', 'A-2', 'acme', '30.00')], customers);
    const s = suggest(line('80.00', { counterpartyIban: 'DE02120300000000202051' }), book, '5');
    expect(s[0]).toMatchObject({ confidence: 0.8, invoices: [{ invoice: 'a' }] });
    expect(s[0]!.reasons[0]).toBe('IBAN DE02120300000000202051 paid Acme GmbH before');
    expect(automaticConfirmation(s)).toBeNull();
    const set = suggest(line('110.00', { counterpartyIban: 'DE02120300000000202051' }), book, '5');
    expect(set[0]!.invoices.map((i) => i.invoice)).toEqual(['a', 'b']);
  });

  test('two equal candidates are never confirmed automatically', () => {
    const book = new MatchBook([inv('a', 'A-1', 'acme', '10.00'), inv('g', 'G-1', 'globex', '10.00')], customers);
    const s = suggest(line('10.00', { reference: 'A-1 G-1' }), book, '5');
    expect(s.filter((x) => x.confidence === 0.99)).toHaveLength(2);
    expect(automaticConfirmation(s)).toBeNull();
  });

  test('a similar name (legal forms, accents, case ignored) with a fitting amount is tier 4; a unique amount tier 5', () => {
    expect(nameSimilarity('ACME G.m.b.H', 'Acme GmbH')).toBe(1);
    const book = new MatchBook([inv('g', 'G-1', 'globex', '42.00'), inv('x', 'X-1', 'acme', '77.00')], customers);
    expect(suggest(line('42.00', { counterpartyName: 'GLOBEX LIMITED' }), book, '5')[0]).toMatchObject({
      confidence: 0.6,
    });
    expect(suggest(line('77.00'), book, '5')[0]).toMatchObject({ confidence: 0.4, invoices: [{ invoice: 'x' }] });
  });

  test('a set of invoices counts only when it is the one set of that amount', () => {
    const invs = [inv('a', 'A', 'c', '1.00'), inv('b', 'B', 'c', '2.00'), inv('d', 'D', 'c', '3.00')];
    expect(uniqueSubset(invs, dec('5.00'))!.map((i) => i.id)).toEqual(['b', 'd']);
    expect(uniqueSubset(invs, dec('3.00'))!.map((i) => i.id)).toEqual(['a', 'b']);
    expect(uniqueSubset([...invs, inv('e', 'E', 'c', '4.00')], dec('5.00'))).toBeNull();
  });
});
