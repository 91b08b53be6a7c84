import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiRequest, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function setup() {
  const org = await server.newOrg();
  return { org, ...(await billingSetup(org)) };
}

const v1 = (path: string) => `/api/v1${path}`;

describe('quotes', () => {
  test('a quote prices one-time lines like an invoice and recurring lines per interval, with a number', async () => {
    const { org, customer, vat19, vat7 } = await setup();
    const res = await org.post(v1('/quotes'), {
      customer: customer.id,
      valid_until: '2099-12-31',
      lines: [
        { description: 'Setup', quantity: '3', unit_price: '33.333', tax_rate: vat19.id },
        { description: 'Book', quantity: 2, unit_price: 9.99, tax_rate: vat7.id, discount_percent: '10' },
        {
          description: 'Hosting',
          quantity: '2',
          unit_price: '25.00',
          tax_rate: vat19.id,
          recurring: { interval: 'month' },
        },
        {
          description: 'Support',
          quantity: '1',
          unit_price: '120.00',
          discount_percent: '10',
          tax_rate: vat19.id,
          recurring: { interval: 'year', interval_count: 1 },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const q = res.body;
    expect(q.number).toMatch(/^Q-\d{4}-000001$/);
    expect(q.status).toBe('draft');
    expect(q.lines.map((l: { amount: string }) => l.amount)).toEqual(['100.00', '17.98', '50.00', '108.00']);
    // The same figures as the invoice test of these two lines: 117.98 + 19.00 + 1.26.
    expect(q.subtotal).toBe('117.98');
    expect(q.tax_total).toBe('20.26');
    expect(q.total).toBe('138.24');
    expect(q.recurring_total_per_interval).toBe('158.00');
    expect(q.recurring_totals).toEqual([
      { interval: 'month', interval_count: 1, amount: '50.00' },
      { interval: 'year', interval_count: 1, amount: '108.00' },
    ]);
    const second = await org.post(v1('/quotes'), { customer: customer.id, lines: [] });
    expect(second.body.number).toMatch(/-000002$/);
  });

  test('bad lines are refused with the field, and only a draft can be changed', async () => {
    const { org, customer, vat19 } = await setup();
    const bad = await org.post(v1('/quotes'), {
      customer: customer.id,
      lines: [
        { description: 'a', quantity: '1', unit_price: '1', tax_rate: vat19.id },
        { description: 'b', quantity: '1', unit_price: '1', tax_rate: 'txr_nope' },
      ],
    });
    expect([bad.status, bad.body.error.param]).toEqual([422, 'lines[1].tax_rate']);
    const inexact = await org.post(v1('/quotes'), {
      customer: customer.id,
      lines: [
        {
          description: 'a',
          quantity: '1',
          unit_price: '0.000001',
          discount_percent: '33',
          tax_rate: vat19.id,
          recurring: { interval: 'month' },
        },
      ],
    });
    expect([inexact.status, inexact.body.error.param]).toEqual([400, 'lines[0].discount_percent']);
    const q = (
      await org.post(v1('/quotes'), {
        customer: customer.id,
        lines: [{ description: 'a', quantity: '1', unit_price: '10', tax_rate: vat19.id }],
      })
    ).body;
    const patched = await org.patch(v1(`/quotes/${q.id}`), {
      notes: 'Thanks',
      lines: [{ description: 'b', quantity: '2', unit_price: '10', tax_rate: vat19.id }],
    });
    expect([patched.status, patched.body.total, patched.body.notes]).toEqual([200, '23.80', 'Thanks']);
    expect((await org.post(v1(`/quotes/${q.id}/decline`))).body.status).toBe('declined');
    expect((await org.patch(v1(`/quotes/${q.id}`), { notes: 'x' })).body.error.code).toBe('quote_not_draft');
    expect((await org.post(v1(`/quotes/${q.id}/accept`))).body.error.code).toBe('quote_declined');
  });

  test('sending makes a hosted page where the customer accepts; the order is made once', async () => {
    const { org, customer, vat19 } = await setup();
    const q = (
      await org.post(v1('/quotes'), {
        customer: customer.id,
        valid_until: '2099-01-31',
        start_date: '2026-01-15',
        lines: [
          { description: 'Setup', quantity: '1', unit_price: '500.00', tax_rate: vat19.id },
          {
            description: 'Plan',
            quantity: '1',
            unit_price: '30.00',
            tax_rate: vat19.id,
            recurring: { interval: 'month' },
          },
        ],
      })
    ).body;
    const sent = await org.post(v1(`/quotes/${q.id}/send`), {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.quote.status).toBe('sent');
    expect(sent.body.email).toMatchObject({ to: ['ap@globex.test'], status: 'local' });
    const url = new URL(sent.body.quote.hosted_url);
    expect(url.pathname).toMatch(/^\/q\/[A-Za-z0-9_-]{32}$/);
    const emails = await org.get(v1(`/emails?customer=${customer.id}`));
    expect(emails.body.data[0].subject).toContain(q.number);

    const page = await apiRequest(server.url, 'GET', url.pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Quote ${q.number}`);
    expect(page.body).toContain('Accept quote');
    const pdf = await fetch(`${server.url}${url.pathname}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // The customer (HTML form) and a user accept at the same moment: one wins, the other is refused.
    const [byCustomer, byUser] = await Promise.all([
      fetch(`${server.url}${url.pathname}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        redirect: 'manual',
      }),
      org.post(v1(`/quotes/${q.id}/accept`)),
    ]);
    const statuses = [
      byCustomer.status === 303 ? 'ok' : byCustomer.status,
      byUser.status === 200 ? 'ok' : byUser.status,
    ];
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(1);

    const accepted = (await org.get(v1(`/quotes/${q.id}`))).body;
    expect(accepted.status).toBe('accepted');
    expect(accepted.order).toMatch(/^ord_/);
    const orders = (await org.get(v1(`/orders?customer=${customer.id}`))).body.data;
    expect(orders).toHaveLength(1);
    const order = orders[0];
    expect(order).toMatchObject({ quote: q.id, status: 'active', currency: 'EUR' });
    expect(order.number).toMatch(/^SO-\d{4}-000001$/);
    expect(order.lines.map((l: { charge_type: string }) => l.charge_type)).toEqual(['one_time', 'recurring']);
    expect(order.subscriptions).toHaveLength(1);
    const sub = (await org.get(v1(`/subscriptions/${order.subscriptions[0]}`))).body;
    expect(sub).toMatchObject({ start_date: '2026-01-15', billing_day: 15, interval: 'month', order: order.id });
    expect(sub.items[0]).toMatchObject({ description: 'Plan', unit_price: '30.00', quantity: '1' });

    const again = await apiRequest(server.url, 'POST', `${url.pathname}/accept`, {}, { accept: 'application/json' });
    expect([again.status, again.body.error.code]).toEqual([409, 'quote_already_accepted']);
    const events = (await org.get(v1(`/events?object=${q.id}`))).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(['quote.accepted', 'quote.sent', 'quote.created']);
    const accept = (await org.get(v1(`/events?object=${q.id}&type=quote.accepted`))).body.data[0];
    expect(['public', 'api_key']).toContain(accept.actor.type);
  });

  test('a sent quote past valid_until is expired and cannot be accepted; the customer can decline', async () => {
    const { org, customer, vat19 } = await setup();
    const line = { description: 'a', quantity: '1', unit_price: '10', tax_rate: vat19.id };
    const old = (await org.post(v1('/quotes'), { customer: customer.id, valid_until: '2020-01-31', lines: [line] }))
      .body;
    expect((await org.post(v1(`/quotes/${old.id}/send`), {})).body.error.code).toBe('quote_expired');
    const q = (await org.post(v1('/quotes'), { customer: customer.id, valid_until: '2099-01-31', lines: [line] })).body;
    const sent = (await org.post(v1(`/quotes/${q.id}/send`), { to: ['buyer@globex.test'] })).body;
    const path = new URL(sent.quote.hosted_url).pathname;
    const declined = await apiRequest(server.url, 'POST', `${path}/decline`, {}, { accept: 'application/json' });
    expect([declined.status, declined.body.status]).toEqual([200, 'declined']);
    expect((await org.get(v1('/quotes?status=declined'))).body.data.map((x: { id: string }) => x.id)).toEqual([q.id]);
    expect((await apiRequest(server.url, 'GET', '/q/not-a-token')).status).toBe(404);
  });
});

describe('orders', () => {
  async function order(org: Awaited<ReturnType<typeof setup>>['org'], customer: string, vat19: string) {
    const res = await org.post(v1('/orders'), {
      customer,
      lines: [
        { description: 'Chairs', quantity: '10', unit_price: '49.90', tax_rate: vat19 },
        { description: 'Project', charge_type: 'milestone', quantity: '1', unit_price: '1000.01', tax_rate: vat19 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  test('one-time lines are invoiced by quantity and milestones by percent; the order shows what is left', async () => {
    const { org, customer, vat19 } = await setup();
    const o = await order(org, customer.id, vat19.id);
    const [chairs, project] = o.lines;
    const first = await org.post(v1(`/orders/${o.id}/invoice`), {
      lines: [
        { order_line: chairs.id, quantity: '4' },
        { order_line: project.id, percent: '33.3333' },
      ],
      post: true,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'posted', source: { type: 'order', id: o.id } });
    expect(first.body.lines.map((l: { amount: string }) => l.amount)).toEqual(['199.60', '333.34']);

    let state = (await org.get(v1(`/orders/${o.id}`))).body;
    expect(state.lines[0]).toMatchObject({
      invoiced_quantity: '4',
      remaining_quantity: '6',
      invoiced_amount: '199.60',
      remaining_amount: '299.40',
    });
    expect(state.lines[1]).toMatchObject({ invoiced_percent: '33.3333', remaining_percent: '66.6667' });

    const over = await org.post(v1(`/orders/${o.id}/invoice`), { lines: [{ order_line: chairs.id, quantity: '7' }] });
    expect([over.status, over.body.error.code, over.body.error.param]).toEqual([
      409,
      'order_line_over_invoiced',
      'lines[0].quantity',
    ]);
    const overPercent = await org.post(v1(`/orders/${o.id}/invoice`), {
      lines: [{ order_line: project.id, percent: '70' }],
    });
    expect([overPercent.status, overPercent.body.error.param]).toEqual([409, 'lines[0].percent']);
    const twice = await org.post(v1(`/orders/${o.id}/invoice`), {
      lines: [
        { order_line: chairs.id, quantity: '4' },
        { order_line: chairs.id, quantity: '3' },
      ],
    });
    expect([twice.status, twice.body.error.param]).toEqual([409, 'lines[1].quantity']);
    const wrongKind = await org.post(v1(`/orders/${o.id}/invoice`), {
      lines: [{ order_line: chairs.id, percent: '10' }],
    });
    expect(wrongKind.status).toBe(400);
    expect((await org.get(v1('/invoices'))).body.data).toHaveLength(1);

    // The rest, as a draft: a draft counts, a deleted draft gives its quantities back.
    const draft = await org.post(v1(`/orders/${o.id}/invoice`), { lines: [{ order_line: chairs.id }] });
    expect([draft.status, draft.body.status, draft.body.lines[0].quantity]).toEqual([201, 'draft', '6']);
    expect(
      (await org.post(v1(`/orders/${o.id}/invoice`), { lines: [{ order_line: chairs.id }] })).body.error.code,
    ).toBe('order_line_fully_invoiced');
    expect((await org.delete(v1(`/invoices/${draft.body.id}`))).status).toBe(204);
    expect((await org.get(v1(`/orders/${o.id}`))).body.lines[0].remaining_quantity).toBe('6');

    const last = await org.post(v1(`/orders/${o.id}/invoice`), {
      lines: [{ order_line: chairs.id }, { order_line: project.id }],
      post: true,
    });
    // Cumulative rounding: 333.34 + 666.67 = 1000.01, the milestone's amount.
    expect(last.body.lines.map((l: { amount: string }) => l.amount)).toEqual(['299.40', '666.67']);
    state = (await org.get(v1(`/orders/${o.id}`))).body;
    expect(state).toMatchObject({ status: 'completed', remaining_amount: '0.00', invoiced_amount: '1499.01' });
    expect(state.invoices).toHaveLength(2);

    // A void invoice bills nothing any more.
    const voided = await org.post(v1(`/invoices/${first.body.id}/void`));
    expect(voided.status).toBe(200);
    state = (await org.get(v1(`/orders/${o.id}`))).body;
    expect(state.lines[0].remaining_quantity).toBe('4');
    expect(state.status).toBe('active');
    const events = (await org.get(v1(`/events?object=${o.id}`))).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(['order.invoiced', 'order.invoiced', 'order.invoiced', 'order.created']);
  });

  test('concurrent invoicings of one order never bill more than ordered', async () => {
    const { org, customer, vat19 } = await setup();
    const o = await order(org, customer.id, vat19.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        org.post(v1(`/orders/${o.id}/invoice`), { lines: [{ order_line: o.lines[0].id, quantity: '2' }] }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(1);
    expect((await org.get(v1(`/orders/${o.id}`))).body.lines[0].invoiced_quantity).toBe('10');
  });

  test('recurring order lines become one subscription per interval; recurring lines are not invoiced here', async () => {
    const { org, customer, vat19 } = await setup();
    const res = await org.post(v1('/orders'), {
      customer: customer.id,
      subscription: { start_date: '2026-01-15', billing_day: 1, timing: 'in_arrears' },
      lines: [
        {
          description: 'Seats',
          charge_type: 'recurring',
          recurring: { interval: 'month' },
          quantity: '3',
          unit_price: '9.99',
          tax_rate: vat19.id,
        },
        {
          description: 'Storage',
          charge_type: 'recurring',
          recurring: { interval: 'month' },
          quantity: '1',
          unit_price: '5',
          tax_rate: vat19.id,
        },
        {
          description: 'Audit',
          charge_type: 'recurring',
          recurring: { interval: 'year' },
          quantity: '1',
          unit_price: '600',
          tax_rate: vat19.id,
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.subscriptions).toHaveLength(2);
    const subs = (await org.get(v1(`/subscriptions?order=${res.body.id}`))).body.data;
    const monthly = subs.find((s: { interval: string }) => s.interval === 'month');
    expect(monthly).toMatchObject({ timing: 'in_arrears', billing_day: 1, start_date: '2026-01-15' });
    expect(monthly.items.map((i: { description: string }) => i.description)).toEqual(['Seats', 'Storage']);
    const refused = await org.post(v1(`/orders/${res.body.id}/invoice`), {
      lines: [{ order_line: res.body.lines[0].id }],
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'order_line_recurring']);
    const bad = await org.post(v1('/orders'), {
      customer: customer.id,
      lines: [{ description: 'x', charge_type: 'recurring', quantity: '1', unit_price: '1', tax_rate: vat19.id }],
    });
    expect([bad.status, bad.body.error.param]).toEqual([400, 'lines[0].recurring']);
  });
});

describe('customer timeline', () => {
  test('GET /events?customer= shows the customer and its quotes, orders, subscriptions, invoices and payments', async () => {
    const { org, customer, vat19 } = await setup();
    const other = await setup();
    const quote = await org.post(v1('/quotes'), {
      customer: customer.id,
      valid_until: '2099-12-31',
      lines: [
        { description: 'Setup', quantity: '1', unit_price: '100', tax_rate: vat19.id },
        { description: 'Plan', quantity: '1', unit_price: '30', tax_rate: vat19.id, recurring: { interval: 'month' } },
      ],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    const accepted = await org.post(v1(`/quotes/${quote.body.id}/accept`));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const invoice = (
      await org.post(v1('/invoices'), {
        customer: customer.id,
        lines: [{ description: 'A', quantity: '1', unit_price: '5', tax_rate: vat19.id }],
      })
    ).body;
    await org.post(v1(`/invoices/${invoice.id}/post`));
    await org.post(v1('/payments'), {
      customer: customer.id,
      amount: '5.95',
      method: 'cash',
      allocations: [{ invoice: invoice.id, amount: '5.95' }],
    });
    await other.org.post(v1('/invoices'), { customer: other.customer.id });

    const timeline = (await org.get(v1(`/events?customer=${customer.id}&limit=200`))).body.data as {
      type: string;
      object: { type: string };
    }[];
    const objectTypes = new Set(timeline.map((e) => e.object.type));
    for (const t of ['customer', 'quote', 'order', 'subscription', 'invoice', 'payment'])
      expect(objectTypes).toContain(t);
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['customer.created', 'invoice.paid', 'payment.created']),
    );
    // Another organization's customer id shows nothing here.
    expect((await org.get(v1(`/events?customer=${other.customer.id}`))).body.data).toEqual([]);
  });
});
