import { getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPdf } from '../../src/documents/pdf-text';
import { startTestServer, type TestServer } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';
import { einvoiceSetup, type Node, parseXml, SELLER, text } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function facturX(org: Awaited<ReturnType<TestServer['newOrg']>>, id: string): Promise<Buffer> {
  const res = await fetch(`${org.baseUrl}/api/v1/invoices/${id}/facturx`, {
    headers: { authorization: `Bearer ${org.apiKey}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

describe('GET /invoices/:id/facturx', () => {
  test('a PDF/A-3 with the CII XML attached as factur-x.xml, its totals the invoice ones', async () => {
    const org = await server.newOrg();
    const { buyer, vat19, vat7, exempt } = await einvoiceSetup(org);
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      po_number: 'PO-9',
      service_period: { start: '2026-02-01', end: '2026-02-28' },
      lines: [
        {
          description: 'Consulting',
          quantity: '3',
          unit: 'HUR',
          unit_price: '33.333',
          tax_rate: vat19.id,
          allowances_charges: [{ kind: 'allowance', percent: '10', reason: 'Early bird' }],
        },
        { description: 'Book', quantity: '2', unit_price: '9.99', tax_rate: vat7.id },
        { description: 'Training', quantity: '1', unit_price: '100', tax_rate: exempt.id },
      ],
      allowances_charges: [{ kind: 'charge', amount: '5.00', reason: 'Shipping', tax_rate: vat19.id }],
    });
    const pdf = await facturX(org, invoice.id);

    // The embedded file, read back through a PDF reader.
    const document = await getDocumentProxy(new Uint8Array(pdf));
    const attachments = (await document.getAttachments()) as Record<string, { filename: string; content: Uint8Array }>;
    expect(Object.keys(attachments)).toEqual(['factur-x.xml']);
    const info = (await document.getMetadata()).info as Record<string, string>;
    expect(info.PDFFormatVersion).toBe('1.7');
    expect(info.Author).toBe(SELLER.legal_name);
    expect(info.Title).toContain(invoice.number);
    await document.destroy();

    const cii = parseXml(Buffer.from(attachments['factur-x.xml']!.content).toString('utf8'))
      .CrossIndustryInvoice as Node;
    expect(text(cii.ExchangedDocumentContext.GuidelineSpecifiedDocumentContextParameter.ID)).toBe(
      'urn:cen.eu:en16931:2017',
    );
    expect(text(cii.ExchangedDocument.ID)).toBe(invoice.number);
    expect(text(cii.ExchangedDocument.TypeCode)).toBe('380');
    expect(text(cii.ExchangedDocument.IssueDateTime.DateTimeString)).toBe(invoice.issue_date.replaceAll('-', ''));
    const transaction = cii.SupplyChainTradeTransaction as Node;
    const agreement = transaction.ApplicableHeaderTradeAgreement as Node;
    expect(text(agreement.SellerTradeParty.Name)).toBe(SELLER.legal_name);
    expect(text(agreement.SellerTradeParty.SpecifiedTaxRegistration[0].ID)).toBe('DE123456789');
    expect(text(agreement.BuyerTradeParty.Name)).toBe('Client BV');
    expect(text(agreement.BuyerOrderReferencedDocument.IssuerAssignedID)).toBe('PO-9');
    const settlement = transaction.ApplicableHeaderTradeSettlement as Node;
    expect(text(settlement.PaymentReference)).toBe(invoice.payment_reference); // BT-83: the RF creditor reference
    expect(text(settlement.InvoiceCurrencyCode)).toBe('EUR');
    expect(text(settlement.SpecifiedTradeSettlementPaymentMeans.PayeePartyCreditorFinancialAccount.IBANID)).toBe(
      SELLER.iban,
    );
    expect(text(settlement.SpecifiedTradePaymentTerms.DueDateDateTime.DateTimeString)).toBe(
      invoice.due_date.replaceAll('-', ''),
    );
    const sums = settlement.SpecifiedTradeSettlementHeaderMonetarySummation as Node;
    expect({
      subtotal: text(sums.LineTotalAmount),
      charge_total: text(sums.ChargeTotalAmount),
      tax_basis: text(sums.TaxBasisTotalAmount),
      tax_total: text(sums.TaxTotalAmount),
      total: text(sums.GrandTotalAmount),
      due: text(sums.DuePayableAmount),
    }).toEqual({
      subtotal: invoice.subtotal,
      charge_total: invoice.charge_total,
      tax_basis: (Number(invoice.total) - Number(invoice.tax_total)).toFixed(2),
      tax_total: invoice.tax_total,
      total: invoice.total,
      due: invoice.total,
    });
    expect(sums.TaxTotalAmount['@_currencyID']).toBe('EUR');
    expect(
      (settlement.ApplicableTradeTax as Node[]).map((t) => ({
        category: text(t.CategoryCode),
        percentage: text(t.RateApplicablePercent),
        taxable_amount: text(t.BasisAmount),
        tax_amount: text(t.CalculatedAmount),
      })),
    ).toEqual(
      invoice.tax_breakdown.map((g: Record<string, string>) => ({
        category: g.category,
        percentage: g.percentage,
        taxable_amount: g.taxable_amount,
        tax_amount: g.tax_amount,
      })),
    );
    expect(text((settlement.ApplicableTradeTax as Node[])[2]!.ExemptionReason)).toContain('article 132');
    const items = transaction.IncludedSupplyChainTradeLineItem as Node[];
    expect(
      items.map((i) =>
        text(i.SpecifiedLineTradeSettlement.SpecifiedTradeSettlementLineMonetarySummation.LineTotalAmount),
      ),
    ).toEqual(invoice.lines.map((l: { amount: string }) => l.amount));
    expect(items[0]!.SpecifiedLineTradeDelivery.BilledQuantity['@_unitCode']).toBe('HUR');

    // PDF/A-3 and Factur-X structure in the file itself.
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/Type \/EmbeddedFile\n\/Subtype \/text#2Fxml/);
    expect(raw).toContain('/AFRelationship /Alternative');
    expect(raw).toMatch(/\/AF \[\d+ 0 R\]/);
    expect(raw).toMatch(/\/EmbeddedFiles << \/Names \[\(factur-x\.xml\) \d+ 0 R\] >>/);
    expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    expect(raw).toContain('/S /GTS_PDFA1');
    const xmpText = /<x:xmpmeta[\s\S]*<\/x:xmpmeta>/.exec(pdf.toString('utf8'))?.[0];
    expect(xmpText).toBeDefined();
    const xmp = parseXml(xmpText!).xmpmeta.RDF.Description as Node[];
    const merged = Object.assign({}, ...xmp) as Node;
    expect(merged).toMatchObject({
      part: '3',
      conformance: 'B',
      DocumentType: 'INVOICE',
      DocumentFileName: 'factur-x.xml',
      Version: '1.0',
      ConformanceLevel: 'EN 16931',
      Producer: 'Arbor',
    });
    expect(text(merged.title.Alt.li)).toBe(info.Title);
    expect(text(merged.creator.Seq.li)).toBe(SELLER.legal_name);

    // The visible invoice is the invoice PDF.
    const visible = await readPdf(pdf);
    expect(visible.text).toContain(invoice.number);
  });

  test('the Factur-X of the same invoice is the same bytes each time', async () => {
    const org = await server.newOrg();
    const { buyer, vat19 } = await einvoiceSetup(org);
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const first = await facturX(org, invoice.id);
    const second = await facturX(org, invoice.id);
    expect(first.equals(second)).toBe(true);
  });
});
