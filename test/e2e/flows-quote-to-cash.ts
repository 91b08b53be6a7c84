import type { Browser, Run } from './harness';

const TIMEOUT = 10_000;

/** Quote with a one-time and a monthly line → accepted → order invoiced → subscription → a bill run to completion. */
export async function quoteToCashFlow(run: Run, b: Browser, customer: string, product: string) {
  const { page } = b;
  const year = new Date().getUTCFullYear();

  await run.step(`${b.label}: write a quote with a one-time and a monthly line`, b, async () => {
    await b.goto('/quotes/new');
    const picker = page.getByRole('textbox', { name: 'Customer' });
    await picker.click();
    await picker.fill(customer.slice(0, 4));
    await page.getByRole('option', { name: customer }).click();
    const p1 = page.getByRole('textbox', { name: 'Line 1 product' });
    await p1.click();
    await page.getByRole('option', { name: new RegExp(product) }).click();
    await page.getByLabel('Line 1 quantity').fill('5');
    await page.getByRole('button', { name: 'Add line' }).click();
    await page.getByLabel('Line 2 description').fill('Hosting');
    await page.getByLabel('Line 2 unit price').fill('30');
    await page.getByRole('textbox', { name: 'Line 2 billing' }).click();
    await page.getByRole('option', { name: 'Monthly' }).click();
    await b.shot('quote-new');
    await page.getByRole('button', { name: 'Create quote' }).click();
    await page.getByRole('heading', { name: new RegExp(`Quote Q-${year}-`) }).waitFor({ timeout: TIMEOUT });
    await page.getByText('€714.00').first().waitFor({ timeout: TIMEOUT });
    await page.getByText('Recurring, every month').waitFor({ timeout: TIMEOUT });
    await b.shot('quote');
  });

  await run.step(`${b.label}: accept it and invoice the order`, b, async () => {
    await page.getByRole('button', { name: 'Mark accepted' }).click();
    await page.getByRole('link', { name: 'open the order' }).click();
    await page.getByRole('heading', { name: /Order / }).waitFor({ timeout: TIMEOUT });
    await b.shot('order');
    await page.getByRole('button', { name: 'Invoice', exact: true }).click();
    await page.getByRole('button', { name: 'Make invoice' }).click();
    await page.getByRole('heading', { name: 'Draft invoice' }).waitFor({ timeout: TIMEOUT });
    await page.getByTestId('invoice-total').filter({ hasText: '€714.00' }).waitFor({ timeout: TIMEOUT });
  });

  await run.step(`${b.label}: the subscription from the monthly line shows its next invoice`, b, async () => {
    await b.goto('/subscriptions');
    await page.getByText(customer).first().click();
    await page.getByRole('heading', { name: `Subscription · ${customer}` }).waitFor({ timeout: TIMEOUT });
    await page.getByText('Next invoice').waitFor();
    await b.apiIdle();
    await b.shot('subscription');
  });

  await run.step(`${b.label}: a bill run shows what it would bill, then its progress, and completes`, b, async () => {
    await b.goto('/bill-runs');
    await page.getByRole('button', { name: 'Preview bill run' }).click();
    await page.getByTestId('bill-run-preview-result').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('bill-run-confirm').click();
    const progress = page.getByTestId('bill-run-progress');
    await progress.filter({ hasText: /Completed/i }).waitFor({ timeout: 30_000 });
    await b.apiIdle();
    await b.shot('bill-runs');
  });
}
