import type { TotalsInput, VatCategory } from '../invoicing/totals';

// The document model = the API JSON shapes (snake_case, decimal strings) of API.md, as posted.

export interface Party {
  name: string;
  email?: string | null;
  address: {
    line1?: string | null;
    line2?: string | null;
    city?: string | null;
    postal_code?: string | null;
    region?: string | null;
    country?: string | null;
  };
  /** A VAT id when it starts with an ISO 3166 country prefix (BT-31/BT-48), else a national tax registration. */
  tax_id?: string | null;
  /** Peppol participant id: `scheme` is the EAS code (e.g. "0088", "9930"). */
  peppol_id?: { scheme: string; id: string } | null;
  iban?: string | null;
  bic?: string | null;
}

export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  issue_date: string;
  due_date: string | null;
  currency: string;
  tax_behavior: 'exclusive' | 'inclusive';
  seller: Party;
  buyer: Party;
  buyer_reference: string | null;
  po_number: string | null;
  notes: string | null;
  payment_reference: string | null;
  /** Credit notes: the credited invoice (BT-25, BT-26). */
  invoice_reference?: { number: string; issue_date: string } | null;
  /**
   * Lines and allowances/charges as computed by computeTotals. A credit note's line reproduces its stored
   * credited amount exactly as { quantity: credited quantity, unitPrice: credited amount, priceBaseQuantity:
   * credited quantity }; a credit by amount is one line per tax group at its credited gross, tax_behavior
   * "inclusive".
   */
  input: TotalsInput;
  line_descriptions: string[];
  /** UN/ECE rec. 20 unit codes per line (default "C62"). */
  line_units: string[];
  service_period?: { start: string; end: string } | null;
  /**
   * Stored tax per group, when it differs from a fresh computation: credit notes by lines take the cumulative
   * tax of API.md (at most one minor unit away). Replaces the computed tax of the matching group.
   */
  tax_amounts?: { category: VatCategory; percentage: string; tax_amount: string }[] | null;
}
