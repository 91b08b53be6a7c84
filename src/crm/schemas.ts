import { z } from 'zod';
import { formatAmount } from '../money/money';
import { sortValues } from '../platform/pagination';
import { AddressIn, AddressOut, Currency, DecimalOut, Email, PeppolId } from '../platform/schemas';
import type { contacts, customers } from './tables';

const Metadata = z.record(z.string().max(40), z.string().max(500)).refine((m) => Object.keys(m).length <= 50, {
  message: 'At most 50 keys.',
});

export const CustomerIn = z.object({
  name: z.string().trim().min(1, 'Must not be empty.').max(200),
  email: Email.nullish(),
  phone: z.string().max(40).nullish(),
  billing_address: AddressIn.nullish(),
  tax_id: z.string().max(40).nullish(),
  peppol_id: PeppolId.nullish(),
  currency: Currency,
  payment_terms_days: z.number().int().min(0).max(3650).nullish(),
  locale: z.string().max(20).nullish(),
  owner: z.string().max(100).nullish().meta({ description: 'User id of the sales rep who owns the customer' }),
  reminders_paused: z.boolean().optional(),
  metadata: Metadata.optional(),
  industry: z.string().trim().max(100).nullish(),
  employees: z.number().int().min(0).max(100_000_000).nullish(),
  territory: z.string().max(100).nullish().meta({
    description: 'Territory id set by hand; without it the territory rules decide (API.md "Territories")',
  }),
  bank_accounts: z
    .array(
      z
        .string()
        .max(64)
        .transform((s) => s.replace(/\s+/g, '').toUpperCase()),
    )
    .max(50)
    .optional()
    .meta({ description: 'IBANs the customer pays from (bank matching also learns them from confirmed matches)' }),
});
export const CustomerPatch = CustomerIn.partial();
export type CustomerIn = z.output<typeof CustomerIn>;
export type CustomerPatch = z.output<typeof CustomerPatch>;

export const CustomerOut = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  billing_address: AddressOut.nullable(),
  tax_id: z.string().nullable(),
  peppol_id: PeppolId.nullable(),
  currency: z.string(),
  payment_terms_days: z.number().nullable(),
  locale: z.string().nullable(),
  owner: z.string().nullable(),
  credit_balance: DecimalOut,
  reminders_paused: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  industry: z.string().nullable(),
  employees: z.number().nullable(),
  territory: z.string().nullable(),
  territory_source: z.enum(['rules', 'manual']).nullable(),
  bank_accounts: z
    .array(z.string())
    .optional()
    .meta({ description: 'IBANs given or learned from confirmed bank matches (on a single customer)' }),
  created_at: z.string(),
});

export const CustomerListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  search: z.string().max(200).optional(),
  owner: z.string().max(100).optional(),
  sort: z.enum(sortValues(['name', 'created_at'])).optional(),
});

export const ContactIn = z.object({
  name: z.string().trim().min(1, 'Must not be empty.').max(200),
  email: Email.nullish(),
  phone: z.string().max(40).nullish(),
  role: z.string().max(100).nullish(),
  receives_invoices: z.boolean().optional(),
});
export const ContactPatch = ContactIn.partial();
export const ContactOut = z.object({
  id: z.string(),
  customer: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable(),
  receives_invoices: z.boolean(),
  created_at: z.string(),
});

export type CustomerRow = typeof customers.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

export function customerOut(c: CustomerRow): z.infer<typeof CustomerOut> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    billing_address: (c.billingAddress as z.infer<typeof AddressOut> | null) ?? null,
    tax_id: c.taxId,
    peppol_id: (c.peppolId as z.infer<typeof PeppolId> | null) ?? null,
    currency: c.currency,
    payment_terms_days: c.paymentTermsDays,
    locale: c.locale,
    owner: c.ownerId,
    credit_balance: formatAmount(c.creditBalance, c.currency),
    reminders_paused: c.remindersPaused,
    metadata: c.metadata as Record<string, string>,
    industry: c.industry,
    employees: c.employees,
    territory: c.territoryId,
    territory_source: (c.territorySource as 'rules' | 'manual' | null) ?? null,
    created_at: c.createdAt.toISOString(),
  };
}

export function contactOut(c: ContactRow): z.infer<typeof ContactOut> {
  return {
    id: c.id,
    customer: c.customerId,
    name: c.name,
    email: c.email,
    phone: c.phone,
    role: c.role,
    receives_invoices: c.receivesInvoices,
    created_at: c.createdAt.toISOString(),
  };
}
