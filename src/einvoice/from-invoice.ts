import type { StoredDocumentAllowanceCharge, StoredLine, StoredTaxGroup } from '../invoicing/draft';
import { totalsInputOf } from '../invoicing/draft';
import { paymentReferenceOf } from '../invoicing/payment-reference';
import type { LineIn, TotalsInput } from '../invoicing/totals';
import { dec } from '../money/money';
import { conflict } from '../platform/errors';
import type { InvoiceDocument, Party } from './types';

// A posted invoice (or a credit note and its invoice) as stored, turned into the e-invoice document.
// Parties come from the invoice's snapshots only: the e-invoice says what the posted invoice said.

interface Address {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  postal_code?: string | null;
  region?: string | null;
  country?: string | null;
}

/** customer_snapshot / seller_snapshot of an invoice (API.md "Invoices"). */
export interface PartySnapshot {
  name: string;
  email?: string | null;
  address?: Address | null;
  tax_id?: string | null;
  peppol_id?: { scheme: string; id: string } | null;
  iban?: string | null;
  bic?: string | null;
}

/** The stored invoice fields the e-invoice needs (an `invoices` row). */
export interface InvoiceRecord {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  taxBehavior: string;
  issueDate: string | null;
  dueDate: string | null;
  servicePeriod: unknown;
  lines: unknown;
  allowancesCharges: unknown;
  customerSnapshot: unknown;
  sellerSnapshot: unknown;
  poNumber: string | null;
  buyerReference: string | null;
  notes: string | null;
}

/** A credited line as a credit note stores it. */
export interface StoredCreditLine {
  invoice_line: string;
  description?: string | null;
  quantity: string;
  amount: string;
}

/** The stored credit note fields the e-invoice needs (a `credit_notes` row). */
export interface CreditNoteRecord {
  number: string;
  issueDate: string;
  currency: string;
  reason: string | null;
  /** Null for a credit by amount. */
  lines: unknown;
  taxBreakdown: unknown;
}

function partyOf(snapshot: PartySnapshot): Party {
  return {
    name: snapshot.name,
    email: snapshot.email ?? null,
    address: { ...(snapshot.address ?? {}) },
    tax_id: snapshot.tax_id ?? null,
    peppol_id: snapshot.peppol_id ?? null,
    iban: snapshot.iban ?? null,
    bic: snapshot.bic ?? null,
  };
}

interface Posted {
  number: string;
  issueDate: string;
  seller: Party;
  buyer: Party;
}

/** A draft has no number and no snapshots yet: it has no e-invoice. */
function postedParts(inv: InvoiceRecord): Posted {
  const seller = inv.sellerSnapshot as PartySnapshot | null;
  const buyer = inv.customerSnapshot as PartySnapshot | null;
  if (inv.status === 'draft' || !inv.number || !inv.issueDate || !seller || !buyer)
    throw conflict('invoice_not_posted', `Invoice ${inv.id} is a draft; only a posted invoice has an e-invoice.`, 'id');
  return { number: inv.number, issueDate: inv.issueDate, seller: partyOf(seller), buyer: partyOf(buyer) };
}

function periodOf(value: unknown): { start: string; end: string } | null {
  const period = value as { start?: string; end?: string } | null;
  return period?.start && period.end ? { start: period.start, end: period.end } : null;
}

/** A posted invoice as its e-invoice (BT-83 payment reference = its ISO 11649 RF reference). */
export function invoiceDocumentOf(inv: InvoiceRecord): InvoiceDocument {
  const posted = postedParts(inv);
  const lines = inv.lines as StoredLine[];
  const input = totalsInputOf({
    currency: inv.currency,
    taxBehavior: inv.taxBehavior,
    lines,
    allowancesCharges: inv.allowancesCharges as StoredDocumentAllowanceCharge[],
  });
  return {
    kind: 'invoice',
    number: posted.number,
    issue_date: posted.issueDate,
    due_date: inv.dueDate,
    currency: inv.currency,
    tax_behavior: input.taxBehavior,
    seller: posted.seller,
    buyer: posted.buyer,
    buyer_reference: inv.buyerReference,
    po_number: inv.poNumber,
    notes: inv.notes,
    payment_reference: paymentReferenceOf(posted.number) ?? posted.number,
    invoice_reference: null,
    input,
    line_descriptions: lines.map((l) => l.description),
    line_units: lines.map((l) => l.unit || 'C62'),
    service_period: periodOf(inv.servicePeriod),
  };
}

/**
 * A credit note as its e-invoice, referring to the credited invoice (BT-25, BT-26). By lines: each credited
 * line reproduces its stored amount (quantity q at the credited amount per q) in the invoice line's tax group,
 * with the stored cumulative tax per group. By amount: one tax-inclusive line per tax group at its credited gross.
 */
export function creditNoteDocumentOf(cn: CreditNoteRecord, inv: InvoiceRecord): InvoiceDocument {
  const posted = postedParts(inv);
  const groups = cn.taxBreakdown as StoredTaxGroup[];
  const invoiceLines = new Map((inv.lines as StoredLine[]).map((l) => [l.id, l]));
  const creditLines = cn.lines as StoredCreditLine[] | null;
  const descriptions: string[] = [];
  const units: string[] = [];
  let taxBehavior: TotalsInput['taxBehavior'] = inv.taxBehavior === 'inclusive' ? 'inclusive' : 'exclusive';
  let lines: LineIn[];

  if (creditLines) {
    lines = creditLines.map((credited) => {
      const line = invoiceLines.get(credited.invoice_line);
      if (!line) throw new Error(`Credit note ${cn.number} credits line ${credited.invoice_line}, not on its invoice.`);
      descriptions.push(credited.description?.trim() || line.description);
      units.push(line.unit || 'C62');
      // quantity × |amount| ÷ |quantity| = amount (same sign), with a non-negative net price (BR-27).
      const amount = dec(credited.amount);
      const signed = dec(credited.quantity).isZero() ? dec(amount.isNegative() ? -1 : 1) : dec(credited.quantity);
      return {
        quantity: signed.toFixed(),
        unitPrice: amount.abs().toFixed(),
        priceBaseQuantity: signed.abs().toFixed(),
        taxRate: {
          id: line.tax_rate.id,
          category: line.tax_rate.category,
          percentage: line.tax_rate.percentage,
          exemptionReason: line.tax_rate.exemption_reason,
        },
      };
    });
  } else {
    taxBehavior = 'inclusive';
    const credited = groups.filter((g) => !dec(g.taxable_amount).plus(g.tax_amount).isZero());
    lines = (credited.length > 0 ? credited : groups.slice(0, 1)).map((g) => {
      const percent = `${dec(g.percentage).toFixed()} %`;
      descriptions.push(
        groups.length > 1
          ? `Credit on invoice ${posted.number} (${percent} VAT)`
          : `Credit on invoice ${posted.number}`,
      );
      units.push('C62');
      return {
        quantity: '1',
        unitPrice: dec(g.taxable_amount).plus(g.tax_amount).toFixed(),
        taxRate: {
          id: g.tax_rate,
          category: g.category,
          percentage: g.percentage,
          exemptionReason: g.exemption_reason,
        },
      };
    });
  }

  return {
    kind: 'credit_note',
    number: cn.number,
    issue_date: cn.issueDate,
    due_date: null,
    currency: cn.currency,
    tax_behavior: taxBehavior,
    seller: posted.seller,
    buyer: posted.buyer,
    buyer_reference: inv.buyerReference,
    po_number: inv.poNumber,
    notes: cn.reason,
    payment_reference: posted.number,
    invoice_reference: { number: posted.number, issue_date: posted.issueDate },
    input: { currency: cn.currency, taxBehavior, lines, allowancesCharges: [] },
    line_descriptions: descriptions,
    line_units: units,
    service_period: periodOf(inv.servicePeriod),
    tax_amounts: groups.map((g) => ({ category: g.category, percentage: g.percentage, tax_amount: g.tax_amount })),
  };
}
