import { ADMIN } from './flows';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;

/**
 * A working day's tools: an amount typed the German way is read as the API's decimal; the reminder run shows who
 * would get what before anything is sent; invoices sort by number on the server; global search; at 1280 and 375 px.
 */
export async function workingDayFlow(run: Run, desktop: Browser, phone: Browser, customer: string): Promise<void> {
  for (const b of [desktop, phone]) {
    const page = b.page;
    // Run alone (E2E_ONLY), the phone has not signed in yet.
    await b.goto('/');
    const signIn = page.getByRole('heading', { name: 'Sign in to Arbor' });
    const dashboard = page.getByRole('heading', { name: 'Dashboard' });
    await signIn.or(dashboard).first().waitFor({ timeout: TIMEOUT });
    if (await signIn.isVisible()) {
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await dashboard.waitFor({ timeout: TIMEOUT });
    }
    await run.step(`${b.label}: a payment amount typed as 2.000,00 is read as 2000.00`, b, async () => {
      await b.goto('/payments/new');
      const amount = page.getByTestId('payment-amount');
      await amount.waitFor({ timeout: TIMEOUT });
      await amount.fill('2.000,00');
      await page.getByText('= 2,000').first().waitFor({ timeout: TIMEOUT });
      await amount.fill('12,5');
      await page.getByText('= 12.5').first().waitFor({ timeout: TIMEOUT });
      await b.shot('payment-locale-amount');
    });

    await run.step(`${b.label}: the reminder run shows a preview and sends nothing before confirming`, b, async () => {
      await b.goto('/settings/reminders');
      await page.getByTestId('reminders-preview').click();
      const preview = page.getByTestId('reminders-preview-result');
      await preview.waitFor({ timeout: TIMEOUT });
      await b.apiIdle();
      assert((await page.getByTestId('reminders-result').count()) === 0, 'nothing was sent by the preview');
      await b.shot('reminders-preview');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await preview.waitFor({ state: 'detached', timeout: TIMEOUT });
    });

    await run.step(`${b.label}: invoices sort by number on the server, with totals over all of them`, b, async () => {
      await b.goto('/invoices?sort=number');
      await page.getByTestId('invoice-list').waitFor({ timeout: TIMEOUT });
      await page.getByTestId('invoice-totals').waitFor({ timeout: TIMEOUT });
      await b.apiIdle();
      const text = await page.getByTestId('invoice-list').innerText();
      const numbers = [...text.matchAll(/INV-(\d{4})-(\d+)/g)].map((m) => `${m[1]}-${m[2]!.padStart(9, '0')}`);
      assert(numbers.length > 0, 'the list shows numbered invoices');
      assert(
        numbers.every((n, i) => i === 0 || numbers[i - 1]! <= n),
        `numbers ascend: ${numbers.slice(0, 8).join(', ')}`,
      );
      if (b === phone) await b.assertNoHorizontalScroll();
      await b.shot('invoices-sorted');
    });

    await run.step(`${b.label}: global search finds the customer`, b, async () => {
      await b.goto('/');
      await page
        .getByRole('button', { name: /Search/ })
        .first()
        .waitFor({ timeout: TIMEOUT });
      await page.keyboard.press('Control+k');
      const input = page.getByTestId('global-search-input');
      await input.waitFor({ timeout: TIMEOUT });
      await input.fill(customer.slice(0, 6));
      await page.getByTestId('global-search-results').getByText(customer).first().waitFor({ timeout: TIMEOUT });
      await b.shot('global-search');
      await page.keyboard.press('Escape');
    });
  }
}
