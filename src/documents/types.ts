// The input model of the document renderers: the API JSON shapes of API.md (snake_case, exact
// decimal strings), plus the few render-time fields a service adds from immutable snapshots.

/** An exact decimal as the API writes it: "1234.50", "-3", "0.125". Never a float. */
export type DecimalString = string;
/** A business date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string | null;
}

export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export interface CustomerSnapshot {
  name: string;
  email: string | null;
  billing_address: Address | null;
  tax_id: string | null;
}

export interface SellerSnapshot {
  legal_name: string;
  address: Address | null;
  tax_id: string | null;
  iban: string | null;
  bic: string | null;
  email: string | null;
  phone: string | null;
}

/** UNCL5305 VAT category. */
export type VatCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface TaxBreakdownView {
  category: VatCategory;
  percentage: DecimalString;
  exemption_reason: string | null;
  taxable_amount: DecimalString;
  tax_amount: DecimalString;
}

export interface InvoiceLineView {
  description: string;
  quantity: DecimalString;
  /** UN/ECE recommendation 20 unit code, e.g. "C62" (one), "HUR" (hour). */
  unit: string;
  unit_price: DecimalString;
  discount_percent: DecimalString | null;
  amount: DecimalString;
  tax_rate_percentage: DecimalString;
  period?: Period | null;
}

export type InvoiceStatus = 'draft' | 'posted' | 'paid' | 'void' | 'uncollectible';

export interface InvoiceView {
  /** Null while draft. */
  number: string | null;
  status: InvoiceStatus;
  /** Null on a draft that has not been given one yet. */
  issue_date: IsoDate | null;
  due_date: IsoDate | null;
  currency: string;
  tax_behavior: 'exclusive' | 'inclusive';
  customer_snapshot: CustomerSnapshot;
  seller_snapshot: SellerSnapshot;
  lines: InvoiceLineView[];
  subtotal: DecimalString;
  allowance_total: DecimalString;
  charge_total: DecimalString;
  tax_total: DecimalString;
  total: DecimalString;
  amount_paid: DecimalString;
  amount_credited: DecimalString;
  /** In the API's invoice; optional here so older callers need not send it. */
  amount_written_off?: DecimalString;
  amount_due: DecimalString;
  tax_breakdown: TaxBreakdownView[];
  po_number: string | null;
  buyer_reference: string | null;
  notes: string | null;
  footer: string | null;
  service_period: Period | null;
}

export interface CreditNoteLineView {
  invoice_line: string;
  /** Render-time: the credited invoice line's description (from the invoice's snapshot). */
  description: string;
  quantity: DecimalString;
  /** Render-time, optional: the invoice line's unit code and unit price. */
  unit?: string;
  unit_price?: DecimalString;
  amount: DecimalString;
}

export interface CreditNoteView {
  number: string | null;
  /** The credited invoice's id (API field). */
  invoice: string;
  /** Render-time: the credited invoice's number, printed as the reference (BT-25). */
  invoice_number: string | null;
  invoice_issue_date?: IsoDate | null;
  currency: string;
  reason: string | null;
  /** Null for a credit by amount. */
  lines: CreditNoteLineView[] | null;
  subtotal: DecimalString;
  tax_total: DecimalString;
  total: DecimalString;
  tax_breakdown: TaxBreakdownView[];
  credit_to: 'invoice' | 'customer_balance' | 'refund';
  status: 'issued' | 'void';
  issue_date: IsoDate;
  /** Render-time: the credited invoice's snapshots (a credit note corrects that invoice). */
  customer_snapshot: CustomerSnapshot;
  seller_snapshot: SellerSnapshot;
}

export interface StatementLineView {
  date: IsoDate;
  /** `invoice`, `payment`, `credit_note`, `refund`; other values are printed as given. */
  type: string;
  /** The document's id. */
  document: string;
  number: string | null;
  debit: DecimalString | null;
  credit: DecimalString | null;
  balance: DecimalString;
}

export interface StatementView {
  /** The customer's id (API field). */
  customer: string;
  currency: string;
  from: IsoDate;
  to: IsoDate;
  opening_balance: DecimalString;
  lines: StatementLineView[];
  closing_balance: DecimalString;
  /** Render-time: the customer and the organization as they are when the statement is made. */
  customer_snapshot: CustomerSnapshot;
  seller_snapshot: SellerSnapshot;
}

export interface Branding {
  /** `#rrggbb` or `#rgb`; anything else falls back to the default accent. */
  accent_color: string | null;
  footer: string | null;
  /** PNG or JPEG. */
  logo: Buffer | null;
  /** BCP 47, e.g. en-US, de-DE, fr-FR, es-ES. */
  locale: string;
}
