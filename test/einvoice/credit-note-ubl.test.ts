import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';
import { einvoiceSetup, type Node, parseXml, SELLER, text } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function setup() {
  const org = await server.newOrg();
  return { org, ...(await einvoiceSetup(org)) };
}

async function creditNote(org: OrgClient, body: Record<string, unknown>) {
  const res = await org.post('/api/v1/credit_notes', body);
  if (res.status !== 201) throw new Error(`credit note failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function ubl(org: OrgClient, id: string): Promise<Node> {
  const res = await org.get<string>(`/api/v1/credit_notes/${id}/ubl`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
  const parsed = parseXml(res.body);
  expect(parsed.Invoice).toBeUndefined();
  return parsed.CreditNote as Node;
}

/** The UBL's amounts in the credit note's API shape. */
function amountsOf(root: Node) {
  return {
    subtotal: text(root.LegalMonetaryTotal.TaxExclusiveAmount),
    tax_total: text(root.TaxTotal.TaxAmount),
    total: text(root.LegalMonetaryTotal.PayableAmount),
    tax_breakdown: (root.TaxTotal.TaxSubtotal as Node[]).map((s) => ({
      category: text(s.TaxCategory.ID),
      percentage: text(s.TaxCategory.Percent),
      taxable_amount: text(s.TaxableAmount),
      tax_amount: text(s.TaxAmount),
    })),
  };
}

function expectedOf(cn: Record<string, any>) {
  return {
    subtotal: cn.subtotal,
    tax_total: cn.tax_total,
    total: cn.total,
    tax_breakdown: cn.tax_breakdown.map((g: Record<string, string>) => ({
      category: g.category,
      percentage: g.percentage,
      taxable_amount: g.taxable_amount,
      tax_amount: g.tax_amount,
    })),
  };
}

describe('GET /credit_notes/:id/ubl', () => {
  test('credit notes by lines are UBL CreditNotes referring to the invoice, with its cumulative tax', async () => {
    const { org, buyer, vat19, vat7 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      po_number: 'PO-5',
      lines: [
        { description: 'Seat', quantity: '3', unit_price: '10.00', tax_rate: vat19.id },
        { description: 'Book', quantity: '2', unit_price: '9.99', discount_percent: '10', tax_rate: vat7.id },
      ],
    });
    const [seat, book] = invoice.lines as { id: string }[];
    const first = await creditNote(org, {
      invoice: invoice.id,
      reason: 'Returned',
      lines: [
        { invoice_line: seat!.id, quantity: '1' },
        { invoice_line: book!.id, quantity: '2' },
      ],
    });
    const second = await creditNote(org, { invoice: invoice.id, lines: [{ invoice_line: seat!.id, quantity: '1' }] });
    // The seller renames itself after posting: the credit note still names the invoice's seller.
    expect((await org.patch('/api/v1/settings', { legal_name: 'Renamed AG' })).status).toBe(200);

    for (const cn of [first, second]) {
      const root = await ubl(org, cn.id);
      expect(text(root.ID)).toBe(cn.number);
      expect(text(root.IssueDate)).toBe(cn.issue_date);
      expect(text(root.CreditNoteTypeCode)).toBe('381');
      expect(text(root.BillingReference.InvoiceDocumentReference.ID)).toBe(invoice.number);
      expect(text(root.BillingReference.InvoiceDocumentReference.IssueDate)).toBe(invoice.issue_date);
      expect(text(root.OrderReference.ID)).toBe('PO-5');
      expect(text(root.AccountingSupplierParty.Party.PartyLegalEntity.RegistrationName)).toBe(SELLER.legal_name);
      expect(text(root.AccountingCustomerParty.Party.PartyLegalEntity.RegistrationName)).toBe('Client BV');
      expect(root.PaymentMeans).toBeUndefined();
      expect(amountsOf(root)).toEqual(expectedOf(cn));
      const lines = root.CreditNoteLine as Node[];
      expect(lines.map((l) => [text(l.CreditedQuantity), text(l.LineExtensionAmount), text(l.Item.Name)])).toEqual(
        cn.lines.map((l: Record<string, string>) => [l.quantity, l.amount, l.description]),
      );
    }
    expect(text((await ubl(org, first.id)).Note)).toBe('Returned');
    // 1 seat: 10.00 + 1.90; 2 books at 10 % off: 17.98 + 1.26.
    expect(first).toMatchObject({ subtotal: '27.98', tax_total: '3.16', total: '31.14' });
  });

  test('a credit note by amount is one line per tax group at its credited gross', async () => {
    const { org, buyer, vat19, vat7 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [
        { description: 'Seat', quantity: '1', unit_price: '100.00', tax_rate: vat19.id },
        { description: 'Book', quantity: '1', unit_price: '50.00', tax_rate: vat7.id },
      ],
    });
    const cn = await creditNote(org, { invoice: invoice.id, amount: '50.00', reason: 'Goodwill' });
    const root = await ubl(org, cn.id);
    expect(amountsOf(root)).toEqual(expectedOf(cn));
    expect(text(root.LegalMonetaryTotal.PayableAmount)).toBe('50.00');
    const lines = root.CreditNoteLine as Node[];
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => text(l.Item.ClassifiedTaxCategory.Percent))).toEqual(['19', '7']);
    expect(text(lines[0]!.Item.Name)).toContain(invoice.number);
  });

  test('a credit note of a tax-inclusive invoice by lines', async () => {
    const { org, buyer, vat19 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      tax_behavior: 'inclusive',
      lines: [{ description: 'Ticket', quantity: '3', unit_price: '9.99', tax_rate: vat19.id }],
    });
    const cn = await creditNote(org, {
      invoice: invoice.id,
      lines: [{ invoice_line: invoice.lines[0].id, quantity: '2' }],
    });
    const root = await ubl(org, cn.id);
    expect(amountsOf(root)).toEqual(expectedOf(cn));
    expect(cn.total).toBe('19.98');
  });

  test('a credit note of a KWD invoice: 422 currency_not_supported_by_en16931', async () => {
    const org = await server.newOrg({ currency: 'KWD' });
    const { buyer, vat19 } = await einvoiceSetup(org, { currency: 'KWD' });
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '1.250', tax_rate: vat19.id }],
    });
    const cn = await creditNote(org, { invoice: invoice.id, amount: '0.500' });
    const res = await org.get(`/api/v1/credit_notes/${cn.id}/ubl`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('currency_not_supported_by_en16931');
  });

  test('another organization\u2019s credit note is 404', async () => {
    const { org, buyer, vat19 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const cn = await creditNote(org, { invoice: invoice.id, amount: '10.00' });
    const other = await server.newOrg();
    expect((await other.get(`/api/v1/credit_notes/${cn.id}/ubl`)).status).toBe(404);
  });
});
