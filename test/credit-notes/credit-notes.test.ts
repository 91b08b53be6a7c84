import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows, sql } from '../../src/platform/db';
import { type OrgClient, startTestServer, TEST_NOW, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { invoiceOf, paymentSetup } from '../payments/fixtures';
import { checkMoney, written } from '../payments/invariants';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** 3 × 33.333 at 19 % (100.00) and 2 × 9.99 less 10 % at 7 % (17.98): tax 19.00 + 1.26, total 138.24. */
async function setup() {
  const org = await server.newOrg();
  const s = await billingSetup(org);
  const inv = await postedInvoice(org, {
    customer: s.customer.id,
    issue_date: '2026-03-01',
    lines: [
      { description: 'Consulting', quantity: '3', unit_price: '33.333', tax_rate: s.vat19.id },
      { description: 'Book', quantity: '2', unit_price: '9.99', discount_percent: '10', tax_rate: s.vat7.id },
    ],
  });
  const credit = (body: Record<string, unknown>) =>
    org.post('/api/v1/credit_notes', { invoice: inv.id, issue_date: '2026-03-10', ...body });
  return { org, ...s, inv, credit, lineA: inv.lines[0].id as string, lineB: inv.lines[1].id as string };
}

const ledger = async (org: OrgClient, account: string) =>
  (
    await rows<{ v: string }>(
      server.db,
      sql`select coalesce(sum(credit - debit), 0)::text as v from journal_lines where org_id = ${org.orgId} and account = ${account}`,
    )
  )[0]!.v;

describe('issuing credit notes', () => {
  test('crediting every line in parts credits exactly the invoice tax and total', async () => {
    const { org, customer, inv, credit, lineA, lineB, vat19 } = await setup();
    expect([inv.total, inv.tax_total]).toEqual(['138.24', '20.26']);
    const first = await credit({ lines: [{ invoice_line: lineA, quantity: '1' }], reason: 'One day less' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      number: 'CN-2026-000001',
      invoice: inv.id,
      customer: customer.id,
      currency: 'EUR',
      reason: 'One day less',
      lines: [{ invoice_line: lineA, description: 'Consulting', quantity: '1', amount: '33.33' }],
      subtotal: '33.33',
      tax_total: '6.33',
      total: '39.66',
      tax_breakdown: [
        {
          category: 'S',
          percentage: '19',
          tax_rate: vat19.id,
          exemption_reason: null,
          taxable_amount: '33.33',
          tax_amount: '6.33',
        },
      ],
      credit_to: 'invoice',
      status: 'issued',
      issue_date: '2026-03-10',
      unapplied_amount: '0.00',
    });
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('98.58');
    const second = (await credit({ lines: [{ invoice_line: lineA, quantity: '1' }] })).body;
    expect([second.number, second.lines[0].amount, second.tax_total]).toEqual(['CN-2026-000002', '33.34', '6.34']);
    const last = (
      await credit({
        lines: [
          { invoice_line: lineA, quantity: '0.5' },
          { invoice_line: lineB, quantity: '2' },
          { invoice_line: lineA, quantity: '0.5' },
        ],
      })
    ).body;
    expect(last.lines.map((l: { amount: string }) => l.amount)).toEqual(['16.66', '17.98', '16.67']);
    const notes = (await org.get(`/api/v1/credit_notes?invoice=${inv.id}`)).body.data;
    const total = (k: string) => notes.reduce((s: number, n: Record<string, string>) => s + Number(n[k]), 0).toFixed(2);
    expect([total('subtotal'), total('tax_total'), total('total')]).toEqual(['117.98', '20.26', '138.24']);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_credited, after.amount_due, after.status]).toEqual(['138.24', '0.00', 'paid']);
    expect(await ledger(org, 'tax_payable')).toBe('0.00');
    expect(await ledger(org, 'revenue')).toBe('0.00');

    const before = await written(server, org);
    const more = await credit({ lines: [{ invoice_line: lineB, quantity: '0.1' }] });
    expect([more.status, more.body.error.code, more.body.error.param]).toEqual([
      409,
      'credit_exceeds_line_quantity',
      'lines[0].quantity',
    ]);
    const byAmount = await credit({ amount: '0.01' });
    expect([byAmount.status, byAmount.body.error.code, byAmount.body.error.param]).toEqual([
      409,
      'credit_exceeds_invoice_total',
      'amount',
    ]);
    expect(await written(server, org)).toEqual(before);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });

  test('a credit by amount is split over the tax groups by their gross and goes to the credit balance', async () => {
    const { org, customer, inv, credit } = await setup();
    const res = await credit({ amount: '50.00', credit_to: 'customer_balance' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lines: null, subtotal: '42.67', tax_total: '7.33', total: '50.00' });
    expect(
      res.body.tax_breakdown.map((g: Record<string, string>) => [g.percentage, g.taxable_amount, g.tax_amount]),
    ).toEqual([
      ['19', '36.17', '6.87'],
      ['7', '6.50', '0.46'],
    ]);
    expect(res.body.unapplied_amount).toBe('50.00');
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('138.24');
    expect(await checkMoney(server, org, customer.id)).toBe('50.00');

    // The credit balance pays an invoice: unapplied payments first, then the credit note.
    const payment = (
      await org.post('/api/v1/payments', { customer: customer.id, amount: '10.00', method: 'cash', date: '2026-03-20' })
    ).body;
    const applied = await org.post(`/api/v1/customers/${customer.id}/apply_credit`, { invoice: inv.id, amount: '30' });
    expect([applied.status, applied.body.credit_balance]).toEqual([200, '30.00']);
    expect((await org.get(`/api/v1/payments/${payment.id}`)).body.unapplied_amount).toBe('0.00');
    expect((await org.get(`/api/v1/credit_notes/${res.body.id}`)).body.unapplied_amount).toBe('30.00');
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_paid, after.amount_credited, after.amount_due]).toEqual(['10.00', '20.00', '108.24']);
    expect(await checkMoney(server, org, customer.id)).toBe('30.00');
    const void_ = await org.post(`/api/v1/credit_notes/${res.body.id}/void`);
    expect([void_.status, void_.body.error.code]).toEqual([409, 'credit_note_used']);
  });

  test('credited to the invoice, what exceeds the amount due joins the credit balance', async () => {
    const { org, customer, inv, credit } = await setup();
    await org.post('/api/v1/payments', {
      customer: customer.id,
      amount: '100.00',
      method: 'bank_transfer',
      allocations: [{ invoice: inv.id, amount: '100.00' }],
    });
    const res = (await credit({ amount: '50.00' })).body;
    expect(res.unapplied_amount).toBe('11.76');
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_credited, after.amount_due, after.status]).toEqual(['38.24', '0.00', 'paid']);
    expect(await checkMoney(server, org, customer.id)).toBe('11.76');
    const onPaid = (await credit({ amount: '5.00' })).body;
    expect(onPaid.unapplied_amount).toBe('5.00');
    expect(await checkMoney(server, org, customer.id)).toBe('16.76');
  });

  test('a tax-inclusive invoice credited line by line gives back exactly its tax', async () => {
    const org = await server.newOrg();
    const { customer, vat19, vat7 } = await billingSetup(org);
    const inv = await postedInvoice(org, {
      customer: customer.id,
      tax_behavior: 'inclusive',
      lines: [
        { description: 'Ticket', quantity: '3', unit_price: '10.00', tax_rate: vat19.id },
        { description: 'Food', quantity: '7', unit_price: '3.33', tax_rate: vat7.id },
      ],
    });
    const [a, b] = inv.lines.map((l: { id: string }) => l.id);
    const notes: Record<string, string>[] = [];
    for (const lines of [
      [{ invoice_line: a, quantity: '1' }],
      [{ invoice_line: b, quantity: '4' }],
      [
        { invoice_line: a, quantity: '2' },
        { invoice_line: b, quantity: '3' },
      ],
    ])
      notes.push(
        (await org.post('/api/v1/credit_notes', { invoice: inv.id, lines, credit_to: 'customer_balance' })).body,
      );
    const sum = (k: string) => notes.reduce((s, n) => s + Number(n[k]), 0).toFixed(2);
    expect([sum('tax_total'), sum('total')]).toEqual([inv.tax_total, inv.total]);
    expect(await checkMoney(server, org, customer.id)).toBe(inv.total);
  });

  test('refusals name the field, and nothing is written', async () => {
    const { org, customer, inv, credit, lineA } = await setup();
    const draft = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    const voided = await postedInvoice(org, {
      customer: customer.id,
      lines: [{ description: 'x', quantity: '1', unit_price: '1', tax_rate: inv.lines[0].tax_rate }],
    });
    await org.post(`/api/v1/invoices/${voided.id}/void`);
    const before = await written(server, org);
    const cases: [Record<string, unknown>, number, string, string | null][] = [
      [{ invoice: draft.id, amount: '1' }, 409, 'invoice_is_draft', 'invoice'],
      [{ invoice: voided.id, amount: '1' }, 409, 'invoice_is_void', 'invoice'],
      [{ invoice: 'inv_nope', amount: '1' }, 422, 'invoice_not_found', 'invoice'],
      [{ amount: '1', lines: [{ invoice_line: lineA, quantity: '1' }] }, 400, 'lines_or_amount', 'amount'],
      [{}, 400, 'lines_or_amount', 'lines'],
      [{ amount: '1.005' }, 400, 'amount_precision', 'amount'],
      [{ amount: '-1' }, 400, 'parameter_invalid', 'amount'],
      [{ amount: '138.25' }, 409, 'credit_exceeds_invoice_total', 'amount'],
      [{ lines: [{ invoice_line: 'li_nope', quantity: '1' }] }, 422, 'invoice_line_not_found', 'lines[0].invoice_line'],
      [{ lines: [{ invoice_line: lineA, quantity: '3.5' }] }, 409, 'credit_exceeds_line_quantity', 'lines[0].quantity'],
      [
        {
          lines: [
            { invoice_line: lineA, quantity: '2' },
            { invoice_line: lineA, quantity: '1.5' },
          ],
        },
        409,
        'credit_exceeds_line_quantity',
        'lines[1].quantity',
      ],
      [{ lines: [{ invoice_line: lineA, quantity: '-1' }] }, 400, 'credit_quantity_invalid', 'lines[0].quantity'],
      [{ amount: '1', issue_date: '2026-02-28' }, 400, 'issue_date_before_invoice', 'issue_date'],
      [{ amount: '1', credit_to: 'refund' }, 409, 'refund_exceeds_amount_paid', 'credit_to'],
      [{ amount: '1', credit_to: 'cash' }, 400, 'parameter_invalid', 'credit_to'],
    ];
    for (const [body, status, code, param] of cases) {
      const res = await credit(body);
      expect({ body, status: res.status, code: res.body.error?.code, param: res.body.error?.param }).toEqual({
        body,
        status,
        code,
        param,
      });
    }
    expect(await written(server, org)).toEqual(before);
    const sales = await org.keyWithRole('sales');
    expect((await sales.post('/api/v1/credit_notes', { invoice: inv.id, amount: '1' })).status).toBe(403);
    // The series has no gap after the refusals.
    expect((await credit({ amount: '1' })).body.number).toBe('CN-2026-000001');
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });
});

describe('refunds and voids', () => {
  test('a refund credit note takes the latest payments off the invoice and pays that money back', async () => {
    const org = await server.newOrg();
    const { customer, invoice, pay } = await paymentSetup(org);
    const inv = await invoice('100.00', { issue_date: '2026-01-01' });
    const early = (await pay({ amount: '60.00', date: '2026-01-10', allocations: [{ invoice: inv.id, amount: '60' }] }))
      .body;
    const late = (await pay({ amount: '40.00', date: '2026-01-20', allocations: [{ invoice: inv.id, amount: '40' }] }))
      .body;
    const res = await org.post('/api/v1/credit_notes', {
      invoice: inv.id,
      amount: '50.00',
      credit_to: 'refund',
      issue_date: '2026-02-01',
    });
    expect([res.status, res.body.credit_to, res.body.unapplied_amount]).toEqual([201, 'refund', '0.00']);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_paid, after.amount_credited, after.amount_due, after.status]).toEqual([
      '50.00',
      '50.00',
      '0.00',
      'paid',
    ]);
    const [e, l] = [
      (await org.get(`/api/v1/payments/${early.id}`)).body,
      (await org.get(`/api/v1/payments/${late.id}`)).body,
    ];
    expect([e.refunded_amount, e.allocations.map((a: { amount: string }) => a.amount)]).toEqual(['10.00', ['50.00']]);
    expect([l.refunded_amount, l.allocations]).toEqual(['40.00', []]);
    const refunds = await rows<{ amount: string; source_type: string }>(
      server.db,
      sql`select amount::text, source_type from refunds where org_id = ${org.orgId}`,
    );
    expect(refunds).toEqual([{ amount: '50.00', source_type: 'credit_note' }]);
    expect(await ledger(org, 'bank')).toBe('-50.00');
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
    const used = await org.post(`/api/v1/credit_notes/${res.body.id}/void`);
    expect([used.status, used.body.error.code]).toEqual([409, 'credit_note_used']);
    // A bounced payment after a refund takes back only what was not refunded.
    await org.post(`/api/v1/payments/${early.id}/reverse`, { reason: 'bounced' });
    expect((await invoiceOf(org, inv.id)).amount_due).toBe('50.00');
    expect(await ledger(org, 'bank')).toBe('0.00');
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });

  test('a refund is at most what was paid, and may take part of a payment back', async () => {
    const org = await server.newOrg();
    const { customer, invoice, pay } = await paymentSetup(org);
    const inv = await invoice('100.00');
    const p = (await pay({ amount: '30.00', allocations: [{ invoice: inv.id, amount: '30' }] })).body;
    const before = await written(server, org);
    const tooMuch = await org.post('/api/v1/credit_notes', { invoice: inv.id, amount: '30.01', credit_to: 'refund' });
    expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.param]).toEqual([
      409,
      'refund_exceeds_amount_paid',
      'credit_to',
    ]);
    expect(await written(server, org)).toEqual(before);
    const res = await org.post('/api/v1/credit_notes', { invoice: inv.id, amount: '20.00', credit_to: 'refund' });
    expect(res.status).toBe(201);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_paid, after.amount_credited, after.amount_due]).toEqual(['10.00', '20.00', '70.00']);
    const payment = (await org.get(`/api/v1/payments/${p.id}`)).body;
    expect([
      payment.refunded_amount,
      payment.unapplied_amount,
      payment.allocations.map((a: { amount: string }) => a.amount),
    ]).toEqual(['20.00', '0.00', ['10.00']]);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });

  test('an unused credit note is voided once and leaves the credit balance; a used one is not', async () => {
    const { org, customer, credit } = await setup();
    const note = (await credit({ amount: '138.24', credit_to: 'customer_balance' })).body;
    expect(await checkMoney(server, org, customer.id)).toBe('138.24');
    const res = await org.post(`/api/v1/credit_notes/${note.id}/void`);
    expect(res.status).toBe(200);
    expect([res.body.status, res.body.unapplied_amount, res.body.voided_on]).toEqual([
      'void',
      '0.00',
      TEST_NOW.slice(0, 10),
    ]);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
    expect(await ledger(org, 'tax_payable')).toBe('20.26');
    const again = await org.post(`/api/v1/credit_notes/${note.id}/void`);
    expect([again.status, again.body.error.code]).toEqual([409, 'credit_note_already_void']);
    // A void note no longer counts against the invoice total.
    const applied = (await credit({ amount: '138.24' })).body;
    expect([applied.number, applied.unapplied_amount]).toEqual(['CN-2026-000002', '0.00']);
    const used = await org.post(`/api/v1/credit_notes/${applied.id}/void`);
    expect([used.status, used.body.error.code]).toEqual([409, 'credit_note_used']);
    const events = (await org.get(`/api/v1/events?object=${note.id}`)).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(['credit_note.voided', 'credit_note.issued']);
    expect((await org.get(`/api/v1/credit_notes?customer=${customer.id}&limit=1`)).body).toMatchObject({
      data: [{ id: applied.id }],
      has_more: true,
    });
    expect((await (await server.newOrg()).get(`/api/v1/credit_notes/${note.id}`)).status).toBe(404);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });
});

describe('concurrency', () => {
  test('10 concurrent credit notes of 40.00 on a 138.24 invoice: three are issued, numbered without a gap', async () => {
    const { org, customer, inv, credit } = await setup();
    const results = await Promise.all(Array.from({ length: 10 }, () => credit({ amount: '40.00' })));
    const issued = results.filter((r) => r.status === 201);
    expect(issued).toHaveLength(3);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'credit_exceeds_invoice_total'),
    ).toBe(true);
    expect(issued.map((r) => r.body.number).sort()).toEqual(['CN-2026-000001', 'CN-2026-000002', 'CN-2026-000003']);
    const after = await invoiceOf(org, inv.id);
    expect([after.amount_credited, after.amount_due]).toEqual(['120.00', '18.24']);
    expect(await checkMoney(server, org, customer.id)).toBe('0.00');
  });
});
