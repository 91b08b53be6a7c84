// ISO 11649 creditor references ("RF" + 2 check digits + up to 21 letters or digits), built from invoice numbers.

const MAX_BODY = 21;

/** mod 97 of the number the characters spell when letters count as 10..35 (ISO 7064 MOD 97-10). */
function mod97(text: string): number {
  let remainder = 0;
  for (const ch of text) {
    const value = Number.parseInt(ch, 36);
    if (value >= 10) remainder = (remainder * 100 + value) % 97;
    else remainder = (remainder * 10 + value) % 97;
  }
  return remainder;
}

/** The letters and digits of a text, upper case: what an RF reference carries of an invoice number. */
export function referenceBody(number: string): string {
  const compact = number.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return compact.length > MAX_BODY ? compact.slice(-MAX_BODY) : compact;
}

/** The RF reference of an invoice number (`INV-2026-000123` → `RF..INV2026000123`); null when it has no letters or digits. */
export function paymentReferenceOf(number: string): string | null {
  const body = referenceBody(number);
  if (body.length === 0) return null;
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

/** A valid RF reference in compact upper-case form (spaces removed), or null when the text is not one. */
export function parseCreditorReference(text: string): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(compact)) return null;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1 ? compact : null;
}
