/**
 * Shapes from API.md for routes not yet in the generated schema. Replaced by aliases of the generated types
 * (api/types.ts) as each route lands; nothing else in the app names these directly.
 */
export type AgingBucket = 'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus';
export type AgingBuckets = Record<AgingBucket, string>;

export interface AgingReport {
  as_of: string;
  currencies: {
    currency: string;
    buckets: AgingBuckets;
    total: string;
    customers: { customer: string; name: string; buckets: AgingBuckets; total: string }[];
  }[];
}

export interface SummaryReport {
  from: string;
  to: string;
  currencies: {
    currency: string;
    invoiced: string;
    collected: string;
    credited: string;
    written_off: string;
    outstanding: string;
    overdue: string;
    average_days_to_pay: string | null;
    dso: string | null;
  }[];
}

export interface Statement {
  customer: string;
  name: string;
  currency: string;
  from: string;
  to: string;
  opening_balance: string;
  lines: {
    date: string;
    type: string;
    document: string;
    number: string | null;
    debit: string | null;
    credit: string | null;
    balance: string;
  }[];
  closing_balance: string;
}

export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'check' | 'other';

export interface Payment {
  id: string;
  customer: string;
  amount: string;
  currency: string;
  date: string;
  method: PaymentMethod;
  reference: string | null;
  allocations: { invoice: string; amount: string; date: string }[];
  unapplied_amount: string;
  refunded_amount: string;
  status: 'succeeded' | 'reversed';
  created_at: string;
}

export interface PaymentInput {
  customer: string;
  amount: string;
  date?: string;
  method: PaymentMethod;
  reference?: string | null;
  allocations?: { invoice: string; amount: string }[];
  auto_apply?: boolean;
}

export interface CreditNote {
  id: string;
  number: string | null;
  invoice: string;
  customer: string;
  currency: string;
  reason: string | null;
  lines: { invoice_line: string; quantity: string; amount: string }[] | null;
  subtotal: string;
  tax_total: string;
  total: string;
  credit_to: 'invoice' | 'customer_balance' | 'refund';
  status: 'issued' | 'void';
  issue_date: string;
  created_at?: string;
}

export interface CreditNoteInput {
  invoice: string;
  reason?: string | null;
  amount?: string;
  lines?: { invoice_line: string; quantity: string }[];
  credit_to: 'invoice' | 'customer_balance' | 'refund';
}

export interface Email {
  id: string;
  to: string;
  cc: string | null;
  subject: string;
  status: 'queued' | 'sent' | 'failed' | 'local';
  attempts: number;
  message_id: string | null;
  sent_at: string | null;
  error: string | null;
}

export interface ReminderPolicy {
  enabled: boolean;
  steps: {
    offset_days: number;
    subject: string;
    body: string;
    late_fee: { amount?: string; percent?: string } | null;
  }[];
}

export interface List<T> {
  data: T[];
  has_more: boolean;
}
