import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from './fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function setup() {
  const org = await server.newOrg();
  return { org, ...(await billingSetup(org)) };
}

describe('drafts', () => {
  test('a draft computes its totals and VAT breakdown once, by the API.md rules', async () => {
    const { org, customer, vat19, vat7 } = await setup();
    const res = await org.post('/api/v1/invoices', {
      customer: customer.id,
      lines: [
        { description: 'Consulting', quantity: '3', unit_price: '33.333', tax_rate: vat19.id, unit: 'HUR' },
        { description: 'Book', quantity: 2, unit_price: 9.99, tax_rate: vat7.id, discount_percent: '10' },
      ],
      allowances_charges: [{ kind: 'charge', amount: '5.00', reason: 'Shipping', tax_rate: vat19.id }],
    });
    expect(res.status).toBe(201);
    const inv = res.body;
    expect(inv.status).toBe('draft');
    expect(inv.number).toBeNull();
    expect(inv.lines.map((l: { amount: string }) => l.amount)).toEqual(['100.00', '17.98']);
    expect(inv.lines[1].quantity).toBe('2');
    expect(inv.lines[0].unit_price).toBe('33.333');
    expect(inv.subtotal).toBe('117.98');
    expect(inv.charge_total).toBe('5.00');
    expect(inv.tax_breakdown).toEqual([
      expect.objectContaining({ category: 'S', percentage: '19', taxable_amount: '105.00', tax_amount: '19.95' }),
      expect.objectContaining({ category: 'S', percentage: '7', taxable_amount: '17.98', tax_amount: '1.26' }),
    ]);
    expect(inv.tax_total).toBe('21.21');
    expect(inv.total).toBe('144.19');
    expect(inv.amount_due).toBe('144.19');
  });

  test('a tax-inclusive draft extracts the tax per group', async () => {
    const { org, customer, vat19 } = await setup();
    const res = await org.post('/api/v1/invoices', {
      customer: customer.id,
      tax_behavior: 'inclusive',
      lines: [{ description: 'Ticket', quantity: '1', unit_price: '119.00', tax_rate: vat19.id }],
    });
    expect(res.body.total).toBe('119.00');
    expect(res.body.tax_total).toBe('19.00');
    expect(res.body.tax_breakdown[0].taxable_amount).toBe('100.00');
  });

  test('bad input is refused with the offending field and nothing is written', async () => {
    const { org, customer, vat19 } = await setup();
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { customer: customer.id, lines: [{ description: 'x', quantity: 'abc', unit_price: '1', tax_rate: vat19.id }] },
        400,
        'lines[0].quantity',
      ],
      [
        {
          customer: customer.id,
          lines: [{ description: 'x', quantity: '1', unit_price: '1.1234567', tax_rate: vat19.id }],
        },
        400,
        'lines[0].unit_price',
      ],
      [
        { customer: customer.id, lines: [{ description: 'x', quantity: '1', unit_price: '1' }] },
        400,
        'lines[0].tax_rate',
      ],
      [
        { customer: customer.id, lines: [{ description: 'x', quantity: '1', unit_price: '1', tax_rate: 'txr_nope' }] },
        422,
        'lines[0].tax_rate',
      ],
      [{ customer: 'cus_nope', lines: [] }, 422, 'customer'],
      [{ customer: customer.id, currency: 'USD' }, 422, 'currency'],
      [
        { customer: customer.id, allowances_charges: [{ kind: 'allowance', amount: '1.001', tax_rate: vat19.id }] },
        400,
        'allowances_charges[0].amount',
      ],
    ];
    for (const [body, status, param] of cases) {
      const res = await org.post('/api/v1/invoices', body);
      expect({ status: res.status, param: res.body.error?.param }).toEqual({ status, param });
    }
    expect((await org.get('/api/v1/invoices')).body.data).toEqual([]);
  });

  test('a draft can be changed and deleted; a posted invoice cannot', async () => {
    const { org, customer, vat19 } = await setup();
    const draft = (
      await org.post('/api/v1/invoices', {
        customer: customer.id,
        lines: [{ description: 'A', quantity: '1', unit_price: '10', tax_rate: vat19.id }],
      })
    ).body;
    const changed = await org.patch(`/api/v1/invoices/${draft.id}`, {
      lines: [{ description: 'B', quantity: '2', unit_price: '10', tax_rate: vat19.id }],
      notes: 'Thanks',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.total).toBe('23.80');
    expect(changed.body.notes).toBe('Thanks');
    const notesOnly = await org.patch(`/api/v1/invoices/${draft.id}`, { po_number: 'PO-1' });
    expect(notesOnly.body.lines[0].description).toBe('B');
    const posted = await org.post(`/api/v1/invoices/${draft.id}/post`);
    expect(posted.status).toBe(200);
    expect((await org.patch(`/api/v1/invoices/${draft.id}`, { notes: 'x' })).body.error.code).toBe('invoice_not_draft');
    expect((await org.delete(`/api/v1/invoices/${draft.id}`)).status).toBe(409);
    const other = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    expect((await org.delete(`/api/v1/invoices/${other.id}`)).status).toBe(204);
    expect((await org.get(`/api/v1/invoices/${other.id}`)).status).toBe(404);
  });
});

describe('posting', () => {
  test('posting numbers the invoice, takes snapshots and sets the due date from the terms', async () => {
    const { org, customer, vat19 } = await setup();
    await org.patch('/api/v1/settings', { iban: 'DE89 3704 0044 0532 0130 00', payment_terms_days: 14 });
    const inv = await postedInvoice(org, {
      customer: customer.id,
      issue_date: '2026-03-01',
      lines: [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    expect(inv.number).toBe('INV-2026-000001');
    expect(inv.status).toBe('posted');
    expect(inv.due_date).toBe('2026-03-15');
    expect(inv.customer_snapshot.name).toBe('Globex GmbH');
    expect(inv.seller_snapshot.iban).toBe('DE89370400440532013000');
    expect(inv.hosted_url).toMatch(/^http:\/\/localhost:3000\/i\/[A-Za-z0-9_-]{32}$/);
    // The snapshot does not follow later changes to the customer.
    await org.patch(`/api/v1/customers/${customer.id}`, { name: 'Renamed AG' });
    expect((await org.get(`/api/v1/invoices/${inv.id}`)).body.customer_snapshot.name).toBe('Globex GmbH');
    const second = await postedInvoice(org, {
      customer: customer.id,
      issue_date: '2026-03-02',
      lines: [{ description: 'B', quantity: '1', unit_price: '1', tax_rate: vat19.id }],
    });
    expect(second.number).toBe('INV-2026-000002');
    const nextYear = await postedInvoice(org, {
      customer: customer.id,
      issue_date: '2027-01-02',
      lines: [{ description: 'C', quantity: '1', unit_price: '1', tax_rate: vat19.id }],
    });
    expect(nextYear.number).toBe('INV-2027-000001');
  });

  test('refusals: empty, negative total, already posted; zero total is paid at once', async () => {
    const { org, customer, vat19 } = await setup();
    const empty = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
    expect((await org.post(`/api/v1/invoices/${empty.id}/post`)).body.error.code).toBe('invoice_empty');
    const negative = (
      await org.post('/api/v1/invoices', {
        customer: customer.id,
        lines: [{ description: 'Refund', quantity: '-1', unit_price: '5', tax_rate: vat19.id }],
      })
    ).body;
    const refused = await org.post(`/api/v1/invoices/${negative.id}/post`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'invoice_total_negative']);
    const zero = await postedInvoice(org, {
      customer: customer.id,
      lines: [{ description: 'Free', quantity: '1', unit_price: '0', tax_rate: vat19.id }],
    });
    expect([zero.status, zero.payment_status]).toEqual(['paid', 'paid']);
    const again = await org.post(`/api/v1/invoices/${zero.id}/post`);
    expect([again.status, again.body.error.code]).toEqual([409, 'invoice_not_draft']);
  });

  test('chronological numbering refuses an earlier issue date when enforced', async () => {
    const { org, customer, vat19 } = await setup();
    await org.patch('/api/v1/settings', { enforce_chronological_numbering: true });
    const line = [{ description: 'A', quantity: '1', unit_price: '1', tax_rate: vat19.id }];
    await postedInvoice(org, { customer: customer.id, issue_date: '2026-05-10', lines: line });
    const early = (await org.post('/api/v1/invoices', { customer: customer.id, issue_date: '2026-05-01', lines: line }))
      .body;
    const res = await org.post(`/api/v1/invoices/${early.id}/post`);
    expect([res.status, res.body.error.code]).toEqual([409, 'issue_date_not_chronological']);
    const later = await postedInvoice(org, { customer: customer.id, issue_date: '2026-05-11', lines: line });
    expect(later.number).toBe('INV-2026-000002');
  });

  test('void, uncollectible and write-off follow the rules', async () => {
    const { org, customer, vat19 } = await setup();
    const line = [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }];
    const a = await postedInvoice(org, { customer: customer.id, lines: line });
    const voided = await org.post(`/api/v1/invoices/${a.id}/void`);
    expect([voided.body.status, voided.body.amount_due]).toEqual(['void', '0.00']);
    expect((await org.post(`/api/v1/invoices/${a.id}/void`)).body.error.code).toBe('invoice_already_void');
    const b = await postedInvoice(org, { customer: customer.id, lines: line });
    expect((await org.post(`/api/v1/invoices/${b.id}/write_off`, { amount: '5.01' })).body.error.code).toBe(
      'write_off_above_limit',
    );
    const wo = await org.post(`/api/v1/invoices/${b.id}/write_off`, { amount: '4.00', reason: 'rounding' });
    expect([wo.body.amount_written_off, wo.body.amount_due, wo.body.payment_status]).toEqual([
      '4.00',
      '115.00',
      'partially_paid',
    ]);
    expect((await org.post(`/api/v1/invoices/${b.id}/void`)).body.error.code).toBe('invoice_has_activity');
    const bad = await org.post(`/api/v1/invoices/${b.id}/mark_uncollectible`);
    expect(bad.body.status).toBe('uncollectible');
    const flags = await org.patch(`/api/v1/invoices/${b.id}/flags`, { disputed: true });
    expect(flags.body.disputed).toBe(true);
  });

  test('overdue and days_overdue are derived as of a date; filters find them', async () => {
    const { org, customer, vat19 } = await setup();
    const line = [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }];
    const inv = await postedInvoice(org, {
      customer: customer.id,
      issue_date: '2026-01-01',
      due_date: '2026-01-31',
      lines: line,
    });
    const asOf = await org.get(`/api/v1/invoices/${inv.id}?as_of=2026-02-10`);
    expect([asOf.body.overdue, asOf.body.days_overdue]).toEqual([true, 10]);
    const before = await org.get(`/api/v1/invoices/${inv.id}?as_of=2026-01-31`);
    expect(before.body.overdue).toBe(false);
    const list = await org.get('/api/v1/invoices?overdue=true&as_of=2026-02-10');
    expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([inv.id]);
    expect((await org.get('/api/v1/invoices?overdue=true&as_of=2026-01-15')).body.data).toEqual([]);
    expect((await org.get(`/api/v1/invoices?search=${inv.number}`)).body.data).toHaveLength(1);
    expect((await org.get('/api/v1/invoices?search=Globex')).body.data).toHaveLength(1);
    const timeline = await org.get(`/api/v1/invoices/${inv.id}/events`);
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toEqual(['invoice.posted', 'invoice.created']);
  });

  test('a duplicate is a new draft with the same lines', async () => {
    const { org, customer, vat19 } = await setup();
    const inv = await postedInvoice(org, {
      customer: customer.id,
      lines: [{ description: 'A', quantity: '2', unit_price: '7.5', tax_rate: vat19.id }],
    });
    const dup = await org.post(`/api/v1/invoices/${inv.id}/duplicate`);
    expect(dup.status).toBe(201);
    expect([dup.body.status, dup.body.total, dup.body.source]).toEqual([
      'draft',
      inv.total,
      { type: 'invoice', id: inv.id },
    ]);
  });
});
