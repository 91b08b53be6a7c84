/**
 * Reads a number the way the user types it in their locale ("1.450,00" and "12,5" in German, "1,450.00" in
 * English, "1 450,00" in French, a pasted "1.450,00 €") and gives the API's decimal string ("1450.00", "12.5"), or
 * null when the text is not a number. Pure string work: never a JS number, so no digit is lost.
 */
export function separatorsOf(locale: string): { group: string; decimal: string } {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  } catch {
    parts = new Intl.NumberFormat('en').formatToParts(1234567.5);
  }
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

const SPACES = /[\s\u00a0\u202f\u2009']/g;

export function parseLocaleDecimal(text: string, locale: string): string | null {
  let t = text.trim();
  if (t === '') return null;
  // A pasted amount may carry a currency sign or code and a minus sign of another shape.
  t = t
    .replace(/[€$£¥₹]|[A-Z]{3}/g, '')
    .replace(/[\u2212\u2013]/g, '-')
    .trim();
  let negative = false;
  if (t.startsWith('-')) {
    negative = true;
    t = t.slice(1).trim();
  } else if (t.endsWith('-')) {
    negative = true;
    t = t.slice(0, -1).trim();
  }
  const { decimal } = separatorsOf(locale);
  t = t.replace(SPACES, '');
  if (!/^[\d.,]+$/.test(t)) return null;
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let decimalMark: string | null;
  if (dots > 0 && commas > 0) {
    // Both: the last one is the decimal mark ("1.450,00", "1,450.00").
    decimalMark = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
  } else if (dots + commas === 0) {
    decimalMark = null;
  } else {
    const mark = dots > 0 ? '.' : ',';
    const count = dots + commas;
    const after = t.length - t.lastIndexOf(mark) - 1;
    if (count > 1)
      decimalMark = null; // "1.450.000": groups only
    else if (mark === decimal)
      decimalMark = mark; // the locale's own decimal mark: "12,5" in German
    else if (after === 3)
      decimalMark = null; // the other mark with three digits after: a group ("1.450" in German)
    else decimalMark = mark; // "12.5" typed in German: a decimal point anyway
  }
  const groupMark = decimalMark === '.' ? ',' : decimalMark === ',' ? '.' : null;
  let intPart = t;
  let fracPart = '';
  if (decimalMark) {
    const at = t.lastIndexOf(decimalMark);
    intPart = t.slice(0, at);
    fracPart = t.slice(at + 1);
    if (!/^\d*$/.test(fracPart)) return null;
  }
  // Groups must be of three digits after the first.
  const groups = groupMark ? intPart.split(groupMark) : intPart.split(/[.,]/);
  if (groups.length > 1 && (groups.slice(1).some((g) => g.length !== 3) || groups[0] === '')) return null;
  intPart = groups.join('');
  if (!/^\d*$/.test(intPart) || (intPart === '' && fracPart === '')) return null;
  intPart = intPart.replace(/^0+(?=\d)/, '') || '0';
  const value = fracPart ? `${intPart}.${fracPart}` : intPart;
  return negative && !/^0(\.0*)?$/.test(value) ? `-${value}` : value;
}
