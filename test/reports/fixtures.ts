import { addDays } from '../../src/invoicing/dates';
import { type OrgClient, TEST_NOW } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';

/** Today as the test server's clock sees it for an organization in UTC (the clock starts at TEST_NOW). */
export const today = () => TEST_NOW.slice(0, 10);
/** A date `n` days from today (negative: in the past). */
export const day = (n: number) => addDays(today(), n);

export async function customer(org: OrgClient, name: string, currency = 'EUR') {
  const res = await org.post('/api/v1/customers', { name, currency });
  if (res.status !== 201) throw new Error(`customer failed: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

export async function vat19(org: OrgClient) {
  return (await org.post('/api/v1/tax_rates', { name: 'VAT 19%', percentage: '19', category: 'S' })).body as {
    id: string;
  };
}

/** A posted invoice of `net` + 19 % VAT, issued and due `issue` and `due` days from today. */
export async function invoice(
  org: OrgClient,
  rate: { id: string },
  customerId: string,
  net: string,
  issue: number,
  due: number,
) {
  return postedInvoice(org, {
    customer: customerId,
    issue_date: day(issue),
    due_date: day(due),
    lines: [{ description: `Work ${net}`, quantity: '1', unit_price: net, tax_rate: rate.id }],
  }) as Promise<{ id: string; number: string; total: string; amount_due: string }>;
}

export async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * The prepared receivables of the aging, summary and statement tests (amounts include 19 % VAT):
 * Acme (EUR): a1 119.00 issued −120 due −95; a2 238.00 issued −60 due −45 (4.00 written off today);
 *   a3 23.80 issued −70 due −61; a4 11.90 issued −5 due today.
 * Bolt (EUR): b1 59.50 issued −40 due −10; b2 11.90 issued −10 due +20 (voided today);
 *   b3 35.70 due −30, b4 47.60 due −31, b5 71.40 due −90, b6 83.30 due −91 (uncollectible today), all issued −100.
 * Cyan (USD): c1 119.00 issued −20 due −5.
 */
export async function preparedReceivables(org: OrgClient) {
  const rate = await vat19(org);
  const acme = await customer(org, 'Acme AG');
  const bolt = await customer(org, 'Bolt GmbH');
  const cyan = await customer(org, 'Cyan Inc', 'USD');
  const a1 = await invoice(org, rate, acme.id, '100', -120, -95);
  const b3 = await invoice(org, rate, bolt.id, '30', -100, -30);
  const b4 = await invoice(org, rate, bolt.id, '40', -100, -31);
  const b5 = await invoice(org, rate, bolt.id, '60', -100, -90);
  const b6 = await invoice(org, rate, bolt.id, '70', -100, -91);
  const a3 = await invoice(org, rate, acme.id, '20', -70, -61);
  const a2 = await invoice(org, rate, acme.id, '200', -60, -45);
  const b1 = await invoice(org, rate, bolt.id, '50', -40, -10);
  const c1 = await invoice(org, rate, cyan.id, '100', -20, -5);
  const b2 = await invoice(org, rate, bolt.id, '10', -10, 20);
  const a4 = await invoice(org, rate, acme.id, '10', -5, 0);
  await ok(org.post(`/api/v1/invoices/${b2.id}/void`));
  await ok(org.post(`/api/v1/invoices/${a2.id}/write_off`, { amount: '4.00', reason: 'bank fee' }));
  await ok(org.post(`/api/v1/invoices/${b6.id}/mark_uncollectible`));
  return { rate, acme, bolt, cyan, a1, a2, a3, a4, b1, b2, b3, b4, b5, b6, c1 };
}

/**
 * Paid receivables of one customer (EUR, 19 % VAT): p1 119.00 issued −40, paid −20 (P-1); p2 238.00 issued −30,
 * paid −20 (P-2); p3 59.50 issued −15 due +15, 20.00 paid −5 (P-3, reversed today); P-4 50.00 unapplied on −3,
 * 10.00 of it refunded today.
 */
export async function preparedPayments(org: OrgClient) {
  const rate = await vat19(org);
  const c = await customer(org, 'Xeno SA');
  const pay = (reference: string, amount: string, date: number, allocations?: { invoice: string; amount: string }[]) =>
    ok(
      org.post('/api/v1/payments', {
        customer: c.id,
        amount,
        method: 'bank_transfer',
        reference,
        date: day(date),
        ...(allocations ? { allocations } : {}),
      }),
      201,
    );
  const p1 = await invoice(org, rate, c.id, '100', -40, -10);
  const p2 = await invoice(org, rate, c.id, '200', -30, 0);
  const p3 = await invoice(org, rate, c.id, '50', -15, 15);
  await pay('P-1', '119.00', -20, [{ invoice: p1.id, amount: '119.00' }]);
  await pay('P-2', '238.00', -20, [{ invoice: p2.id, amount: '238.00' }]);
  const p3Payment = await pay('P-3', '20.00', -5, [{ invoice: p3.id, amount: '20.00' }]);
  const unapplied = await pay('P-4', '50.00', -3);
  return { org, customer: c, p1, p2, p3, p3Payment, unapplied };
}

/** Today's changes to the paid receivables: P-3 reversed, 10.00 of P-4 refunded. */
export async function reverseAndRefund(set: Awaited<ReturnType<typeof preparedPayments>>) {
  await ok(set.org.post(`/api/v1/payments/${set.p3Payment.id}/reverse`, { reason: 'bounced' }));
  await ok(set.org.post(`/api/v1/payments/${set.unapplied.id}/refund`, { amount: '10.00' }));
}
