import { describe, expect, test } from 'vitest';
import { labelsFor, languageOf, localeFormat } from './labels';

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

test('labels follow the language of the locale, English otherwise', () => {
  expect(languageOf('de-DE')).toBe('de');
  expect(languageOf('de-AT')).toBe('de');
  expect(languageOf('fr-CA')).toBe('fr');
  expect(languageOf('es-MX')).toBe('es');
  expect(languageOf('it-IT')).toBe('en');
  expect(languageOf('not a locale!')).toBe('en');
  expect(labelsFor('de-DE').invoice).toBe('Rechnung');
  expect(labelsFor('fr-FR').invoice).toBe('Facture');
  expect(labelsFor('es-ES').invoice).toBe('Factura');
  expect(labelsFor('en-GB').invoice).toBe('Invoice');
});

test('every dictionary has every label, none empty (unit names may be)', () => {
  const keys = (value: object, prefix = ''): string[] =>
    Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  const english = keys(labelsFor('en')).sort();
  for (const locale of ['de', 'fr', 'es']) {
    const labels = labelsFor(locale);
    expect(keys(labels).sort(), locale).toEqual(english);
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value === 'string') expect(value.length, `${locale}.${key}`).toBeGreaterThan(0);
    }
  }
});

describe('locale formatting of exact decimal strings', () => {
  test('money with the digits the server gave, in the locale', () => {
    expect(plain(localeFormat('de-DE').money('1234.50', 'EUR'))).toBe('1.234,50 €');
    expect(plain(localeFormat('en-US').money('1234.50', 'EUR'))).toBe('€1,234.50');
    expect(plain(localeFormat('fr-FR').money('1234.50', 'EUR'))).toBe('1 234,50 €');
    expect(plain(localeFormat('es-ES').money('-10.00', 'EUR'))).toBe('-10,00 €');
    expect(plain(localeFormat('en-US').money('1000', 'JPY'))).toBe('¥1,000');
    expect(plain(localeFormat('en-US').money('1.250', 'KWD'))).toBe('KWD 1.250');
  });

  test('amounts beyond a float’s precision print exactly', () => {
    expect(localeFormat('en-US').money('12345678901234567.89', 'EUR')).toBe('€12,345,678,901,234,567.89');
    expect(localeFormat('en-US').money('0.10', 'USD')).toBe('$0.10');
  });

  test('unit prices keep every given digit and at least the currency’s', () => {
    expect(plain(localeFormat('de-DE').unitPrice('0.125', 'EUR'))).toBe('0,125 €');
    expect(plain(localeFormat('de-DE').unitPrice('50', 'EUR'))).toBe('50,00 €');
    expect(plain(localeFormat('de-DE').unitPrice('1.500000', 'EUR'))).toBe('1,50 €');
  });

  test('quantities and percentages without trailing zeros, percentages not scaled', () => {
    expect(localeFormat('de-DE').quantity('2.500')).toBe('2,5');
    expect(localeFormat('en-US').quantity('1000000')).toBe('1,000,000');
    expect(plain(localeFormat('de-DE').percent('19.00'))).toBe('19 %');
    expect(localeFormat('en-US').percent('7.5')).toBe('7.5%');
  });

  test('business dates in the locale, never shifted by a time zone', () => {
    expect(localeFormat('de-DE').date('2026-02-03')).toBe('03.02.2026');
    expect(localeFormat('en-US').date('2026-02-03')).toBe('Feb 3, 2026');
    expect(localeFormat('fr-FR').date('2026-12-31')).toBe('31 déc. 2026');
    expect(localeFormat('es-ES').date('2026-01-01')).toBe('1 ene 2026');
  });

  test('country names in the locale', () => {
    expect(localeFormat('fr-FR').country('DE')).toBe('Allemagne');
    expect(localeFormat('de-DE').country('ES')).toBe('Spanien');
  });
});
