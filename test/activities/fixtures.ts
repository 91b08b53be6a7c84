import { expect } from 'vitest';
import type { OrgClient } from '../helpers/server';

/** A 0 % tax rate and a customer, so invoice totals equal their line amounts. */
export async function zeroRatedCustomer(org: OrgClient, body: Record<string, unknown> = {}) {
  const zero = (await org.post('/api/v1/tax_rates', { name: 'Zero', percentage: '0', category: 'Z' })).body;
  const customer = (
    await org.post('/api/v1/customers', { name: 'Initech', currency: 'EUR', email: 'ap@initech.test', ...body })
  ).body;
  expect(customer.id).toBeDefined();
  return { zero, customer };
}

/** A posted invoice of one line of `amount`, issued 2026-10-01 and due on `due`. */
export async function invoiceOf(
  org: OrgClient,
  customer: string,
  taxRate: string,
  amount: string,
  due: string,
): Promise<{ id: string; number: string; amount_due: string }> {
  const draft = await org.post('/api/v1/invoices', {
    customer,
    issue_date: '2026-10-01',
    due_date: due,
    lines: [{ description: 'Work', quantity: '1', unit_price: amount, tax_rate: taxRate }],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const posted = await org.post(`/api/v1/invoices/${draft.body.id}/post`);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  return posted.body;
}

export async function eventTypes(org: OrgClient, invoice: string): Promise<string[]> {
  const res = await org.get(`/api/v1/invoices/${invoice}/events`);
  return res.body.data.map((e: { type: string }) => e.type);
}
