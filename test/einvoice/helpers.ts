import { XMLParser } from 'fast-xml-parser';
import type { OrgClient } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';

// An organization that can issue EN 16931 e-invoices: seller address, VAT id and IBAN; a buyer with a VAT id;
// tax rates of every category the tests use.

export const SELLER = {
  legal_name: 'Müller & Söhne <GmbH>',
  // All keys: a stored settings address without line2/region breaks the posted invoice's response schema.
  address: { line1: 'Hauptstr. 1', line2: null, city: 'Berlin', postal_code: '10115', region: null, country: 'DE' },
  tax_id: 'DE123456789',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
  email: 'billing@mueller.test',
};

export async function einvoiceSetup(org: OrgClient, opts: { currency?: string } = {}) {
  const settings = await org.patch('/api/v1/settings', SELLER);
  if (settings.status !== 200) throw new Error(`settings failed: ${JSON.stringify(settings.body)}`);
  const base = await billingSetup(org, opts);
  const rate = async (body: Record<string, unknown>) => {
    const res = await org.post('/api/v1/tax_rates', body);
    if (res.status !== 201) throw new Error(`tax rate failed: ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const zero = await rate({ name: 'Zero rated', percentage: '0', category: 'Z' });
  const exempt = await rate({
    name: 'Exempt',
    percentage: '0',
    category: 'E',
    exemption_reason: 'Exempt under article 132 of Directive 2006/112/EC',
  });
  const reverse = await rate({
    name: 'Reverse charge',
    percentage: '0',
    category: 'AE',
    exemption_reason: 'Reverse charge',
  });
  const buyer = await org.post('/api/v1/customers', {
    name: 'Client BV',
    currency: base.currency,
    email: 'ap@client.test',
    tax_id: 'NL123456789B01',
    billing_address: { line1: 'Kerkstraat 2', city: 'Amsterdam', postal_code: '1017 GA', country: 'NL' },
  });
  if (buyer.status !== 201) throw new Error(`customer failed: ${JSON.stringify(buyer.body)}`);
  return { ...base, zero, exempt, reverse, buyer: buyer.body as { id: string } };
}

export type Node = Record<string, any>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) =>
    [
      'InvoiceLine',
      'CreditNoteLine',
      'AllowanceCharge',
      'TaxSubtotal',
      'PartyTaxScheme',
      'IncludedSupplyChainTradeLineItem',
      'ApplicableTradeTax',
      'SpecifiedTradeAllowanceCharge',
      'SpecifiedTaxRegistration',
    ].includes(name),
});

export function parseXml(xml: string): Node {
  return parser.parse(xml) as Node;
}

/** The text of an element that may carry attributes. */
export const text = (node: unknown): string | undefined =>
  node == null ? undefined : typeof node === 'object' ? text((node as Node)['#text']) : String(node);
