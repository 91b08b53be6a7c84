/**
 * Every event Arbor records: its type, the object it is about, and its payload (`data`). `recordEvent` is typed by
 * this catalog, so a payload cannot drift from what timelines, webhooks and exports read. Amounts are decimal strings,
 * dates YYYY-MM-DD, references ids. A new event is added here first.
 */
type Changed = { changed: string[] };
type ByActor = 'user' | 'api_key' | 'system' | 'public';
type Allocation = { invoice: string; amount: string };
type BillRunTally = { target_date: string; processed: number; invoices_created: number; errors: number };

export interface EventCatalog {
  'organization.created': { object: 'organization'; data: Record<string, never> };
  'settings.updated': { object: 'organization'; data: Changed };
  'settings.logo_updated': { object: 'organization'; data: { bytes: number } };
  'settings.email_templates_updated': { object: 'organization'; data: Changed };
  'settings.payments_updated': {
    object: 'organization';
    data: { provider: 'stripe'; enabled: boolean; methods: string[]; keys_changed: string[] };
  };
  'books.reopened': { object: 'organization'; data: { from: string | null; to: string | null } };
  'export.created': {
    object: 'export';
    data: { format: string; from: string; to: string; entries: number; lines: number };
  };
  'settings.reminder_policy_updated': { object: 'organization'; data: { enabled: boolean; steps: number } };
  'user.created': { object: 'user'; data: { role: string } };
  'user.updated': {
    object: 'user';
    data: { before: { role: string; active: boolean }; after: { role: string; active: boolean } };
  };
  // webday: password resets and admin-set passwords (never the password or token itself).
  'user.password_reset_requested': { object: 'user'; data: Record<string, never> };
  'user.password_changed': { object: 'user'; data: Record<string, never> };
  'api_key.created': { object: 'api_key'; data: { role: string } };
  'api_key.revoked': { object: 'api_key'; data: Record<string, never> };

  'tax_rate.created': { object: 'tax_rate'; data: { category: string; percentage: string } };
  'tax_rate.updated': { object: 'tax_rate'; data: Record<string, never> };
  'product.created': { object: 'product'; data: { name: string } };
  'product.updated': { object: 'product'; data: Record<string, never> };

  'customer.created': { object: 'customer'; data: { name: string } };
  'customer.updated': { object: 'customer'; data: Changed };
  'customer.deleted': { object: 'customer'; data: { name: string } };
  'customer.statement_sent': { object: 'customer'; data: { email: string; from: string; to: string } };
  'customer.credit_applied': {
    object: 'customer';
    data: { invoice: string; amount: string; date: string; sources: { type: string; id: string; amount: string }[] };
  };
  'contact.created': { object: 'contact'; data: { customer: string } };
  'contact.updated': { object: 'contact'; data: { customer: string } };
  'contact.deleted': { object: 'contact'; data: { customer: string } };

  'invoice.created': {
    object: 'invoice';
    data: { customer: string; total: string; source: { type: string; id: string } | null };
  };
  'invoice.updated': { object: 'invoice'; data: Changed };
  'invoice.deleted': { object: 'invoice'; data: { customer: string } };
  'invoice.posted': {
    object: 'invoice';
    data: { number: string; total: string; issue_date: string; due_date: string };
  };
  'invoice.paid': { object: 'invoice'; data: { date: string; number: string | null } };
  'invoice.reopened': { object: 'invoice'; data: { date: string; amount_due: string } };
  'invoice.voided': { object: 'invoice'; data: { before: string; number: string | null } };
  'invoice.marked_uncollectible': { object: 'invoice'; data: { amount_due: string } };
  'invoice.written_off': { object: 'invoice'; data: { amount: string; reason: string | null } };
  'invoice.flags_updated': {
    object: 'invoice';
    data: {
      before: { disputed: boolean; reminders_paused: boolean };
      after: { disputed: boolean; reminders_paused: boolean };
    };
  };
  'invoice.sent': { object: 'invoice'; data: { email: string; to: string[]; status: string } };
  'invoice.link_rotated': { object: 'invoice'; data: Record<string, never> };
  'invoice.viewed': { object: 'invoice'; data: { what: string } };
  'invoice.checkout_started': { object: 'invoice'; data: { checkout_session: string; amount: string } };
  'invoice.paid_online': {
    object: 'invoice';
    data: { payment: string; amount: string; payment_intent: string; checkout_session: string; credit: string };
  };
  'invoice.online_payment_failed': { object: 'invoice'; data: { checkout_session: string } };
  'invoice.downloaded': { object: 'invoice'; data: { what: string } };
  'invoice.reminded': {
    object: 'invoice';
    data: { step: number; offset_days: number; as_of: string; email: string; late_fee_invoice: string | null };
  };

  'credit_note.issued': {
    object: 'credit_note';
    data: {
      number: string;
      invoice: string;
      customer: string;
      total: string;
      credit_to: string;
      unapplied_amount: string;
    };
  };
  'credit_note.voided': { object: 'credit_note'; data: { number: string; total: string } };

  'payment.created': {
    object: 'payment';
    data: {
      customer: string;
      amount: string;
      date: string;
      method: string;
      allocations: Allocation[];
      unapplied_amount: string;
    };
  };
  'payment.allocated': {
    object: 'payment';
    data: { date: string; allocations: Allocation[]; unapplied_amount: string };
  };
  'payment.refunded': { object: 'payment'; data: { refund: string; amount: string; date: string } };
  'payment.reversed': { object: 'payment'; data: { reason: string; date: string; reopened: string[] } };

  'quote.created': {
    object: 'quote';
    data: { customer: string; number: string; total: string; recurring_total_per_interval: string };
  };
  'quote.updated': { object: 'quote'; data: Changed };
  'quote.sent': { object: 'quote'; data: { email: string; to: string[]; status: string } };
  'quote.accepted': { object: 'quote'; data: { order: string; by: ByActor; customer: string } };
  'quote.declined': { object: 'quote'; data: { by: ByActor } };

  'order.created': {
    object: 'order';
    data: { customer: string; number: string; quote: string | null; lines: number; subscriptions: string[] };
  };
  'order.invoiced': {
    object: 'order';
    data: {
      invoice: string;
      lines: { order_line: string; quantity: string | null; percent: string | null; amount: string }[];
      total: string;
    };
  };
  'order.cancelled': { object: 'order'; data: { number: string } };

  'subscription.created': {
    object: 'subscription';
    data: { customer: string; order: string | null; start_date: string; interval: string; interval_count: number };
  };
  'subscription.billed': {
    object: 'subscription';
    data: {
      billing_date: string;
      period: { start: string; end: string } | null;
      billed_through: string | null;
      invoice: string | null;
      total: string;
      bill_run: string | null;
    };
  };
  'subscription.changed': {
    object: 'subscription';
    data: {
      effective_date: string;
      proration_behavior: string;
      placement: string;
      before: { items: unknown[] };
      after: { items: unknown[] };
      proration_net: string;
      invoice: string | null;
    };
  };
  'subscription.cancelled': {
    object: 'subscription';
    data: {
      effective_date: string;
      prorate: boolean;
      end_date: string | null;
      credited: string;
      credit_notes: string[];
      invoices: string[];
    };
  };
  'subscription.usage_recorded': {
    object: 'subscription';
    data: { usage: string; item: string; quantity: string; date: string };
  };

  'bill_run.created': { object: 'bill_run'; data: { target_date: string; trigger: string } };
  'bill_run.completed': { object: 'bill_run'; data: BillRunTally };
  'bill_run.completed_with_errors': { object: 'bill_run'; data: BillRunTally };

  // CRM: pipeline stages, leads and opportunities (API.md "CRM").
  'pipeline_stage.created': { object: 'pipeline_stage'; data: { name: string; kind: string } };
  'pipeline_stage.updated': { object: 'pipeline_stage'; data: Changed };
  'lead.created': { object: 'lead'; data: { source: string } };
  'lead.updated': { object: 'lead'; data: Changed };
  'lead.deleted': { object: 'lead'; data: { name: string } };
  'lead.disqualified': { object: 'lead'; data: { reason: string } };
  'lead.converted': {
    object: 'lead';
    data: { customer: string; contact: string; opportunity: string | null; new_customer: boolean };
  };
  'settings.lead_scoring_updated': { object: 'organization'; data: { rules: number } };
  'settings.lead_form_key_rotated': { object: 'organization'; data: Record<string, never> };
  'opportunity.created': { object: 'opportunity'; data: { stage: string; amount: string; currency: string } };
  'opportunity.updated': { object: 'opportunity'; data: Changed };
  'opportunity.stage_changed': {
    object: 'opportunity';
    data: { from_stage: string; to_stage: string; amount: string; probability: number };
  };
  'opportunity.won': { object: 'opportunity'; data: { amount: string; closed_on: string; quote: string | null } };
  'opportunity.lost': { object: 'opportunity'; data: { amount: string; closed_on: string; lost_reason: string } };
  'opportunity.reopened': { object: 'opportunity'; data: { stage: string } };
  'opportunity.deleted': { object: 'opportunity'; data: { name: string } };
  'opportunity.quoted': { object: 'opportunity'; data: { quote: string } };
  'webhook_endpoint.created': { object: 'webhook_endpoint'; data: { url: string; events: string[] } };
  'webhook_endpoint.updated': { object: 'webhook_endpoint'; data: Changed };
  'webhook_endpoint.deleted': { object: 'webhook_endpoint'; data: { url: string } };
  'webhook_endpoint.secret_rotated': { object: 'webhook_endpoint'; data: { previous_expires_at: string } };
  'webhook_endpoint.disabled': { object: 'webhook_endpoint'; data: { reason: string } };
  /** Sent by `POST /webhook_endpoints/:id/test` to that endpoint only; never written to `events`. */
  'webhook_endpoint.test': { object: 'webhook_endpoint'; data: Record<string, never> };

  // Activities and collections follow-up (promises to pay).
  'activity.created': {
    object: 'activity';
    data: {
      type: string;
      owner: string | null;
      related: { type: string; id: string } | null;
      due_date: string | null;
    };
  };
  'activity.updated': { object: 'activity'; data: Changed };
  'activity.completed': { object: 'activity'; data: { owner: string | null } };
  'invoice.promise_created': { object: 'invoice'; data: { promise: string; amount: string; date: string } };
  'invoice.promise_kept': { object: 'invoice'; data: { promise: string; amount: string; date: string } };
  'invoice.promise_broken': {
    object: 'invoice';
    data: { promise: string; amount: string; date: string; as_of: string; task: string };
  };
  'invoice.promise_cancelled': { object: 'invoice'; data: { promise: string; amount: string; date: string } };
  // Territories, quotas and the forecast (src/territories).
  'territory.created': { object: 'territory'; data: { name: string } };
  'territory.updated': { object: 'territory'; data: Changed };
  'territory.deleted': { object: 'territory'; data: { name: string } };
  'quota.set': {
    object: 'quota';
    data: { owner: string | null; territory: string | null; period: string; currency: string; amount: string };
  };
  'territories.realigned': {
    object: 'organization';
    data: { customers: number; leads: number; opportunities: number; reassign_owners: boolean };
  };
  // Bank accounts, statements and matching
  'bank_account.created': { object: 'bank_account'; data: { name: string; currency: string } };
  'bank_account.updated': { object: 'bank_account'; data: Changed };
  'csv_mapping.created': { object: 'csv_mapping'; data: { name: string } };
  'bank_statement.imported': {
    object: 'bank_statement';
    data: { bank_account: string; lines_imported: number; lines_duplicate: number; balance_check: string };
  };
  'bank_line.matched': {
    object: 'bank_line';
    data: { by: string; payment: string | null; refund: string | null; customer: string };
  };
  'bank_line.unmatched': { object: 'bank_line'; data: { payment: string | null } };
  'bank_line.ignored': { object: 'bank_line'; data: { reason: string } };
  'bank_account.match_run': { object: 'bank_account'; data: { matched_automatically: number; suggested: number } };
}

export type EventType = keyof EventCatalog;
export type EventObjectType = EventCatalog[EventType]['object'];
export type EventData<T extends EventType> = EventCatalog[T]['data'];

/**
 * Every event type at run time (webhook filters are checked against it). The compiler refuses a catalog entry missing
 * here: add a new type to both.
 */
export const EVENT_TYPES = [
  'organization.created',
  'settings.updated',
  'settings.logo_updated',
  'settings.email_templates_updated',
  'settings.payments_updated',
  'books.reopened',
  'export.created',
  'settings.reminder_policy_updated',
  'user.created',
  'user.updated',
  'api_key.created',
  'api_key.revoked',
  'tax_rate.created',
  'tax_rate.updated',
  'product.created',
  'product.updated',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.statement_sent',
  'customer.credit_applied',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'invoice.created',
  'invoice.updated',
  'invoice.deleted',
  'invoice.posted',
  'invoice.paid',
  'invoice.reopened',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.written_off',
  'invoice.flags_updated',
  'invoice.sent',
  'invoice.link_rotated',
  'invoice.viewed',
  'invoice.checkout_started',
  'invoice.paid_online',
  'invoice.online_payment_failed',
  'invoice.downloaded',
  'invoice.reminded',
  'credit_note.issued',
  'credit_note.voided',
  'payment.created',
  'payment.allocated',
  'payment.refunded',
  'payment.reversed',
  'quote.created',
  'quote.updated',
  'quote.sent',
  'quote.accepted',
  'quote.declined',
  'order.created',
  'order.invoiced',
  'order.cancelled',
  'subscription.created',
  'subscription.billed',
  'subscription.changed',
  'subscription.cancelled',
  'subscription.usage_recorded',
  'bill_run.created',
  'bill_run.completed',
  'bill_run.completed_with_errors',
  'pipeline_stage.created',
  'pipeline_stage.updated',
  'lead.created',
  'lead.updated',
  'lead.deleted',
  'lead.disqualified',
  'lead.converted',
  'settings.lead_scoring_updated',
  'settings.lead_form_key_rotated',
  'opportunity.created',
  'opportunity.updated',
  'opportunity.stage_changed',
  'opportunity.won',
  'opportunity.lost',
  'opportunity.reopened',
  'opportunity.deleted',
  'opportunity.quoted',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.deleted',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.disabled',
  'webhook_endpoint.test',
  'pipeline_stage.created',
  'pipeline_stage.updated',
  'lead.created',
  'lead.updated',
  'lead.deleted',
  'lead.disqualified',
  'lead.converted',
  'settings.lead_scoring_updated',
  'settings.lead_form_key_rotated',
  'opportunity.created',
  'opportunity.updated',
  'opportunity.stage_changed',
  'opportunity.won',
  'opportunity.lost',
  'opportunity.reopened',
  'opportunity.deleted',
  'opportunity.quoted',
  'activity.created',
  'activity.updated',
  'activity.completed',
  'invoice.promise_created',
  'invoice.promise_kept',
  'invoice.promise_broken',
  'invoice.promise_cancelled',
  'territory.created',
  'territory.updated',
  'territory.deleted',
  'quota.set',
  'territories.realigned',
  'user.password_reset_requested',
  'user.password_changed',
  'bank_account.created',
  'bank_account.updated',
  'csv_mapping.created',
  'bank_statement.imported',
  'bank_line.matched',
  'bank_line.unmatched',
  'bank_line.ignored',
  'bank_account.match_run',
] as const satisfies readonly EventType[];
type MissingEventTypes = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
export const eventTypesComplete: [MissingEventTypes] extends [never] ? true : MissingEventTypes = true;
