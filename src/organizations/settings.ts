import { isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { AddressIn, Currency, decimalIn, Email, IsoDate, PeppolId } from '../platform/schemas';

export const DEFAULT_LEDGER_ACCOUNTS = {
  bank: '1000',
  receivables: '1200',
  tax_payable: '2200',
  customer_credit: '2300',
  revenue: '4000',
  write_off: '6800',
  bad_debt: '6900',
  opening_balance: '9000',
} as const;
export type LedgerAccountKey = keyof typeof DEFAULT_LEDGER_ACCOUNTS;

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Must be an IANA time zone, like "Europe/Berlin".' },
);

const Locale = z.string().refine(
  (l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1;
    } catch {
      return false;
    }
  },
  { message: 'Must be a BCP 47 locale, like "de-DE".' },
);

const NumberFormat = z
  .string()
  .max(60)
  .refine((f) => /\{seq(:\d{1,2})?\}/.test(f), {
    message: 'Must contain {seq} or {seq:N}, like "INV-{YYYY}-{seq:6}".',
  });

const Iban = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .refine(isValidIBAN, { message: 'Must be a valid IBAN.' });
const Bic = z.string().refine(isValidBIC, { message: 'Must be a valid BIC.' });
const AccountCode = z.string().min(1).max(20);

const DatevSettings = z.object({
  consultant_number: z.number().int().min(1001).max(9999999).nullable().meta({ description: 'Beraternummer' }),
  client_number: z.number().int().min(1).max(99999).nullable().meta({ description: 'Mandantennummer' }),
  fiscal_year_start: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Must be "MM-DD", like "01-01".')
    .meta({ description: 'Wirtschaftsjahresbeginn, "MM-DD"' }),
  account_length: z.number().int().min(4).max(8).meta({ description: 'Sachkontenlänge' }),
  debtor_account_start: z.number().int().min(1).nullable().meta({
    description: 'First debtor account number given to customers; default 10^account_length',
  }),
});

/** Organization settings as stored and served (API.md "Settings"). */
export const SettingsSchema = z.object({
  legal_name: z.string().min(1).max(200),
  address: AddressIn.nullable(),
  tax_id: z.string().max(40).nullable(),
  iban: Iban.nullable(),
  bic: Bic.nullable(),
  email: Email.nullable(),
  phone: z.string().max(40).nullable(),
  peppol_id: PeppolId.nullable(),
  base_currency: Currency,
  locale: Locale,
  time_zone: TimeZone,
  payment_terms_days: z.number().int().min(0).max(3650),
  invoice_number_format: NumberFormat,
  invoice_number_start: z.number().int().min(1),
  credit_note_number_format: NumberFormat,
  enforce_chronological_numbering: z.boolean(),
  write_off_limit: decimalIn({ nonNegative: true }),
  branding: z.object({
    accent_color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'Must be a color like "#1f6feb".')
      .nullable(),
    footer: z.string().max(1000).nullable(),
  }),
  ledger_accounts: z.object({
    bank: AccountCode,
    receivables: AccountCode,
    tax_payable: AccountCode,
    customer_credit: AccountCode,
    revenue: AccountCode,
    write_off: AccountCode,
    bad_debt: AccountCode,
    opening_balance: AccountCode,
  }),
  books_closed_through: IsoDate.nullable().meta({
    description: 'Nothing may be dated on or before this day (409 period_closed); moves only forward unless reopen',
  }),
  datev: DatevSettings,
  late_fee_tax_rate: z.string().max(100).nullable().meta({
    description: 'The tax rate of late-fee invoices (a reminder policy with a late fee needs one)',
  }),
  xero: z.object({
    receivables_clearing_account: AccountCode.nullable().meta({
      description: 'Xero account code that takes the receivables lines of a Xero export (Xero refuses its own AR)',
    }),
  }),
  lead_form_key: z.string().nullable().meta({
    description: 'Read-only: the key of the public lead form (POST /settings/lead_form_key/rotate replaces it)',
  }),
  lead_form_redirect_url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .meta({
      description: 'Where a browser posting the lead form is sent (303) after it was taken',
    }),
});
export type Settings = z.output<typeof SettingsSchema>;

export const SettingsPatch = SettingsSchema.partial().extend({
  branding: SettingsSchema.shape.branding.partial().optional(),
  ledger_accounts: SettingsSchema.shape.ledger_accounts.partial().optional(),
  datev: DatevSettings.partial().optional(),
  xero: SettingsSchema.shape.xero.partial().optional(),
  reopen: z.boolean().optional().meta({
    description: 'With an earlier books_closed_through (or null): reopen a closed period',
  }),
});
export type SettingsPatch = z.output<typeof SettingsPatch>;

export function defaultSettings(legalName: string, currency: string, timeZone: string): Settings {
  return {
    legal_name: legalName,
    address: null,
    tax_id: null,
    iban: null,
    bic: null,
    email: null,
    phone: null,
    peppol_id: null,
    base_currency: currency,
    locale: 'en-US',
    time_zone: timeZone,
    payment_terms_days: 30,
    invoice_number_format: 'INV-{YYYY}-{seq:6}',
    invoice_number_start: 1,
    credit_note_number_format: 'CN-{YYYY}-{seq:6}',
    enforce_chronological_numbering: false,
    write_off_limit: '5',
    branding: { accent_color: '#1f6feb', footer: null },
    ledger_accounts: { ...DEFAULT_LEDGER_ACCOUNTS },
    books_closed_through: null,
    datev: DEFAULT_DATEV,
    xero: { receivables_clearing_account: null },
    lead_form_key: null,
    lead_form_redirect_url: null,
    late_fee_tax_rate: null,
  };
}

const DEFAULT_DATEV = {
  consultant_number: null,
  client_number: null,
  fiscal_year_start: '01-01',
  account_length: 4,
  debtor_account_start: null,
};

/** Settings with a patch applied; nested objects merge. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const { reopen: _reopen, ...fields } = patch;
  return {
    ...current,
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    branding: { ...current.branding, ...patch.branding },
    ledger_accounts: { ...current.ledger_accounts, ...patch.ledger_accounts },
    datev: { ...current.datev, ...patch.datev },
    xero: { ...current.xero, ...patch.xero },
  } as Settings;
}

/** Settings read from storage, with defaults for keys added since they were written. */
export function readSettings(stored: unknown): Settings {
  const s = stored as Partial<Settings> & { legal_name: string; base_currency: string; time_zone?: string };
  const base = defaultSettings(s.legal_name, s.base_currency, s.time_zone ?? 'UTC');
  return {
    ...base,
    ...s,
    branding: { ...base.branding, ...s.branding },
    ledger_accounts: { ...base.ledger_accounts, ...s.ledger_accounts },
    datev: { ...base.datev, ...s.datev },
    xero: { ...base.xero, ...s.xero },
  };
}
