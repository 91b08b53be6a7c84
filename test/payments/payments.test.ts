import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '../helpers/server';
import { invoiceOf, paymentSetup } from './fixtures';
import { checkMoney, written } from './invariants';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function setup() {
  const org = await server.newOrg();
  return { org, ...(await paymentSetup(org)) };
}

const eventTypes = async (org: Awaited<ReturnType<typeof setup>>['org'], object: string) =>
  (await org.get(`/api/v1/events?object=${object}`)).body.data.map((e: { type: string }) => e.type);

describe('recording payments', () => {
  test('a partial payment allocated to an invoice leaves it partially paid, dated with the payment', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00', { issue_date: '2026-01-15' });
    const res = await pay({
      amount: '40.00',
      date: '2026-02-03',
      reference: 'TX-1',
      allocations: [{ invoice: inv.id, amount: '40' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      customer: customer.id,
      amount: '40.00',
      currency: 'EUR',
      date: '2026-02-03',
      method: 'bank_transfer',
      reference: 'TX-1',
      allocations: [{ invoice: inv.id, amount: '40.00', date: '2026-02-03' }],
      unapplied_amount: '0.00',
      refunded_amount: '0.00',
      status: 'succeeded',
    });
    expect(res.body.id).toMatch(/^pay_/);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_paid, after.amount_due, after.payment_status, after.status]).toEqual([
      '40.00',
      '60.00',
      'partially_paid',
      'posted',
    ]);
    expect(await eventTypes(org, res.body.id)).toEqual(['payment.created']);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });

  test('an overpayment pays the invoice and the rest joins the credit balance', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00');
    const res = await pay({
      amount: '130.50',
      date: '2026-01-02',
      allocations: [{ invoice: inv.id, amount: '100.00' }],
    });
    expect([res.body.unapplied_amount, res.body.allocations[0].amount]).toEqual(['30.50', '100.00']);
    // Paid before the invoice was issued: the money is applied on its issue date.
    expect(res.body.allocations[0].date).toBe(inv.issue_date);
    const after = await invoiceOf(org, inv.id);
    expect([after.status, after.payment_status, after.amount_due]).toEqual(['paid', 'paid', '0.00']);
    expect(await eventTypes(org, inv.id)).toContain('invoice.paid');
    expect(await checkMoney(server, org, customer.id)).toBe('30.50');
  });

  test('a payment without allocations is all unapplied credit', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00');
    const res = await pay({ amount: 25 });
    expect([res.body.allocations, res.body.unapplied_amount]).toEqual([[], '25.00']);
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('100.00');
    expect(await checkMoney(server, org, customer.id)).toBe('25.00');
  });

  test('auto_apply pays open invoices by due date, then issue date, then number', async () => {
    const { org, customer, invoice, pay } = await setup();
    const late = await invoice('50.00', { issue_date: '2026-01-01', due_date: '2026-03-01' });
    const b = await invoice('30.00', { issue_date: '2026-01-05', due_date: '2026-02-01' });
    const a = await invoice('20.00', { issue_date: '2026-01-02', due_date: '2026-02-01' });
    const c = await invoice('40.00', { issue_date: '2026-01-05', due_date: '2026-02-01' });
    const res = await pay({ amount: '100.00', auto_apply: true, date: '2026-02-10' });
    expect(res.status).toBe(201);
    expect(res.body.allocations.map((x: { invoice: string; amount: string }) => [x.invoice, x.amount])).toEqual([
      [a.id, '20.00'],
      [b.id, '30.00'],
      [c.id, '40.00'],
      [late.id, '10.00'],
    ]);
    expect(res.body.unapplied_amount).toBe('0.00');
    expect((await invoiceOf(org, late.id)).amount_due).toBe('40.00');
    const more = await pay({ amount: '45.00', auto_apply: true });
    expect([more.body.allocations[0].amount, more.body.unapplied_amount]).toEqual(['40.00', '5.00']);
    expect(await checkMoney(server, org, customer.id)).toBe('5.00');
  });

  test('refusals name the field, and nothing is written', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00');
    const small = await invoice('10.00');
    const draft = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    const other = (await org.post('/api/v1/customers', { name: 'Other', currency: 'EUR' })).body;
    const usd = (await org.post('/api/v1/customers', { name: 'Yankee', currency: 'USD' })).body;
    const foreign = (await server.newOrg()).orgId;
    expect(foreign).not.toBe(org.orgId);
    const otherInv = (
      await org.post('/api/v1/invoices', {
        customer: other.id,
        lines: [{ description: 'x', quantity: '1', unit_price: '5', tax_rate: (await paymentSetup(org)).zero.id }],
      })
    ).body;
    await org.post(`/api/v1/invoices/${otherInv.id}/post`);
    const before = await written(server, org);
    const cases: [Record<string, unknown>, number, string, string | null][] = [
      [{ customer: 'cus_nope', amount: '1' }, 422, 'customer_not_found', 'customer'],
      [{ currency: 'USD', amount: '1' }, 422, 'currency_mismatch', 'currency'],
      [{ amount: '1.001' }, 400, 'amount_precision', 'amount'],
      [{ amount: '0' }, 400, 'parameter_invalid', 'amount'],
      [{ amount: '1', method: 'barter' }, 400, 'parameter_invalid', 'method'],
      [
        { amount: '5', allocations: [{ invoice: inv.id, amount: '1.005' }] },
        400,
        'amount_precision',
        'allocations[0].amount',
      ],
      [
        {
          amount: '50',
          allocations: [
            { invoice: inv.id, amount: '30' },
            { invoice: small.id, amount: '10.01' },
          ],
        },
        409,
        'allocation_exceeds_amount_due',
        'allocations[1].amount',
      ],
      [
        {
          amount: '50',
          allocations: [
            { invoice: inv.id, amount: '40' },
            { invoice: small.id, amount: '10.01' },
          ],
        },
        409,
        'allocations_exceed_payment_amount',
        'allocations',
      ],
      [
        { amount: '5', allocations: [{ invoice: otherInv.id, amount: '5' }] },
        422,
        'invoice_of_other_customer',
        'allocations[0].invoice',
      ],
      [
        { amount: '5', allocations: [{ invoice: 'inv_nope', amount: '5' }] },
        422,
        'invoice_not_found',
        'allocations[0].invoice',
      ],
      [
        { amount: '5', allocations: [{ invoice: draft.id, amount: '5' }] },
        409,
        'invoice_not_open',
        'allocations[0].amount',
      ],
      [
        {
          amount: '5',
          allocations: [
            { invoice: inv.id, amount: '2' },
            { invoice: inv.id, amount: '3' },
          ],
        },
        400,
        'duplicate_allocation',
        'allocations[1].invoice',
      ],
      [
        { amount: '5', auto_apply: true, allocations: [{ invoice: inv.id, amount: '5' }] },
        400,
        'allocations_with_auto_apply',
        'auto_apply',
      ],
    ];
    for (const [body, status, code, param] of cases) {
      const res = await pay(body);
      expect({ body, status: res.status, code: res.body.error?.code, param: res.body.error?.param }).toEqual({
        body,
        status,
        code,
        param,
      });
    }
    const usdPay = await org.post('/api/v1/payments', {
      customer: usd.id,
      amount: '1',
      method: 'card',
      currency: 'EUR',
    });
    expect([usdPay.status, usdPay.body.error.code]).toEqual([422, 'currency_mismatch']);
    expect(await written(server, org)).toEqual(before);
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('100.00');
    const sales = await org.keyWithRole('sales');
    expect((await sales.post('/api/v1/payments', { customer: customer.id, amount: '1', method: 'cash' })).status).toBe(
      403,
    );
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });

  test('payments are listed newest first, filtered by customer, and hidden from other organizations', async () => {
    const { org, customer, pay } = await setup();
    const other = (await org.post('/api/v1/customers', { name: 'Other', currency: 'EUR' })).body;
    const first = (await pay({ amount: '1' })).body;
    const second = (await pay({ amount: '2', method: 'cash' })).body;
    const third = (await org.post('/api/v1/payments', { customer: other.id, amount: '3', method: 'card' })).body;
    const all = (await org.get('/api/v1/payments')).body;
    expect(all.data.map((p: { id: string }) => p.id)).toEqual([third.id, second.id, first.id]);
    const mine = (await org.get(`/api/v1/payments?customer=${customer.id}&limit=1`)).body;
    expect([mine.data.map((p: { id: string }) => p.id), mine.has_more]).toEqual([[second.id], true]);
    expect((await org.get(`/api/v1/payments/${first.id}`)).body).toEqual(first);
    const stranger = await server.newOrg();
    expect((await stranger.get(`/api/v1/payments/${first.id}`)).status).toBe(404);
    expect((await stranger.post(`/api/v1/payments/${first.id}/refund`, { amount: '1' })).status).toBe(404);
  });
});

describe('allocating, refunding and reversing', () => {
  test('unapplied money is allocated later, dated today unless a date is given', async () => {
    const { org, customer, invoice, pay } = await setup();
    const a = await invoice('60.00', { issue_date: '2026-01-01' });
    const b = await invoice('30.00', { issue_date: '2026-01-01' });
    const p = (await pay({ amount: '100.00', date: '2026-01-10' })).body;
    const today = (
      await org.post(`/api/v1/payments/${p.id}/allocate`, { allocations: [{ invoice: a.id, amount: '60' }] })
    ).body;
    expect(today.allocations[0].date).toBe(TEST_NOW.slice(0, 10));
    expect(today.unapplied_amount).toBe('40.00');
    const dated = await org.post(`/api/v1/payments/${p.id}/allocate`, {
      allocations: [{ invoice: b.id, amount: '30' }],
      date: '2026-01-20',
    });
    expect([dated.status, dated.body.allocations[1].date, dated.body.unapplied_amount]).toEqual([
      200,
      '2026-01-20',
      '10.00',
    ]);
    expect(await checkMoney(server, org, customer.id)).toBe('10.00');
    const c = await invoice('50.00');
    const before = await written(server, org);
    const tooMuch = await org.post(`/api/v1/payments/${p.id}/allocate`, {
      allocations: [{ invoice: c.id, amount: '10.01' }],
    });
    expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.param]).toEqual([
      409,
      'allocations_exceed_unapplied_amount',
      'allocations',
    ]);
    const early = await org.post(`/api/v1/payments/${p.id}/allocate`, {
      allocations: [{ invoice: c.id, amount: '1' }],
      date: '2026-01-09',
    });
    expect([early.status, early.body.error.code, early.body.error.param]).toEqual([400, 'date_before_payment', 'date']);
    const paid = await org.post(`/api/v1/payments/${p.id}/allocate`, { allocations: [{ invoice: a.id, amount: '1' }] });
    expect([paid.status, paid.body.error.code]).toEqual([409, 'invoice_not_open']);
    expect(await written(server, org)).toEqual(before);
    expect(await eventTypes(org, p.id)).toEqual(['payment.allocated', 'payment.allocated', 'payment.created']);
  });

  test('a refund pays unapplied money back, at most what is unapplied', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('70.00', { issue_date: '2026-01-01' });
    const p = (await pay({ amount: '100.00', date: '2026-01-05', allocations: [{ invoice: inv.id, amount: '70' }] }))
      .body;
    const before = await written(server, org);
    const tooMuch = await org.post(`/api/v1/payments/${p.id}/refund`, { amount: '30.01' });
    expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.param]).toEqual([
      409,
      'refund_exceeds_unapplied_amount',
      'amount',
    ]);
    const digits = await org.post(`/api/v1/payments/${p.id}/refund`, { amount: '1.234' });
    expect([digits.status, digits.body.error.param]).toEqual([400, 'amount']);
    expect(await written(server, org)).toEqual(before);
    const res = await org.post(`/api/v1/payments/${p.id}/refund`, { amount: '20', date: '2026-06-01' });
    expect(res.status).toBe(200);
    expect([res.body.unapplied_amount, res.body.refunded_amount]).toEqual(['10.00', '20.00']);
    expect(await eventTypes(org, p.id)).toEqual(['payment.refunded', 'payment.created']);
    expect(await checkMoney(server, org, customer.id)).toBe('10.00');
  });

  test('reversing a bounced payment reopens its invoices; it cannot be reversed twice', async () => {
    const { org, customer, invoice, pay } = await setup();
    const a = await invoice('60.00');
    const b = await invoice('30.00');
    const p = (
      await pay({
        amount: '100.00',
        allocations: [
          { invoice: a.id, amount: '60' },
          { invoice: b.id, amount: '20' },
        ],
      })
    ).body;
    await org.post(`/api/v1/payments/${p.id}/refund`, { amount: '5' });
    expect((await invoiceOf(org, a.id)).status).toBe('paid');
    expect(await checkMoney(server, org, customer.id)).toBe('15.00');
    const res = await org.post(`/api/v1/payments/${p.id}/reverse`, { reason: 'Returned by the bank' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'reversed',
      allocations: [],
      unapplied_amount: '0.00',
      refunded_amount: '5.00',
      reversal_reason: 'Returned by the bank',
    });
    const [ra, rb] = [await invoiceOf(org, a.id), await invoiceOf(org, b.id)];
    expect([ra.status, ra.amount_paid, ra.amount_due, rb.amount_due]).toEqual(['posted', '0.00', '60.00', '30.00']);
    expect(await eventTypes(org, a.id)).toContain('invoice.reopened');
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
    const before = await written(server, org);
    const again = await org.post(`/api/v1/payments/${p.id}/reverse`, { reason: 'again' });
    expect([again.status, again.body.error.code]).toEqual([409, 'payment_already_reversed']);
    const allocate = await org.post(`/api/v1/payments/${p.id}/allocate`, {
      allocations: [{ invoice: a.id, amount: '1' }],
    });
    expect([allocate.status, allocate.body.error.code]).toEqual([409, 'payment_reversed']);
    const refund = await org.post(`/api/v1/payments/${p.id}/refund`, { amount: '1' });
    expect([refund.status, refund.body.error.code]).toEqual([409, 'payment_reversed']);
    expect((await org.post(`/api/v1/payments/${p.id}/reverse`, {})).status).toBe(400);
    expect(await written(server, org)).toEqual(before);
  });
});

describe('applying the credit balance', () => {
  test('apply_credit takes unapplied payments oldest first and refuses more than the balance or the amount due', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00');
    const newer = (await pay({ amount: '30.00', date: '2026-02-01' })).body;
    const older = (await pay({ amount: '20.00', date: '2026-01-01' })).body;
    const small = await invoice('5.00');
    expect(await checkMoney(server, org, customer.id)).toBe('50.00');
    const before = await written(server, org);
    const refusals: [Record<string, unknown>, number, string, string][] = [
      [{ invoice: inv.id, amount: '50.01' }, 409, 'insufficient_credit_balance', 'amount'],
      [{ invoice: small.id, amount: '5.01' }, 409, 'allocation_exceeds_amount_due', 'amount'],
      [{ invoice: 'inv_nope', amount: '1' }, 422, 'invoice_not_found', 'invoice'],
      [{ invoice: inv.id, amount: '0.001' }, 400, 'amount_precision', 'amount'],
    ];
    for (const [body, status, code, param] of refusals) {
      const res = await org.post(`/api/v1/customers/${customer.id}/apply_credit`, body);
      expect([res.status, res.body.error?.code, res.body.error?.param]).toEqual([status, code, param]);
    }
    expect((await org.post('/api/v1/customers/cus_nope/apply_credit', { invoice: inv.id, amount: '1' })).status).toBe(
      404,
    );
    expect(await written(server, org)).toEqual(before);

    const res = await org.post(`/api/v1/customers/${customer.id}/apply_credit`, { invoice: inv.id, amount: '35.00' });
    expect([res.status, res.body.id, res.body.credit_balance]).toEqual([200, customer.id, '15.00']);
    expect((await org.get(`/api/v1/payments/${older.id}`)).body.unapplied_amount).toBe('0.00');
    expect((await org.get(`/api/v1/payments/${newer.id}`)).body.unapplied_amount).toBe('15.00');
    expect((await invoiceOf(org, inv.id)).amount_paid).toBe('35.00');
    expect(await eventTypes(org, customer.id)).toContain('customer.credit_applied');
    expect(await checkMoney(server, org, customer.id)).toBe('15.00');
  });
});

describe('concurrency', () => {
  test('10 concurrent payments of 60.00 on one 100.00 invoice never over-apply it', async () => {
    const { org, customer, invoice, pay } = await setup();
    const inv = await invoice('100.00');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => pay({ amount: '60.00', allocations: [{ invoice: inv.id, amount: '60.00' }] })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'allocation_exceeds_amount_due'),
    ).toBe(true);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_paid, after.amount_due]).toEqual(['60.00', '40.00']);
    const payments = (await org.get(`/api/v1/payments?customer=${customer.id}`)).body.data;
    expect(payments).toHaveLength(1);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });
});
