import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startIsolatedServer, type TestServer } from '../helpers/server';
import { startSmtp } from '../helpers/smtp';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: TestServer;
beforeAll(async () => {
  smtp = await startSmtp();
  // A database of its own: every server's delivery worker sends any due mail through its own SMTP server.
  server = await startIsolatedServer({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await server.stop();
  await smtp.close();
});

const policy = {
  enabled: true,
  steps: [
    {
      offset_days: -3,
      subject: 'Soon due: {{ invoice.number }}',
      body: 'Due {{ invoice.due_date }}: {{ invoice.hosted_url }}',
    },
    { offset_days: 1, subject: 'Overdue: {{ invoice.number }}', body: 'Please pay {{ invoice.amount_due }}' },
    { offset_days: 14, subject: 'Final: {{ invoice.number }}', body: 'Last call', late_fee: { amount: '10.00' } },
  ],
};

test('a reminder run on three dates sends exactly the expected steps, once each; a late fee is a new invoice', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  // A late fee needs the tax rate the admin chose for it.
  const missing = await org.put('/api/v1/settings/reminder_policy', policy);
  expect([missing.status, missing.body.error.code, missing.body.error.param]).toEqual([
    422,
    'late_fee_tax_rate_missing',
    'steps[2].late_fee',
  ]);
  const outside = (
    await org.post('/api/v1/tax_rates', {
      name: 'Late fee',
      percentage: '0',
      category: 'O',
      exemption_reason: 'Late payment fee, not subject to VAT',
    })
  ).body;
  expect((await org.patch('/api/v1/settings', { late_fee_tax_rate: outside.id })).status).toBe(200);
  expect((await org.put('/api/v1/settings/reminder_policy', policy)).status).toBe(200);
  const line = [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }];
  const a = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    lines: line,
  });
  const b = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-04-10',
    lines: line,
  });
  const disputed = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    lines: line,
  });
  await org.patch(`/api/v1/invoices/${disputed.id}/flags`, { disputed: true });
  const paused = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    lines: line,
  });
  await org.patch(`/api/v1/invoices/${paused.id}/flags`, { reminders_paused: true });
  const draft = (await org.post('/api/v1/invoices', { customer: customer.id, due_date: '2026-03-31', lines: line }))
    .body;

  const run = async (asOf: string) => (await org.post('/api/v1/reminders/run', { as_of: asOf })).body;
  const day1 = await run('2026-03-28'); // a: -3 is due
  expect(day1.reminders.map((r: { invoice: string; offset_days: number }) => [r.invoice, r.offset_days])).toEqual([
    [a.id, -3],
  ]);
  expect((await run('2026-03-28')).sent).toBe(0); // same date again: nothing
  const day2 = await run('2026-04-08'); // a: +1 due (sent, -3 already sent); b: -3 due
  expect(
    day2.reminders.map((r: { invoice: string; offset_days: number }) => [r.invoice, r.offset_days]).sort(),
  ).toEqual(
    [
      [a.id, 1],
      [b.id, -3],
    ].sort(),
  );
  // A dry run answers what the run would do, and numbers, writes and sends nothing.
  const preview = (await org.post('/api/v1/reminders/run', { as_of: '2026-04-30', dry_run: true })).body;
  expect(preview.dry_run).toBe(true);
  expect(
    preview.reminders.map((r: Record<string, unknown>) => [r.invoice_number, r.offset_days, r.late_fee, r.email]),
  ).toEqual([
    [a.number, 14, '10.00', null],
    [b.number, 14, '10.00', null],
  ]);
  expect(preview.reminders[0].to).toEqual(['ap@globex.test']);
  expect(preview.reminders[0].amount_due).toBe('119.00');
  const day3 = await run('2026-04-30'); // a: +14 (late fee); b: +14 with +1 skipped
  expect(day3.reminders.map((r: { invoice: string }) => r.invoice)).toEqual(
    preview.reminders.map((r: { invoice: string }) => r.invoice),
  );
  // Nothing of the dry run stayed: the run numbered its fee invoices right after a's and b's series.
  expect(day3.reminders.every((r: { email: string | null }) => r.email !== null)).toBe(true);
  expect(day3.sent).toBe(2);
  expect(day3.skipped).toBe(1);
  expect((await run('2026-04-30')).sent).toBe(0);
  expect(
    [disputed.id, paused.id, draft.id].some((id) =>
      [day1, day2, day3].some((d) => d.reminders.some((r: { invoice: string }) => r.invoice === id)),
    ),
  ).toBe(false);

  const fee = day3.reminders.find((r: { invoice: string }) => r.invoice === a.id).late_fee_invoice;
  const feeInvoice = (await org.get(`/api/v1/invoices/${fee}`)).body;
  expect([feeInvoice.status, feeInvoice.total, feeInvoice.lines[0].tax_category, feeInvoice.source]).toEqual([
    'posted',
    '10.00',
    'O',
    { type: 'invoice', id: a.id },
  ]);
  expect(feeInvoice.tax_breakdown[0].tax_rate).toBe(outside.id);
  expect(feeInvoice.sent_at).not.toBeNull();
  // The dry run used no number: the fee follows the four invoices posted above.
  expect(feeInvoice.number).toBe(
    paused.number.replace(/\d+$/, (n: string) => String(Number(n) + 1).padStart(n.length, '0')),
  );

  const sent = await eventually(() => {
    const mine = smtp.mails.filter(
      (m) => /Soon due|Overdue|Final/.test(m.header('Subject') ?? '') && m.text.includes(customer.id) === false,
    );
    return mine.length >= 5 ? mine : undefined;
  });
  expect(sent.map((m) => m.header('Subject')).sort()).toEqual(
    [
      `Soon due: ${a.number}`,
      `Overdue: ${a.number}`,
      `Soon due: ${b.number}`,
      `Final: ${a.number}`,
      `Final: ${b.number}`,
    ].sort(),
  );
  const timeline = (await org.get(`/api/v1/invoices/${a.id}/events`)).body.data.map((e: { type: string }) => e.type);
  expect(timeline.filter((t: string) => t === 'invoice.reminded')).toHaveLength(3);
});

test('a void invoice gets no reminders; a paused customer gets none until resumed', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  await org.put('/api/v1/settings/reminder_policy', policy);
  const inv = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    lines: [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
  });
  await org.post(`/api/v1/invoices/${inv.id}/void`);
  expect((await org.post('/api/v1/reminders/run', { as_of: '2026-04-05' })).body.sent).toBe(0);
  const other = await postedInvoice(org, {
    customer: customer.id,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    lines: [{ description: 'A', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
  });
  await org.patch(`/api/v1/customers/${customer.id}`, { reminders_paused: true });
  expect((await org.post('/api/v1/reminders/run', { as_of: '2026-04-05' })).body.sent).toBe(0);
  await org.patch(`/api/v1/customers/${customer.id}`, { reminders_paused: false });
  expect(
    (await org.post('/api/v1/reminders/run', { as_of: '2026-04-05' })).body.reminders.map(
      (r: { invoice: string }) => r.invoice,
    ),
  ).toEqual([other.id]);
});

test('a policy with a broken template or a late fee without amount is refused', async () => {
  const org = await server.newOrg();
  const bad = await org.put('/api/v1/settings/reminder_policy', {
    enabled: true,
    steps: [{ offset_days: 1, subject: '{% if %}', body: 'x' }],
  });
  expect([bad.status, bad.body.error.code]).toEqual([422, 'template_invalid']);
  const fee = await org.put('/api/v1/settings/reminder_policy', {
    enabled: true,
    steps: [{ offset_days: 1, subject: 's', body: 'b', late_fee: {} }],
  });
  expect(fee.status).toBe(400);
  expect((await org.get('/api/v1/settings/reminder_policy')).body.enabled).toBe(false);
});
