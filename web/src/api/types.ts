import type { paths } from './schema';

/** Names for the API's objects, derived from the generated OpenAPI types (never copied by hand). */
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer X }
    ? JsonOf<X>
    : R extends { 201: infer X }
      ? JsonOf<X>
      : R extends { 202: infer X }
        ? JsonOf<X>
        : never
  : never;
type BodyOf<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Paths = keyof paths;
export type ResponseOf<P extends Paths, M extends keyof paths[P]> = Success<paths[P][M]>;
export type RequestOf<P extends Paths, M extends keyof paths[P]> = BodyOf<paths[P][M]>;
export type ListItem<P extends Paths> = ResponseOf<P, 'get' & keyof paths[P]> extends { data: (infer T)[] } ? T : never;

export type Me = ResponseOf<'/api/v1/auth/me', 'get'>;
export type Role = Me['role'];
export type Settings = ResponseOf<'/api/v1/settings', 'get'>;
export type SettingsPatch = RequestOf<'/api/v1/settings', 'patch'>;
export type Customer = ResponseOf<'/api/v1/customers/{id}', 'get'>;
export type CustomerInput = RequestOf<'/api/v1/customers', 'post'>;
export type Contact = ListItem<'/api/v1/customers/{id}/contacts'>;
export type ContactInput = RequestOf<'/api/v1/customers/{id}/contacts', 'post'>;
export type TaxRate = ResponseOf<'/api/v1/tax_rates/{id}', 'get'>;
export type TaxRateInput = RequestOf<'/api/v1/tax_rates', 'post'>;
export type Product = ResponseOf<'/api/v1/products/{id}', 'get'>;
export type ProductInput = RequestOf<'/api/v1/products', 'post'>;
export type Invoice = ResponseOf<'/api/v1/invoices/{id}', 'get'>;
export type InvoiceInput = RequestOf<'/api/v1/invoices', 'post'>;
export type InvoicePatch = RequestOf<'/api/v1/invoices/{id}', 'patch'>;
export type InvoiceLineInput = NonNullable<InvoiceInput['lines']>[number];
export type InvoiceLine = Invoice['lines'][number];
export type InvoiceStatus = Invoice['status'];
export type InvoiceListQuery = NonNullable<paths['/api/v1/invoices']['get']['parameters']['query']>;
export type ArborEvent = ListItem<'/api/v1/events'>;
export type User = ListItem<'/api/v1/users'>;
export type ApiKey = ListItem<'/api/v1/api_keys'>;
export type Payment = ResponseOf<'/api/v1/payments/{id}', 'get'>;
export type PaymentInput = RequestOf<'/api/v1/payments', 'post'>;
export type PaymentMethod = Payment['method'];
export type Allocation = NonNullable<PaymentInput['allocations']>[number];
export type CreditNote = ResponseOf<'/api/v1/credit_notes/{id}', 'get'>;
export type CreditNoteInput = RequestOf<'/api/v1/credit_notes', 'post'>;
export type AgingReport = ResponseOf<'/api/v1/reports/aging', 'get'>;
export type AgingBuckets = AgingReport['currencies'][number]['buckets'];
export type SummaryReport = ResponseOf<'/api/v1/reports/summary', 'get'>;
export type Statement = ResponseOf<'/api/v1/customers/{id}/statement', 'get'>;
export type Email = ListItem<'/api/v1/emails'>;
export type ReminderPolicy = RequestOf<'/api/v1/settings/reminder_policy', 'put'>;
export type EmailTemplates = ResponseOf<'/api/v1/settings/email_templates', 'get'>;
export type TrialBalance = ResponseOf<'/api/v1/reports/trial_balance', 'get'>;
export type IntegrityCheck = ResponseOf<'/api/v1/admin/check', 'get'>;
export type ReminderRun = ResponseOf<'/api/v1/reminders/run', 'post'>;
export type Quote = ResponseOf<'/api/v1/quotes/{id}', 'get'>;
export type QuoteInput = RequestOf<'/api/v1/quotes', 'post'>;
export type QuoteStatus = Quote['status'];
export type Order = ResponseOf<'/api/v1/orders/{id}', 'get'>;
export type OrderInvoiceInput = RequestOf<'/api/v1/orders/{id}/invoice', 'post'>;
export type Subscription = ResponseOf<'/api/v1/subscriptions/{id}', 'get'>;
export type SubscriptionInput = RequestOf<'/api/v1/subscriptions', 'post'>;
export type SubscriptionPreview = ResponseOf<'/api/v1/subscriptions/{id}/preview', 'get'>;
export type BillRun = ResponseOf<'/api/v1/bill_runs/{id}', 'get'>;
export type Interval = Subscription['interval'];
export type WebhookEndpoint = ResponseOf<'/api/v1/webhook_endpoints/{id}', 'get'>;
export type WebhookDelivery = ResponseOf<'/api/v1/webhook_deliveries/{id}', 'get'>;
export type Activity = ResponseOf<'/api/v1/activities/{id}', 'get'>;
export type ActivityInput = RequestOf<'/api/v1/activities', 'post'>;
export type ActivityType = Activity['type'];
export type ActivityListQuery = NonNullable<paths['/api/v1/activities']['get']['parameters']['query']>;
export type PaymentPromise = ListItem<'/api/v1/invoices/{id}/promises'>;
export type WorklistRow = ResponseOf<'/api/v1/collections/worklist', 'get'>['data'][number];
