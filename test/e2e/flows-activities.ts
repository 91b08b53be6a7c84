import { createApiKeyFor } from '../../src/organizations/service';
import { rows, sql } from '../../src/platform/db';
import type { RunningServer } from '../../src/platform/server';
import { apiRequest } from '../helpers/server';
import { ADMIN } from './flows';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;
const REP = { email: 'rep@acme.test', password: 'rep password 12' };

/**
 * Finance works the collections worklist and records a promise to pay; the invoice shows it and takes an activity;
 * a sales rep on a phone adds an activity to their day and marks it done; the customer page lists its activities.
 */
export async function activitiesFlow(
  run: Run,
  admin: Browser,
  adminPhone: Browser,
  rep: Browser,
  server: RunningServer,
) {
  const [org] = await rows<{ id: string }>(
    server.database.db,
    sql`select id from organizations order by created_at limit 1`,
  );
  assert(org, 'an organization exists');
  const { secret } = await createApiKeyFor(
    { db: server.database.db, clock: server.clock },
    org.id,
    'e2e activities',
    'admin',
  );
  const auth = { authorization: `Bearer ${secret}` };
  const post = async (path: string, body: unknown) => {
    const res = await apiRequest(server.url, 'POST', path, body, auth);
    assert(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const user = await post('/api/v1/users', {
    email: REP.email,
    password: REP.password,
    name: 'Rita Rep',
    role: 'sales',
  });
  const customer = await post('/api/v1/customers', { name: 'Slow Payer Ltd', currency: 'EUR', owner: user.id });
  const rate = await post('/api/v1/tax_rates', { name: 'Zero (activities)', percentage: '0', category: 'Z' });
  const draft = await post('/api/v1/invoices', {
    customer: customer.id,
    issue_date: '2026-01-05',
    due_date: '2026-01-20',
    lines: [{ description: 'Overdue work', quantity: '1', unit_price: '4321.00', tax_rate: rate.id }],
  });
  const invoice = await post(`/api/v1/invoices/${draft.id}/post`, {});

  await run.step(`${admin.label}: the worklist lists the overdue invoice; record a promise to pay`, admin, async () => {
    const { page } = admin;
    await admin.goto('/collections');
    await page.getByRole('heading', { name: 'Collections worklist' }).waitFor({ timeout: TIMEOUT });
    const row = page.getByRole('row').filter({ hasText: invoice.number });
    await row.waitFor({ timeout: TIMEOUT });
    await row.getByRole('button', { name: `Record a promise to pay ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount (EUR)').fill('1000.00');
    await dialog.getByLabel('Note').fill('Pays part on Friday');
    await dialog.getByRole('button', { name: 'Record promise' }).click();
    await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
    await row.getByText(/by /).waitFor({ timeout: TIMEOUT });
    assert(
      (await row.getByRole('button', { name: /Record a promise/ }).count()) === 0,
      'the promise replaces the button',
    );
    await admin.apiIdle();
    await admin.shot('collections-worklist');
  });

  await run.step(`${admin.label}: the invoice shows the promise and takes an activity`, admin, async () => {
    const { page } = admin;
    await admin.goto(`/invoices/${invoice.id}`);
    await page.getByRole('heading', { name: `Invoice ${invoice.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('tab', { name: 'Promises' }).click();
    const promises = page.getByTestId('invoice-promises');
    await promises.getByText('open').waitFor({ timeout: TIMEOUT });
    await promises.getByText('Pays part on Friday').waitFor();
    // One open promise at a time: the action is offered again only once it is settled.
    await page.getByTestId('invoice-more').click();
    await page.getByRole('menuitem', { name: 'Download UBL (e-invoice)' }).waitFor({ timeout: TIMEOUT });
    assert((await page.getByTestId('promise-to-pay').count()) === 0, 'no second promise while one is open');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Activities' }).click();
    await page.getByTestId('add-activity').click();
    const form = page.getByTestId('activity-form');
    await form.getByLabel('Subject').fill('Called accounts payable');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByTestId('activities').getByText('Called accounts payable').waitFor({ timeout: TIMEOUT });
    await admin.apiIdle();
    await admin.shot('invoice-activities');
  });

  await run.step(`${adminPhone.label}: the worklist at phone width`, adminPhone, async () => {
    const { page } = adminPhone;
    await adminPhone.goto('/collections');
    // Signed in by the phone pass of the main flow, unless E2E_ONLY left that out.
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await Promise.race([
      signIn.waitFor({ timeout: TIMEOUT }),
      page.getByTestId('worklist').waitFor({ timeout: TIMEOUT }),
    ]);
    if (await signIn.isVisible()) {
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await signIn.click();
      await signIn.waitFor({ state: 'detached', timeout: TIMEOUT });
      await adminPhone.apiIdle();
      await adminPhone.goto('/collections');
    }
    await page.getByTestId('worklist').getByText(invoice.number).waitFor({ timeout: TIMEOUT });
    await adminPhone.apiIdle();
    await adminPhone.assertNoHorizontalScroll();
    await adminPhone.shot('collections-worklist');
  });

  await run.step(`${rep.label}: a rep adds to their day and marks it done`, rep, async () => {
    const { page } = rep;
    await rep.goto('/');
    await page.getByLabel('Email').fill(REP.email);
    await page.getByLabel('Password').fill(REP.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: TIMEOUT });
    await rep.goto('/my-day');
    await page.getByRole('heading', { name: 'My day' }).waitFor({ timeout: TIMEOUT });
    await page.getByText('Nothing due').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('add-activity').click();
    const form = page.getByTestId('activity-form');
    await form.getByLabel('Subject').fill('Call Slow Payer about the promise');
    await form.getByRole('button', { name: 'Add' }).click();
    const list = page.getByTestId('my-day');
    await list.getByText('Call Slow Payer about the promise').waitFor({ timeout: TIMEOUT });
    await rep.apiIdle();
    await rep.assertNoHorizontalScroll();
    await rep.shot('my-day');
    await list.getByRole('button', { name: /Mark .* done/ }).click();
    await page.getByText('Nothing due').waitFor({ timeout: TIMEOUT });
    assert((await page.getByRole('link', { name: 'Collections' }).count()) === 0, 'no worklist for a sales rep');
  });

  await run.step(`${admin.label}: the customer page lists its activities`, admin, async () => {
    const { page } = admin;
    await post('/api/v1/activities', {
      type: 'meeting',
      subject: 'Quarterly review',
      related: { type: 'customer', id: customer.id },
      owner: user.id,
    });
    await admin.goto(`/customers/${customer.id}?tab=activities`);
    await page.getByTestId('activities').getByText('Quarterly review').waitFor({ timeout: TIMEOUT });
    await admin.apiIdle();
    await admin.shot('customer-activities');
  });
}
