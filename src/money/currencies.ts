import currencyCodes from 'currency-codes';

// Precious metals, testing and fund codes are not currencies anyone invoices in.
const NOT_INVOICEABLE = new Set([
  'XAU',
  'XAG',
  'XPT',
  'XPD',
  'XTS',
  'XXX',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
]);

/** True for an ISO 4217 code, upper case, that a business can invoice in. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && !NOT_INVOICEABLE.has(code) && currencyCodes.code(code) !== undefined;
}

/** ISO 4217 minor-unit digits (EUR 2, JPY 0, KWD 3): the one table. */
export function minorUnits(currency: string): number {
  const entry = currencyCodes.code(currency);
  if (!entry) throw new Error(`Unknown currency ${currency}`);
  return entry.digits;
}
