import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';
import { billRun, subscribe } from '../quote-to-cash/helpers';
import { day, ok } from '../reports/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const v1 = (p: string) => `/api/v1${p}`;

function expectClosed(res: { status: number; body: any }, param: string | null) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error).toMatchObject({ type: 'conflict', code: 'period_closed', param });
}

test('books_closed_through: not in the future, only forward, reopened with reopen: true and an event', async () => {
  const org = await server.newOrg();
  expect((await org.get(v1('/settings'))).body.books_closed_through).toBeNull();
  const future = await org.patch(v1('/settings'), { books_closed_through: day(1) });
  expect(future.status).toBe(422);
  expect(future.body.error).toMatchObject({ code: 'period_close_in_future', param: 'books_closed_through' });
  expect((await org.patch(v1('/settings'), { books_closed_through: day(-10) })).body.books_closed_through).toBe(
    day(-10),
  );
  const back = await org.patch(v1('/settings'), { books_closed_through: day(-20) });
  expect(back.status).toBe(409);
  expect(back.body.error).toMatchObject({ code: 'period_close_backwards', param: 'books_closed_through' });
  expect((await org.patch(v1('/settings'), { books_closed_through: null })).status).toBe(409);
  expect((await org.get(v1('/settings'))).body.books_closed_through).toBe(day(-10));
  const reopened = await org.patch(v1('/settings'), { books_closed_through: day(-20), reopen: true });
  expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
  expect(reopened.body.books_closed_through).toBe(day(-20));
  const events = (await org.get(v1('/events?type=books.reopened'))).body.data;
  expect(events).toHaveLength(1);
  expect(events[0].data).toEqual({ from: day(-10), to: day(-20) });
  expect((await org.patch(v1('/settings'), { books_closed_through: day(0) })).status).toBe(200);
});

test('every dated action on or before the closed day is refused with 409 period_closed, and changes nothing', async () => {
  const org = await server.newOrg();
  const { vat19, customer } = await billingSetup(org);
  const line = { description: 'Work', quantity: '1', unit_price: '100.00', tax_rate: vat19.id };
  // Documents made while the period was open.
  const open1 = await postedInvoice(org, { customer: customer.id, issue_date: day(-30), lines: [line] });
  const open2 = await postedInvoice(org, { customer: customer.id, issue_date: day(-30), lines: [line] });
  const open3 = await postedInvoice(org, { customer: customer.id, issue_date: day(-30), lines: [line] });
  const paid = await ok(
    org.post(v1('/payments'), { customer: customer.id, amount: '200.00', date: day(-25), method: 'bank_transfer' }),
    201,
  );
  const note = await ok(
    org.post(v1('/credit_notes'), {
      invoice: open3.id,
      amount: '10.00',
      credit_to: 'customer_balance',
      issue_date: day(-25),
    }),
    201,
  );
  const draft = await ok(
    org.post(v1('/invoices'), { customer: customer.id, issue_date: day(-20), lines: [line] }),
    201,
  );
  await ok(org.patch(v1('/settings'), { books_closed_through: day(-15) }));
  const journalBefore = (await org.get(v1('/journal_entries?limit=200'))).body.data.length;

  // Posting with an issue date in the closed period.
  expectClosed(await org.post(v1(`/invoices/${draft.id}/post`)), 'issue_date');
  expect((await org.get(v1(`/invoices/${draft.id}`))).body.status).toBe('draft');
  // A payment, an allocation, a refund, applying credit: their dates.
  expectClosed(
    await org.post(v1('/payments'), { customer: customer.id, amount: '1.00', date: day(-15), method: 'cash' }),
    'date',
  );
  expectClosed(
    await org.post(v1(`/payments/${paid.id}/allocate`), {
      allocations: [{ invoice: open1.id, amount: '10.00' }],
      date: day(-16),
    }),
    'date',
  );
  expectClosed(await org.post(v1(`/payments/${paid.id}/refund`), { amount: '1.00', date: day(-16) }), 'date');
  expectClosed(
    await org.post(v1(`/customers/${customer.id}/apply_credit`), { invoice: open1.id, amount: '1.00', date: day(-16) }),
    'date',
  );
  // A credit note dated in the closed period.
  expectClosed(
    await org.post(v1('/credit_notes'), {
      invoice: open1.id,
      amount: '5.00',
      credit_to: 'invoice',
      issue_date: day(-16),
    }),
    'issue_date',
  );
  // Bill runs dating their invoices in the closed period.
  expectClosed(await org.post(v1('/bill_runs'), { target_date: day(0), invoice_date: day(-20) }), 'invoice_date');
  expect((await org.get(v1('/journal_entries?limit=200'))).body.data.length).toBe(journalBefore);

  // The same actions dated after the closed day work.
  await ok(org.patch(v1(`/invoices/${draft.id}`), { issue_date: day(-14) }));
  expect((await ok(org.post(v1(`/invoices/${draft.id}/post`)))).status).toBe('posted');
  await ok(org.post(v1(`/payments/${paid.id}/refund`), { amount: '1.00', date: day(-14) }));

  // Actions dated the day they are made, once today itself is closed: write-off, void, uncollectible, voiding a note,
  // reversing a payment.
  await ok(org.patch(v1('/settings'), { books_closed_through: day(0) }));
  expectClosed(await org.post(v1(`/invoices/${open2.id}/write_off`), { amount: '1.00', reason: 'cents' }), null);
  expectClosed(await org.post(v1(`/invoices/${open2.id}/mark_uncollectible`)), null);
  const unpaid = (await org.get(v1(`/invoices/${draft.id}`))).body;
  expectClosed(await org.post(v1(`/invoices/${unpaid.id}/void`)), null);
  expectClosed(await org.post(v1(`/credit_notes/${note.id}/void`)), null);
  expectClosed(await org.post(v1(`/payments/${paid.id}/reverse`), { reason: 'bounced' }), null);
  expect((await org.get(v1(`/invoices/${unpaid.id}`))).body.status).toBe('posted');
  expect((await org.get(v1(`/payments/${paid.id}`))).body.status).toBe('succeeded');
});

test('a bill run on a closed day lists the subscription under errors and goes on', async () => {
  const org = await server.newOrg();
  const { vat19, customer } = await billingSetup(org);
  await subscribe(org, customer.id, vat19.id, { start_date: day(-40), billing_day: Number(day(-40).slice(8)) });
  await ok(org.patch(v1('/settings'), { books_closed_through: day(0) }));
  const run = await billRun(org, { target_date: day(0), auto_post: true });
  expect(run.status).toBe('completed_with_errors');
  expect(run.errors[0]).toMatchObject({ code: 'period_closed' });
});
