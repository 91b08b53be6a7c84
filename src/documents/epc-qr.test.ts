import { describe, expect, test } from 'vitest';
import {
  buildEpcPayload,
  EPC_MAX_PAYLOAD_BYTES,
  type EpcPayment,
  EpcQrError,
  epcPaymentFor,
  epcQrMatrix,
  epcQrPng,
  isCreditorReference,
} from './epc-qr';
import { sampleInvoice } from './sample-documents';

const payment: EpcPayment = {
  bic: 'COBADEFFXXX',
  beneficiaryName: 'Arbor Beispiel GmbH',
  iban: 'DE89 3704 0044 0532 0130 00',
  amount: '1234.50',
  reference: null,
  text: 'INV-2026-000042',
};

describe('EPC069-12 payload', () => {
  test('has the fields in order: service tag, version 002, UTF-8, SCT, BIC, name, IBAN, amount, purpose, reference, text', () => {
    const lines = buildEpcPayload(payment).split('\n');
    expect(lines).toEqual([
      'BCD',
      '002',
      '1',
      'SCT',
      'COBADEFFXXX',
      'Arbor Beispiel GmbH',
      'DE89370400440532013000',
      'EUR1234.50',
      '',
      '',
      'INV-2026-000042',
    ]);
  });

  test('an ISO 11649 creditor reference goes to the structured field, the text field stays out', () => {
    const lines = buildEpcPayload({ ...payment, reference: 'RF18 5390 0754 7034', text: null }).split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('');
    expect(lines[9]).toBe('RF18539007547034');
  });

  test('a reference that is not a creditor reference is sent as remittance text', () => {
    const lines = buildEpcPayload({ ...payment, reference: 'INV-7', text: null }).split('\n');
    expect(lines[9]).toBe('');
    expect(lines[10]).toBe('INV-7');
  });

  test('the BIC is optional in version 002: its line stays empty', () => {
    const lines = buildEpcPayload({ ...payment, bic: null }).split('\n');
    expect(lines[1]).toBe('002');
    expect(lines[4]).toBe('');
  });

  test('lines are joined with LF, with no trailing line break', () => {
    const payload = buildEpcPayload(payment);
    expect(payload).not.toContain('\r');
    expect(payload.endsWith('\n')).toBe(false);
  });

  test('amounts: EUR, a dot, two decimals, from 0.01 to 999999999.99', () => {
    const amountLine = (amount: string) => buildEpcPayload({ ...payment, amount }).split('\n')[7];
    expect(amountLine('0.01')).toBe('EUR0.01');
    expect(amountLine('12.3')).toBe('EUR12.30');
    expect(amountLine('007')).toBe('EUR7.00');
    expect(amountLine('999999999.99')).toBe('EUR999999999.99');
    expect(amountLine('999999999.99')?.length).toBe(3 + 12);
    for (const bad of ['0.00', '0', '1000000000.00', '1.234', '-5.00', '1,50', '1e3', '']) {
      expect(() => buildEpcPayload({ ...payment, amount: bad }), bad).toThrow(EpcQrError);
    }
  });

  test('the beneficiary name is cut to 70 characters and the text to 140, on one line each', () => {
    const lines = buildEpcPayload({
      ...payment,
      beneficiaryName: `Very Long Company Name\nWith A Second Line ${'x'.repeat(100)}`,
      text: `Invoice ${'y'.repeat(200)}`,
    }).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[5]?.length).toBe(70);
    expect(lines[5]?.startsWith('Very Long Company Name With A Second Line')).toBe(true);
    expect(lines[10]?.length).toBe(140);
  });

  test('counts characters, not bytes, and still keeps the whole payload within 331 bytes', () => {
    const payload = buildEpcPayload({ ...payment, beneficiaryName: 'Ł'.repeat(80), text: '€'.repeat(200) });
    const lines = payload.split('\n');
    expect(Array.from(lines[5] ?? '')).toHaveLength(70);
    expect(Buffer.byteLength(payload, 'utf8')).toBeLessThanOrEqual(EPC_MAX_PAYLOAD_BYTES);
    expect(lines[10]?.length).toBeGreaterThan(0);
  });

  test('refuses an invalid IBAN or BIC and an empty name', () => {
    expect(() => buildEpcPayload({ ...payment, iban: 'DE89370400440532013001' })).toThrow(EpcQrError);
    expect(() => buildEpcPayload({ ...payment, bic: 'NOTABIC!' })).toThrow(EpcQrError);
    expect(() => buildEpcPayload({ ...payment, beneficiaryName: '  \n ' })).toThrow(EpcQrError);
  });
});

test('ISO 11649 creditor references are checked with mod 97', () => {
  expect(isCreditorReference('RF18539007547034')).toBe(true);
  expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
  expect(isCreditorReference('rf18539007547034')).toBe(true);
  expect(isCreditorReference('RF19539007547034')).toBe(false);
  expect(isCreditorReference('RF18')).toBe(false);
  expect(isCreditorReference('INV-2026-000042')).toBe(false);
});

describe('which invoices get a QR code', () => {
  test('a posted EUR invoice with an IBAN and an amount due pays the amount due to the seller', () => {
    const invoice = sampleInvoice(3);
    expect(epcPaymentFor(invoice, 'RF18539007547034')).toEqual({
      bic: 'COBADEFFXXX',
      beneficiaryName: 'Arbor Beispiel GmbH',
      iban: 'DE89370400440532013000',
      amount: '257.00',
      reference: 'RF18539007547034',
      text: null,
    });
    expect(epcPaymentFor(invoice, '')?.text).toBe('INV-2026-000042');
  });

  test('none for another currency, no IBAN, nothing due, a draft or a void invoice', () => {
    const invoice = sampleInvoice(3);
    expect(epcPaymentFor({ ...invoice, currency: 'USD' }, 'x')).toBeNull();
    expect(epcPaymentFor({ ...invoice, seller_snapshot: { ...invoice.seller_snapshot, iban: null } }, 'x')).toBeNull();
    expect(epcPaymentFor({ ...invoice, amount_due: '0.00', status: 'paid' }, 'x')).toBeNull();
    expect(epcPaymentFor({ ...invoice, number: null, status: 'draft' }, 'x')).toBeNull();
    expect(epcPaymentFor({ ...invoice, status: 'void' }, 'x')).toBeNull();
  });
});

test('the QR code is a PNG, and a symbol small enough for a bank app (EPC: at most version 13, level M)', async () => {
  const payload = buildEpcPayload({ ...payment, beneficiaryName: 'Ł'.repeat(70), text: '€'.repeat(140) });
  const png = await epcQrPng(payload);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const { size } = epcQrMatrix(payload);
  expect((size - 17) / 4).toBeLessThanOrEqual(13);
});
