import { z } from 'zod';
import { VAT_CATEGORIES } from '../catalog/tax-rules';
import { sortValues } from '../platform/pagination';
import { AddressOut, DecimalOut, decimalIn, IsoDate, PeppolId } from '../platform/schemas';

const Period = z
  .object({ start: IsoDate, end: IsoDate })
  .refine((p) => p.end >= p.start, { message: 'The period ends before it starts.', path: ['end'] });

const AllowanceChargeFields = {
  kind: z.enum(['allowance', 'charge']),
  amount: decimalIn({ nonNegative: true }).nullish(),
  percent: decimalIn({ places: 6, nonNegative: true }).nullish(),
  base: decimalIn({ places: 6 }).nullish(),
  reason: z.string().max(500).nullish(),
};

export const LineIn = z.object({
  description: z.string().max(2000).nullish(),
  product: z.string().max(100).nullish(),
  quantity: decimalIn({ places: 6 }),
  unit: z
    .string()
    .regex(/^[A-Z0-9]{1,3}$/, 'Must be a UN/ECE Recommendation 20 unit code, like "C62".')
    .nullish(),
  unit_price: decimalIn({ places: 6, nonNegative: true }).nullish(),
  price_base_quantity: decimalIn({ places: 6 }).nullish(),
  discount_percent: decimalIn({ places: 6, nonNegative: true })
    .refine((p) => Number(p) <= 100, 'At most 100.')
    .nullish(),
  allowances_charges: z.array(z.object(AllowanceChargeFields)).max(20).optional(),
  tax_rate: z.string().max(100).nullish(),
  period: Period.nullish(),
});

export const DocumentAllowanceChargeIn = z.object({ ...AllowanceChargeFields, tax_rate: z.string().max(100) });

const InvoiceFields = {
  customer: z.string().max(100),
  currency: z.string().max(3).optional(),
  tax_behavior: z.enum(['exclusive', 'inclusive']).optional(),
  issue_date: IsoDate.nullish(),
  due_date: IsoDate.nullish(),
  payment_terms_days: z.number().int().min(0).max(3650).nullish(),
  service_period: Period.nullish(),
  lines: z.array(LineIn).max(1000).optional(),
  allowances_charges: z.array(DocumentAllowanceChargeIn).max(50).optional(),
  po_number: z.string().max(100).nullish(),
  buyer_reference: z.string().max(200).nullish(),
  notes: z.string().max(5000).nullish(),
  footer: z.string().max(2000).nullish(),
  reminders_paused: z.boolean().optional(),
  disputed: z.boolean().optional(),
};
export const InvoiceIn = z.object(InvoiceFields);
export const InvoicePatch = z.object(InvoiceFields).partial();
export type InvoiceIn = z.output<typeof InvoiceIn>;
export type InvoicePatch = z.output<typeof InvoicePatch>;

const TaxCategory = z.enum(VAT_CATEGORIES);
const AllowanceChargeOut = z.object({
  kind: z.enum(['allowance', 'charge']),
  amount: DecimalOut.nullable(),
  percent: DecimalOut.nullable(),
  base: DecimalOut.nullable(),
  reason: z.string().nullable(),
  value: DecimalOut.meta({ description: 'The computed, rounded amount' }),
});

export const LineOut = z.object({
  id: z.string(),
  description: z.string(),
  product: z.string().nullable(),
  quantity: DecimalOut,
  unit: z.string(),
  unit_price: DecimalOut,
  price_base_quantity: DecimalOut,
  discount_percent: DecimalOut.nullable(),
  allowances_charges: z.array(AllowanceChargeOut),
  tax_rate: z.string(),
  tax_category: TaxCategory,
  tax_percentage: DecimalOut,
  amount: DecimalOut,
  period: z.object({ start: z.string(), end: z.string() }).nullable(),
});

const PartySnapshot = z.object({
  name: z.string(),
  email: z.string().nullable(),
  address: AddressOut.nullable(),
  tax_id: z.string().nullable(),
  peppol_id: PeppolId.nullable(),
});
export const CustomerSnapshot = PartySnapshot;
export const SellerSnapshot = PartySnapshot.extend({
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  phone: z.string().nullable(),
});

export const TaxGroupOut = z.object({
  category: TaxCategory,
  percentage: DecimalOut,
  tax_rate: z.string(),
  exemption_reason: z.string().nullable(),
  taxable_amount: DecimalOut,
  tax_amount: DecimalOut,
});

export const InvoiceOut = z.object({
  id: z.string(),
  number: z.string().nullable(),
  status: z.enum(['draft', 'posted', 'paid', 'void', 'uncollectible']),
  payment_status: z.enum(['unpaid', 'partially_paid', 'paid']),
  overdue: z.boolean(),
  days_overdue: z.number().int(),
  disputed: z.boolean(),
  customer: z.string(),
  customer_snapshot: CustomerSnapshot.nullable().meta({ description: 'Taken at posting; null on drafts' }),
  seller_snapshot: SellerSnapshot.nullable().meta({ description: 'Taken at posting; null on drafts' }),
  currency: z.string(),
  tax_behavior: z.enum(['exclusive', 'inclusive']),
  issue_date: z.string().nullable(),
  due_date: z.string().nullable(),
  payment_terms_days: z.number().int().nullable(),
  service_period: z.object({ start: z.string(), end: z.string() }).nullable(),
  lines: z.array(LineOut),
  allowances_charges: z.array(
    AllowanceChargeOut.extend({ tax_rate: z.string(), tax_category: TaxCategory, tax_percentage: DecimalOut }),
  ),
  subtotal: DecimalOut,
  allowance_total: DecimalOut,
  charge_total: DecimalOut,
  tax_total: DecimalOut,
  total: DecimalOut,
  amount_paid: DecimalOut,
  amount_credited: DecimalOut,
  amount_written_off: DecimalOut,
  amount_due: DecimalOut,
  tax_breakdown: z.array(TaxGroupOut),
  po_number: z.string().nullable(),
  buyer_reference: z.string().nullable(),
  notes: z.string().nullable(),
  footer: z.string().nullable(),
  reminders_paused: z.boolean(),
  source: z.object({ type: z.string(), id: z.string() }).nullable(),
  created_at: z.string(),
  posted_at: z.string().nullable(),
  sent_at: z.string().nullable(),
  first_viewed_at: z.string().nullable(),
  view_count: z.number().int(),
  hosted_url: z.string().nullable(),
  payment_reference: z
    .string()
    .nullable()
    .meta({ description: 'ISO 11649 creditor reference built from the number (null while draft)' }),
});
export type InvoiceOut = z.infer<typeof InvoiceOut>;

export const InvoiceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  starting_after: z.string().max(100).optional(),
  status: z.enum(['draft', 'posted', 'paid', 'void', 'uncollectible']).optional(),
  payment_status: z.enum(['unpaid', 'partially_paid', 'paid']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  customer: z.string().max(100).optional(),
  'issue_date[gte]': IsoDate.optional(),
  'issue_date[lte]': IsoDate.optional(),
  'due_date[lte]': IsoDate.optional(),
  search: z.string().max(200).optional(),
  as_of: IsoDate.optional(),
  sort: z.enum(sortValues(['issue_date', 'number', 'customer_name', 'total', 'amount_due', 'due_date'])).optional(),
});
export type InvoiceListQuery = z.output<typeof InvoiceListQuery>;

export const InvoiceSummaryQuery = InvoiceListQuery.omit({ limit: true, starting_after: true, sort: true });
export const InvoiceSummaryOut = z.object({
  data: z.array(z.object({ currency: z.string(), count: z.number().int(), total: z.string(), amount_due: z.string() })),
});

export const AsOfQuery = z.object({ as_of: IsoDate.optional() });
export const WriteOffIn = z.object({ amount: decimalIn({ positive: true }), reason: z.string().max(500).nullish() });
export const FlagsIn = z.object({ disputed: z.boolean().optional(), reminders_paused: z.boolean().optional() });
