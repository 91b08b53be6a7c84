import { ADMIN } from './flows';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;
const VIEWER = { email: 'viewer@acme.test', password: 'viewer password 1' };

/** The admin adds a viewer; the viewer sees the same data without the actions (and no settings). */
export async function rolesFlow(run: Run, admin: Browser, viewer: Browser) {
  await run.step(`${admin.label}: add a user with the viewer role`, admin, async () => {
    await admin.goto('/settings/users');
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    const dialog = admin.page.getByRole('dialog');
    await dialog.getByLabel('Email').fill(VIEWER.email);
    await dialog.getByLabel('Initial password').fill(VIEWER.password);
    await dialog.getByRole('textbox', { name: 'Role' }).click();
    await admin.page.getByRole('option', { name: /^Viewer/ }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await admin.page.getByRole('cell', { name: VIEWER.email, exact: true }).waitFor({ timeout: TIMEOUT });
    assert(ADMIN.email !== VIEWER.email, 'distinct users');
  });

  await run.step(`${viewer.label}: a viewer reads everything and changes nothing`, viewer, async () => {
    const { page } = viewer;
    await viewer.goto('/');
    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: TIMEOUT });
    assert((await page.getByRole('link', { name: 'Settings' }).count()) === 0, 'no Settings in the navigation');
    await viewer.goto('/invoices');
    await page.getByTestId('invoice-list').waitFor({ timeout: TIMEOUT });
    assert((await page.getByTestId('new-invoice').count()) === 0, 'no New invoice button');
    await page.getByRole('row').filter({ hasText: 'INV-' }).first().click();
    await page.getByRole('heading', { name: /Invoice INV-/ }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'PDF' }).waitFor();
    assert((await page.getByTestId('record-payment').count()) === 0, 'no Record payment button');
    await viewer.apiIdle();
    await viewer.shot('viewer-invoice');
  });
}
