import type { Invoice, InvoiceLineInput, InvoicePatch } from '../../api/types';

/** What the editor holds for a line: the user's text, exactly as typed (the server parses and computes). */
export interface LineDraft {
  key: string;
  product: string | null;
  description: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  tax_rate: string | null;
  unit: string;
  /** Fields the editor does not show, kept as they are (period, price base, line allowances and charges). */
  keep: Pick<InvoiceLineInput, 'period' | 'price_base_quantity' | 'allowances_charges'>;
}

export interface DraftState {
  customer: string;
  issue_date: string;
  due_date: string;
  payment_terms_days: string;
  tax_behavior: 'exclusive' | 'inclusive';
  po_number: string;
  buyer_reference: string;
  notes: string;
  footer: string;
  lines: LineDraft[];
}

let keySeq = 0;
export const newKey = () => `l${++keySeq}`;

export function emptyLine(taxRate: string | null): LineDraft {
  return {
    key: newKey(),
    product: null,
    description: '',
    quantity: '1',
    unit_price: '',
    discount_percent: '',
    tax_rate: taxRate,
    unit: '',
    keep: {},
  };
}

export function draftFromInvoice(inv: Invoice): DraftState {
  return {
    customer: inv.customer,
    issue_date: inv.issue_date ?? '',
    due_date: inv.due_date ?? '',
    payment_terms_days: inv.payment_terms_days === null ? '' : String(inv.payment_terms_days),
    tax_behavior: inv.tax_behavior,
    po_number: inv.po_number ?? '',
    buyer_reference: inv.buyer_reference ?? '',
    notes: inv.notes ?? '',
    footer: inv.footer ?? '',
    lines: inv.lines.map((l) => ({
      key: newKey(),
      product: l.product,
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unit_price,
      discount_percent: l.discount_percent ?? '',
      tax_rate: l.tax_rate,
      unit: l.unit,
      keep: {
        period: l.period,
        price_base_quantity: l.price_base_quantity === '1' ? null : l.price_base_quantity,
        allowances_charges: l.allowances_charges.map((ac) => ({
          kind: ac.kind,
          amount: ac.amount,
          percent: ac.percent,
          base: ac.base,
          reason: ac.reason,
        })),
      },
    })),
  };
}

/** A line is sent once it can be priced: a quantity, and a product or a description with a price. */
export function isLineReady(l: LineDraft): boolean {
  return l.quantity.trim() !== '' && (!!l.product || (l.description.trim() !== '' && l.unit_price.trim() !== ''));
}

export function isLineBlank(l: LineDraft): boolean {
  return !l.product && !l.description.trim() && !l.unit_price.trim();
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The PATCH body for the whole draft, and the editor key of each line sent (in body order). */
export function patchFromDraft(d: DraftState): { body: InvoicePatch; sentKeys: string[] } {
  const sentKeys: string[] = [];
  const lines: InvoiceLineInput[] = [];
  d.lines.forEach((l) => {
    if (!isLineReady(l)) return;
    sentKeys.push(l.key);
    lines.push({
      product: l.product,
      description: orNull(l.description),
      quantity: l.quantity.trim(),
      unit_price: orNull(l.unit_price),
      discount_percent: orNull(l.discount_percent),
      tax_rate: l.tax_rate,
      unit: orNull(l.unit),
      ...l.keep,
    });
  });
  const terms = d.payment_terms_days.trim();
  return {
    body: {
      customer: d.customer,
      issue_date: orNull(d.issue_date),
      due_date: orNull(d.due_date),
      payment_terms_days: terms === '' || !/^\d+$/.test(terms) ? null : Number(terms),
      tax_behavior: d.tax_behavior,
      po_number: orNull(d.po_number),
      buyer_reference: orNull(d.buyer_reference),
      notes: orNull(d.notes),
      footer: orNull(d.footer),
      lines,
    },
    sentKeys,
  };
}

/** The server names a line by its index in the body ("lines[1].quantity"); the editor by its key ("line:l7.quantity"). */
export function editorParam(param: string | null, sentKeys: readonly string[]): string | null {
  if (!param) return param;
  return param.replace(/^lines\[(\d+)\]/, (whole, n: string) => {
    const key = sentKeys[Number(n)];
    return key ? `line:${key}` : whole;
  });
}
