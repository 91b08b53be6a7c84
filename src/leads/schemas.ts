import { z } from 'zod';
import { Country, Currency, DecimalOut, decimalIn, Email, IsoDate } from '../platform/schemas';
import type { leads } from './tables';

export const LeadSource = z.enum(['manual', 'web_form', 'import', 'referral', 'event', 'other']);
export const LeadStatus = z.enum(['new', 'working', 'qualified', 'disqualified', 'converted']);

/** The fields a lead form may carry (the public web form takes exactly these). */
export const LeadFormFields = {
  name: z.string().trim().max(200).nullish(),
  company: z.string().trim().max(200).nullish(),
  email: Email.nullish(),
  phone: z.string().max(40).nullish(),
  title: z.string().max(200).nullish(),
  website: z.string().max(500).nullish(),
  country: Country.nullish(),
  region: z.string().max(100).nullish(),
  postal_code: z.string().max(20).nullish(),
  industry: z.string().max(100).nullish(),
  employees: z.coerce.number().int().min(0).max(10_000_000).nullish(),
  notes: z.string().max(5000).nullish(),
};

export const LeadIn = z
  .object({
    ...LeadFormFields,
    source: LeadSource.optional(),
    status: z.enum(['new', 'working', 'qualified']).optional(),
    owner: z.string().max(100).nullish(),
    territory: z.string().max(100).nullish(),
    estimated_value: decimalIn({ nonNegative: true }).nullish(),
    currency: Currency.nullish(),
  })
  .refine((l) => !!(l.name || l.company), { message: 'A lead needs a name or a company.', path: ['name'] });
export type LeadIn = z.output<typeof LeadIn>;
export const LeadPatch = z.object({
  ...LeadFormFields,
  source: LeadSource.optional(),
  status: z.enum(['new', 'working', 'qualified']).optional(),
  owner: z.string().max(100).nullish(),
  territory: z.string().max(100).nullish(),
  estimated_value: decimalIn({ nonNegative: true }).nullish(),
  currency: Currency.nullish(),
});
export type LeadPatch = z.output<typeof LeadPatch>;

export const PublicLeadIn = z.object({ ...LeadFormFields, website_url: z.string().max(500).optional() });

export const LeadListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  status: LeadStatus.optional(),
  owner: z.string().max(100).optional(),
  territory: z.string().max(100).optional(),
  source: LeadSource.optional(),
  search: z.string().max(200).optional(),
  min_score: z.coerce.number().int().min(0).max(100).optional(),
});
export type LeadListQuery = z.output<typeof LeadListQuery>;

export const DisqualifyIn = z.object({ reason: z.string().trim().min(1, 'Say why.').max(500) });
export const ConvertIn = z.object({
  customer: z.string().max(100).optional(),
  opportunity: z
    .object({
      name: z.string().trim().min(1).max(200),
      amount: decimalIn({ nonNegative: true }).optional(),
      close_date: IsoDate,
      stage: z.string().max(100).optional(),
    })
    .nullish(),
});
export type ConvertIn = z.output<typeof ConvertIn>;

export const ScoringRuleIn = z.object({
  id: z.string().max(100).optional(),
  field: z.enum([
    'name',
    'company',
    'email',
    'phone',
    'title',
    'website',
    'country',
    'region',
    'postal_code',
    'industry',
    'employees',
    'source',
    'estimated_value',
    'currency',
  ]),
  operator: z.enum(['equals', 'in', 'gte', 'lte', 'present', 'contains']),
  value: z
    .union([z.string().max(200), z.number(), z.array(z.union([z.string().max(200), z.number()])).max(100)])
    .nullish(),
  points: z.number().int().min(-100).max(100),
});
export const LeadScoringIn = z.object({ rules: z.array(ScoringRuleIn).max(100) });
export const LeadScoringOut = z.object({
  rules: z.array(
    z.object({
      id: z.string(),
      field: z.string(),
      operator: z.string(),
      value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).nullable(),
      points: z.number().int(),
    }),
  ),
});

export const LeadOut = z.object({
  id: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  website: z.string().nullable(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  postal_code: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().int().nullable(),
  source: LeadSource,
  status: LeadStatus,
  disqualify_reason: z.string().nullable(),
  owner: z.string().nullable(),
  territory: z.string().nullable(),
  score: z.number().int(),
  score_reasons: z.array(z.object({ rule: z.string(), points: z.number().int() })),
  estimated_value: DecimalOut.nullable(),
  currency: z.string().nullable(),
  notes: z.string().nullable(),
  possible_duplicates: z.array(z.object({ type: z.enum(['lead', 'contact', 'customer']), id: z.string() })),
  converted: z
    .object({ customer: z.string(), contact: z.string(), opportunity: z.string().nullable(), at: z.string() })
    .nullable(),
  created_at: z.string(),
});
export type LeadOut = z.infer<typeof LeadOut>;
export type LeadRow = typeof leads.$inferSelect;
