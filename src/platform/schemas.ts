import countries from 'i18n-iso-countries';
import { z } from 'zod';
import { isCurrency } from '../money/currencies';
import { decimalPlaces, decimalText } from '../money/money';

/** Digit limits of every decimal input: exact or refused, never silently rounded (README "Security"). */
export const MAX_INTEGER_DIGITS = 15;
export const MAX_DECIMAL_PLACES = 10;

/** An exact decimal in JSON: a string, or a number of at most 15 significant digits; comes out as its decimal text. */
export const DecimalIn = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const text = decimalText(value);
    if (text === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Must be an exact decimal, as a string like "12.50".' });
      return z.NEVER;
    }
    const integerDigits = (text.replace(/^[-+]/, '').split('.')[0] ?? '').replace(/^0+/, '').length;
    if (integerDigits > MAX_INTEGER_DIGITS || decimalPlaces(text) > MAX_DECIMAL_PLACES) {
      ctx.addIssue({
        code: 'custom',
        message: `At most ${MAX_INTEGER_DIGITS} digits before the decimal point and ${MAX_DECIMAL_PLACES} after it.`,
      });
      return z.NEVER;
    }
    return text;
  })
  .meta({
    description: 'Exact decimal as a string ("1234.50"); JSON numbers of at most 15 significant digits are accepted.',
  });

/** A decimal with at most `places` digits after the point, at least zero unless signed. */
export function decimalIn(opts: { places?: number; nonNegative?: boolean; positive?: boolean } = {}) {
  return DecimalIn.superRefine((text, ctx) => {
    if (opts.places !== undefined && decimalPlaces(text) > opts.places)
      ctx.addIssue({ code: 'custom', message: `At most ${opts.places} decimal places.` });
    if (opts.nonNegative && text.startsWith('-')) ctx.addIssue({ code: 'custom', message: 'Must not be negative.' });
    if (opts.positive && (text.startsWith('-') || /^0*(\.0*)?$/.test(text)))
      ctx.addIssue({ code: 'custom', message: 'Must be greater than zero.' });
  });
}

export const DecimalOut = z.string().meta({ description: 'Exact decimal as a string' });

export const Currency = z
  .string()
  .refine(isCurrency, { message: 'Must be an ISO 4217 currency code in upper case, like "EUR".' })
  .meta({ description: 'ISO 4217 currency code', example: 'EUR' });

export const Country = z.string().refine((c) => /^[A-Z]{2}$/.test(c) && countries.isValid(c), {
  message: 'Must be an ISO 3166-1 alpha-2 country code in upper case, like "DE".',
});

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date as YYYY-MM-DD.')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'Must be a real calendar date.',
    },
  );

export const Email = z.email({ message: 'Must be an email address.' });

export const AddressIn = z.object({
  line1: z.string().max(200).nullish(),
  line2: z.string().max(200).nullish(),
  city: z.string().max(100).nullish(),
  postal_code: z.string().max(20).nullish(),
  region: z.string().max(100).nullish(),
  country: Country.nullish(),
});
export const AddressOut = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  city: z.string().nullable(),
  postal_code: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
});
export type Address = z.infer<typeof AddressOut>;

export const PeppolId = z.object({
  scheme: z.string().regex(/^\d{4}$/, 'Must be a 4-digit ICD scheme, like "0088".'),
  id: z.string().min(1).max(100),
});

export const IdParam = z.object({ id: z.string().min(1).max(100) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean() });
}

export const ErrorOut = z.object({
  error: z.object({ type: z.string(), code: z.string(), message: z.string(), param: z.string().nullable() }),
});

export function normalizeAddress(a: z.infer<typeof AddressIn> | null | undefined): Address | null {
  if (!a) return null;
  return {
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    city: a.city ?? null,
    postal_code: a.postal_code ?? null,
    region: a.region ?? null,
    country: a.country ?? null,
  };
}

/** The API name of a row field for an event's `changed` list: `ownerId` → `owner`, `postalCode` → `postal_code`. */
export function apiFieldName(column: string): string {
  return column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/_id$/, '');
}
