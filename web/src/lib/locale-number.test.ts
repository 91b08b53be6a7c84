import { describe, expect, test } from 'vitest';
import { parseLocaleDecimal } from './locale-number';

describe('parseLocaleDecimal', () => {
  test('German: dots group, the comma is the decimal mark', () => {
    expect(parseLocaleDecimal('1.450,00', 'de-DE')).toBe('1450.00');
    expect(parseLocaleDecimal('12,5', 'de-DE')).toBe('12.5');
    expect(parseLocaleDecimal('2.000,00', 'de-DE')).toBe('2000.00');
    expect(parseLocaleDecimal('1.450', 'de-DE')).toBe('1450');
    expect(parseLocaleDecimal('1.450.000', 'de-DE')).toBe('1450000');
    expect(parseLocaleDecimal('0,000001', 'de-DE')).toBe('0.000001');
    expect(parseLocaleDecimal('12.5', 'de-DE')).toBe('12.5');
  });

  test('English: commas group, the dot is the decimal mark', () => {
    expect(parseLocaleDecimal('1,450.00', 'en-US')).toBe('1450.00');
    expect(parseLocaleDecimal('1,450', 'en-US')).toBe('1450');
    expect(parseLocaleDecimal('12.5', 'en-US')).toBe('12.5');
    expect(parseLocaleDecimal('12,5', 'en-US')).toBe('12.5');
  });

  test('French and Swiss spaces and apostrophes; pasted amounts with currency signs and minus signs', () => {
    expect(parseLocaleDecimal('1\u202f450,00', 'fr-FR')).toBe('1450.00');
    expect(parseLocaleDecimal("1'450.00", 'de-CH')).toBe('1450.00');
    expect(parseLocaleDecimal('1.450,00\u00a0€', 'de-DE')).toBe('1450.00');
    expect(parseLocaleDecimal('€1,450.00', 'en-US')).toBe('1450.00');
    expect(parseLocaleDecimal('-20,32 €', 'de-DE')).toBe('-20.32');
    expect(parseLocaleDecimal('\u221220.32', 'en-US')).toBe('-20.32');
    expect(parseLocaleDecimal('1450.00 EUR', 'en-US')).toBe('1450.00');
  });

  test('digits are kept exactly, beyond what a JS number holds', () => {
    expect(parseLocaleDecimal('12.345.678.901.234.567,891', 'de-DE')).toBe('12345678901234567.891');
    expect(parseLocaleDecimal('007', 'en')).toBe('7');
  });

  test('not numbers: null', () => {
    for (const t of ['', 'abc', '1,2,3', '1.45.0', ',', '12,5x', '1..2', '.'])
      expect(parseLocaleDecimal(t, 'de-DE'), t).toBeNull();
  });
});
