import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';
import { einvoiceSetup, type Node, parseXml, SELLER, text } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function setup(opts: { currency?: string } = {}) {
  const org = await server.newOrg({ currency: opts.currency });
  return { org, ...(await einvoiceSetup(org, opts)) };
}

async function ubl(org: Awaited<ReturnType<typeof setup>>['org'], id: string): Promise<Node> {
  const res = await org.get<string>(`/api/v1/invoices/${id}/ubl`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
  return parseXml(res.body).Invoice as Node;
}

function totalsOf(root: Node) {
  const t = root.LegalMonetaryTotal as Node;
  return {
    subtotal: text(t.LineExtensionAmount),
    allowance_total: text(t.AllowanceTotalAmount) ?? '0.00',
    charge_total: text(t.ChargeTotalAmount) ?? '0.00',
    tax_total: text(root.TaxTotal.TaxAmount),
    total: text(t.TaxInclusiveAmount),
    payable: text(t.PayableAmount),
  };
}

function breakdownOf(root: Node) {
  return (root.TaxTotal.TaxSubtotal as Node[]).map((s) => ({
    category: text(s.TaxCategory.ID),
    percentage: text(s.TaxCategory.Percent),
    taxable_amount: text(s.TaxableAmount),
    tax_amount: text(s.TaxAmount),
    exemption_reason: text(s.TaxCategory.TaxExemptionReason) ?? null,
  }));
}

describe('GET /invoices/:id/ubl', () => {
  test('a posted invoice with S 19, S 7, Z, E and AE, line and document allowances and charges', async () => {
    const { org, buyer, vat19, vat7, zero, exempt, reverse } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      service_period: { start: '2026-03-01', end: '2026-03-31' },
      po_number: 'PO-77',
      buyer_reference: 'REF-12',
      notes: 'Thank you for your business.',
      lines: [
        {
          description: 'Consulting',
          quantity: '3',
          unit: 'HUR',
          unit_price: '33.333',
          tax_rate: vat19.id,
          allowances_charges: [
            { kind: 'allowance', percent: '10', reason: 'Early bird' },
            { kind: 'charge', amount: '2.00', reason: 'Travel' },
          ],
        },
        { description: 'Book', quantity: '2', unit_price: '9.99', discount_percent: '10', tax_rate: vat7.id },
        { description: 'Bread', quantity: '1', unit_price: '50', tax_rate: zero.id },
        { description: 'Training', quantity: '1', unit_price: '100', tax_rate: exempt.id },
        { description: 'Installation', quantity: '2', unit_price: '250', tax_rate: reverse.id },
      ],
      allowances_charges: [
        { kind: 'charge', amount: '5.00', reason: 'Shipping', tax_rate: vat19.id },
        { kind: 'allowance', percent: '2', base: '100', reason: 'Loyalty', tax_rate: vat19.id },
        { kind: 'allowance', amount: '1.00', reason: 'Voucher', tax_rate: vat7.id },
      ],
    });
    const root = await ubl(org, invoice.id);

    expect(text(root.ID)).toBe(invoice.number);
    expect(text(root.InvoiceTypeCode)).toBe('380');
    expect(text(root.IssueDate)).toBe(invoice.issue_date);
    expect(text(root.DueDate)).toBe(invoice.due_date);
    expect(text(root.DocumentCurrencyCode)).toBe('EUR');
    expect(text(root.BuyerReference)).toBe('REF-12');
    expect(text(root.OrderReference.ID)).toBe('PO-77');
    expect(text(root.Note)).toBe('Thank you for your business.');
    expect(root.InvoicePeriod).toEqual({ StartDate: '2026-03-01', EndDate: '2026-03-31' });
    expect(root.BillingReference).toBeUndefined();

    const seller = root.AccountingSupplierParty.Party as Node;
    expect(text(seller.PartyLegalEntity.RegistrationName)).toBe(SELLER.legal_name);
    expect(text(seller.PartyTaxScheme[0].CompanyID)).toBe('DE123456789');
    expect(text(seller.PostalAddress.Country.IdentificationCode)).toBe('DE');
    const customer = root.AccountingCustomerParty.Party as Node;
    expect(text(customer.PartyLegalEntity.RegistrationName)).toBe('Client BV');
    expect(text(customer.PartyTaxScheme[0].CompanyID)).toBe('NL123456789B01');

    // BT-83: the invoice number is the payment reference; the seller's IBAN from the snapshot.
    expect(text(root.PaymentMeans.PaymentID)).toBe(invoice.payment_reference);
    expect(text(root.PaymentMeans.PayeeFinancialAccount.ID)).toBe(SELLER.iban);

    // The totals are the posted invoice's.
    expect(totalsOf(root)).toEqual({
      subtotal: invoice.subtotal,
      allowance_total: invoice.allowance_total,
      charge_total: invoice.charge_total,
      tax_total: invoice.tax_total,
      total: invoice.total,
      payable: invoice.total,
    });
    expect(breakdownOf(root)).toEqual(
      invoice.tax_breakdown.map((g: Record<string, string | null>) => ({
        category: g.category,
        percentage: g.percentage,
        taxable_amount: g.taxable_amount,
        tax_amount: g.tax_amount,
        exemption_reason: g.category === 'E' || g.category === 'AE' ? g.exemption_reason : null,
      })),
    );
    expect(breakdownOf(root).map((g) => g.category)).toEqual(['S', 'S', 'Z', 'E', 'AE']);

    const lines = root.InvoiceLine as Node[];
    expect(lines.map((l) => text(l.LineExtensionAmount))).toEqual(
      invoice.lines.map((l: { amount: string }) => l.amount),
    );
    expect(text(lines[0]!.InvoicedQuantity)).toBe('3');
    expect(lines[0]!.InvoicedQuantity['@_unitCode']).toBe('HUR');
    expect(text(lines[0]!.Item.Name)).toBe('Consulting');
    expect(
      (lines[0]!.AllowanceCharge as Node[]).map((ac) => [
        text(ac.ChargeIndicator),
        text(ac.AllowanceChargeReason),
        text(ac.Amount),
      ]),
    ).toEqual([
      ['false', 'Early bird', '10.00'],
      ['true', 'Travel', '2.00'],
    ]);
    expect(text(lines[4]!.Item.ClassifiedTaxCategory.ID)).toBe('AE');
    expect(
      (root.AllowanceCharge as Node[]).map((ac) => [
        text(ac.ChargeIndicator),
        text(ac.Amount),
        text(ac.TaxCategory.Percent),
      ]),
    ).toEqual([
      ['true', '5.00', '19'],
      ['false', '2.00', '19'],
      ['false', '1.00', '7'],
    ]);
  });

  test('the UBL says what the invoice said when posted, whatever the seller and customer say now', async () => {
    const { org, buyer, vat19 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    expect((await org.patch('/api/v1/settings', { legal_name: 'Renamed AG', tax_id: 'DE999999999' })).status).toBe(200);
    expect((await org.patch(`/api/v1/customers/${buyer.id}`, { name: 'Someone Else' })).status).toBe(200);
    const root = await ubl(org, invoice.id);
    expect(text(root.AccountingSupplierParty.Party.PartyLegalEntity.RegistrationName)).toBe(SELLER.legal_name);
    expect(text(root.AccountingSupplierParty.Party.PartyTaxScheme[0].CompanyID)).toBe('DE123456789');
    expect(text(root.AccountingCustomerParty.Party.PartyLegalEntity.RegistrationName)).toBe('Client BV');
  });

  test('an inclusive-pricing invoice exports net amounts whose VAT breakdown is the invoice one', async () => {
    const { org, buyer, vat19, vat7 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      tax_behavior: 'inclusive',
      lines: [
        { description: 'Ticket', quantity: '3', unit_price: '9.99', tax_rate: vat19.id },
        { description: 'Snack', quantity: '1', unit_price: '10.70', discount_percent: '5', tax_rate: vat7.id },
      ],
      allowances_charges: [{ kind: 'allowance', amount: '1.00', reason: 'Voucher', tax_rate: vat19.id }],
    });
    const root = await ubl(org, invoice.id);
    const totals = totalsOf(root);
    expect(totals.total).toBe(invoice.total);
    expect(totals.payable).toBe(invoice.total);
    expect(totals.tax_total).toBe(invoice.tax_total);
    const net = (Number(invoice.total) - Number(invoice.tax_total)).toFixed(2);
    expect(text(root.LegalMonetaryTotal.TaxExclusiveAmount)).toBe(net);
    expect(breakdownOf(root).map((g) => [g.taxable_amount, g.tax_amount])).toEqual(
      invoice.tax_breakdown.map((g: Record<string, string>) => [g.taxable_amount, g.tax_amount]),
    );
    // Net line amounts: each line is its gross less its share of its group's tax.
    const lineNet = (root.InvoiceLine as Node[]).map((l) => Number(text(l.LineExtensionAmount)));
    expect(lineNet[0]).toBeLessThan(29.97);
    expect(lineNet[1]).toBeLessThan(10.17);
  });

  test('a draft has no e-invoice: 409 invoice_not_posted', async () => {
    const { org, buyer, vat19 } = await setup();
    const draft = await org.post('/api/v1/invoices', {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    for (const path of ['ubl', 'facturx']) {
      const res = await org.get(`/api/v1/invoices/${draft.body.id}/${path}`);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ type: 'conflict', code: 'invoice_not_posted' });
    }
  });

  test('a KWD invoice cannot be expressed in EN 16931: 422 currency_not_supported_by_en16931', async () => {
    const { org, buyer, vat19 } = await setup({ currency: 'KWD' });
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '1.250', tax_rate: vat19.id }],
    });
    expect(invoice.total).toBe('1.488');
    for (const path of ['ubl', 'facturx']) {
      const res = await org.get(`/api/v1/invoices/${invoice.id}/${path}`);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        type: 'invalid_request',
        code: 'currency_not_supported_by_en16931',
        param: 'currency',
      });
    }
  });

  test('reverse charge to a buyer without a VAT id breaks BR-AE-02: 422 einvoice_invalid, nothing emitted', async () => {
    const { org, customer, reverse } = await setup();
    expect(customer.tax_id ?? null).toBeNull();
    const invoice = await postedInvoice(org, {
      customer: customer.id,
      lines: [{ description: 'Installation', quantity: '1', unit_price: '500', tax_rate: reverse.id }],
    });
    for (const path of ['ubl', 'facturx']) {
      const res = await org.get(`/api/v1/invoices/${invoice.id}/${path}`);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'einvoice_invalid', param: 'BR-AE-02' });
      expect(res.body.error.message).toContain('BR-AE-02');
    }
  });

  test('a seller without an address breaks BR-08', async () => {
    const { org, buyer, vat19 } = await setup();
    expect((await org.patch('/api/v1/settings', { address: null })).status).toBe(200);
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const res = await org.get(`/api/v1/invoices/${invoice.id}/ubl`);
    expect(res.status).toBe(422);
    expect(res.body.error.param).toMatch(/^BR-(08|09)$/);
  });

  test('another organization\u2019s invoice and unknown ids are 404; a viewer may read', async () => {
    const { org, buyer, vat19 } = await setup();
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const other = await server.newOrg();
    for (const path of [`/api/v1/invoices/${invoice.id}/ubl`, `/api/v1/invoices/${invoice.id}/facturx`]) {
      expect((await other.get(path)).status).toBe(404);
    }
    expect((await org.get('/api/v1/invoices/inv_missing/ubl')).status).toBe(404);
    expect((await org.get('/api/v1/credit_notes/cn_missing/ubl')).status).toBe(404);
    const viewer = await org.keyWithRole('viewer');
    expect((await viewer.get(`/api/v1/invoices/${invoice.id}/ubl`)).status).toBe(200);
  });

  test('the routes are in the OpenAPI document', async () => {
    const { org } = await setup();
    const res = await org.get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    for (const path of ['/api/v1/invoices/{id}/ubl', '/api/v1/invoices/{id}/facturx', '/api/v1/credit_notes/{id}/ubl'])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });
});
