/** Choices the browser already knows: ISO 4217 currencies and IANA time zones. */
export function currencyOptions(): string[] {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
  }
}

export function timeZoneOptions(): string[] {
  try {
    return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  } catch {
    return ['UTC'];
  }
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const ROLES = [
  { value: 'admin', label: 'Admin: everything, users, keys, settings' },
  { value: 'finance', label: 'Finance: documents, payments, catalog' },
  { value: 'sales', label: 'Sales: own customers and their drafts' },
  { value: 'viewer', label: 'Viewer: reads only' },
] as const;
