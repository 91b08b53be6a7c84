import { Liquid } from 'liquidjs';

export type TemplateKind = 'invoice' | 'reminder' | 'statement' | 'quote';
export interface Template {
  subject: string;
  body: string;
}
export type Templates = Record<TemplateKind, Template>;

export const DEFAULT_TEMPLATES: Templates = {
  invoice: {
    subject: 'Invoice {{ invoice.number }} from {{ organization.name }}',
    body: 'Hello {{ customer.name }},\n\n{% if message %}{{ message }}\n\n{% endif %}please find attached invoice {{ invoice.number }} of {{ invoice.total }} {{ invoice.currency }}, due on {{ invoice.due_date }}.\n\nView and download it online: {{ invoice.hosted_url }}\n\n{% if invoice.pay_url %}Pay online by card or bank debit: {{ invoice.pay_url }}\n\n{% endif %}Thank you,\n{{ organization.name }}',
  },
  reminder: {
    subject: 'Reminder: invoice {{ invoice.number }} is due',
    body: 'Hello {{ customer.name }},\n\nour records show {{ invoice.amount_due }} {{ invoice.currency }} open on invoice {{ invoice.number }}, due on {{ invoice.due_date }}.\n\nPay or view it here: {{ invoice.hosted_url }}\n\n{% if invoice.pay_url %}Pay online now: {{ invoice.pay_url }}\n\n{% endif %}If you have already paid, please ignore this message.\n\n{{ organization.name }}',
  },
  statement: {
    subject: 'Statement of account from {{ organization.name }}',
    body: 'Hello {{ customer.name }},\n\nplease find attached your statement from {{ statement.from }} to {{ statement.to }}. Balance: {{ statement.closing_balance }} {{ statement.currency }}.\n\n{{ organization.name }}',
  },
  quote: {
    subject: 'Quote {{ quote.number }} from {{ organization.name }}',
    body: 'Hello {{ customer.name }},\n\nplease find attached quote {{ quote.number }}. You can accept or decline it here: {{ quote.hosted_url }}\n\n{{ organization.name }}',
  },
};

// Customer-editable templates: no file system, bounded work and memory, output of variables escaped in HTML.
const limits = { parseLimit: 20_000, renderLimit: 200, memoryLimit: 1_000_000 };
const textEngine = new Liquid({ ...limits, strictFilters: true, templates: {}, dynamicPartials: false });
const htmlEngine = new Liquid({
  ...limits,
  strictFilters: true,
  templates: {},
  outputEscape: 'escape',
  dynamicPartials: false,
});

export class TemplateError extends Error {}

export function validateTemplate(t: Template): void {
  try {
    textEngine.parse(t.subject);
    textEngine.parse(t.body);
  } catch (err) {
    throw new TemplateError((err as Error).message.split('\n')[0] ?? 'invalid template');
  }
}

function linkify(escapedHtml: string): string {
  return escapedHtml.replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
}

/** Subject and text are plain; the HTML body escapes every variable and keeps line breaks. */
export async function renderTemplate(
  t: Template,
  vars: Record<string, unknown>,
): Promise<{ subject: string; text: string; html: string }> {
  try {
    const subject = (await textEngine.parseAndRender(t.subject, vars)).replace(/[\r\n]+/g, ' ').trim();
    const text = await textEngine.parseAndRender(t.body, vars);
    const escapedTemplate = t.body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const html = `<div style="font-family:sans-serif;line-height:1.5">${linkify(await htmlEngine.parseAndRender(escapedTemplate, vars)).replace(/\n/g, '<br>')}</div>`;
    return { subject, text, html };
  } catch (err) {
    throw new TemplateError((err as Error).message.split('\n')[0] ?? 'template failed');
  }
}

export function templatesOf(stored: unknown): Templates {
  return { ...DEFAULT_TEMPLATES, ...((stored as Partial<Templates> | null) ?? {}) };
}
