import { describe, expect, test } from 'vitest';
import { isCreditorReference } from '../documents/epc-qr';
import { parseCreditorReference, paymentReferenceOf, referenceBody } from './payment-reference';

describe('ISO 11649 payment references', () => {
  test('the standard example RF18539007547034 is valid, with a wrong check digit it is not', () => {
    expect(parseCreditorReference('RF18 5390 0754 7034')).toBe('RF18539007547034');
    expect(parseCreditorReference('RF19539007547034')).toBeNull();
    expect(parseCreditorReference('INV-1')).toBeNull();
  });

  test('the body of 539007547034 gets the check digits 18', () => {
    expect(paymentReferenceOf('539007547034')).toBe('RF18539007547034');
  });

  test('an invoice number keeps its letters and digits, upper case', () => {
    const rf = paymentReferenceOf('inv-2026-000123')!;
    expect(rf.slice(4)).toBe('INV2026000123');
    expect(parseCreditorReference(rf)).toBe(rf);
    expect(isCreditorReference(rf)).toBe(true);
  });

  test('a number longer than 21 letters and digits uses its last 21', () => {
    expect(referenceBody('ABCDEFGHIJ-0123456789-XYZ')).toBe('CDEFGHIJ0123456789XYZ');
    const rf = paymentReferenceOf('ABCDEFGHIJ-0123456789-XYZ')!;
    expect(rf).toHaveLength(25);
    expect(parseCreditorReference(rf)).not.toBeNull();
  });

  test('every reference made is valid and one changed character makes it invalid', () => {
    for (const n of ['1', 'A', 'INV-2026-000001', 'X/99/2026', 'ZZZZZZZZZZZZZZZZZZZZZ']) {
      const rf = paymentReferenceOf(n)!;
      expect(parseCreditorReference(rf)).toBe(rf);
      const last = rf.at(-1)!;
      const changed = rf.slice(0, -1) + (last === '0' ? '1' : '0');
      expect(parseCreditorReference(changed)).toBeNull();
    }
    expect(paymentReferenceOf('---')).toBeNull();
  });
});
