import type { OrgClient } from '../helpers/server';

/** A customer, a 19 % and a 7 % VAT rate, ready to invoice. */
export async function billingSetup(org: OrgClient, opts: { currency?: string } = {}) {
  const currency = opts.currency ?? 'EUR';
  const vat19 = (await org.post('/api/v1/tax_rates', { name: 'VAT 19%', percentage: '19', category: 'S' })).body;
  const vat7 = (await org.post('/api/v1/tax_rates', { name: 'VAT 7%', percentage: '7', category: 'S' })).body;
  const customer = (
    await org.post('/api/v1/customers', {
      name: 'Globex GmbH',
      currency,
      email: 'ap@globex.test',
      billing_address: { country: 'DE' },
    })
  ).body;
  return { vat19, vat7, customer, currency };
}

/** Creates and posts an invoice; returns the posted invoice. */
export async function postedInvoice(org: OrgClient, body: Record<string, unknown>) {
  const draft = await org.post('/api/v1/invoices', body);
  if (draft.status !== 201) throw new Error(`draft failed: ${JSON.stringify(draft.body)}`);
  const posted = await org.post(`/api/v1/invoices/${draft.body.id}/post`);
  if (posted.status !== 200) throw new Error(`post failed: ${JSON.stringify(posted.body)}`);
  return posted.body;
}
