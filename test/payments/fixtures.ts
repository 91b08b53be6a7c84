import type { OrgClient } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

/** A customer and a 0 % rate, so that an invoice's total is its net price. */
export async function paymentSetup(org: OrgClient) {
  const setup = await billingSetup(org);
  const zero = (await org.post('/api/v1/tax_rates', { name: 'Zero', percentage: '0', category: 'Z' })).body;
  const invoice = (total: string, extra: Record<string, unknown> = {}) =>
    postedInvoice(org, {
      customer: setup.customer.id,
      lines: [{ description: 'Work', quantity: '1', unit_price: total, tax_rate: zero.id }],
      ...extra,
    });
  const pay = (body: Record<string, unknown>) =>
    org.post('/api/v1/payments', { customer: setup.customer.id, method: 'bank_transfer', ...body });
  return { ...setup, zero, invoice, pay };
}

export const invoiceOf = async (org: OrgClient, id: string) => (await org.get(`/api/v1/invoices/${id}`)).body;
