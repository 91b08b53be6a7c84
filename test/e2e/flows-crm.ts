import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;

/**
 * A rep's CRM day (issue 10): create a lead, convert it with a deal, drag the deal across the board to won (at 1280
 * px; at 375 px the board is a stage-by-stage list with a "Move to" menu), and see it on the customer.
 */
export async function crmFlow(run: Run, desktop: Browser, phone: Browser) {
  const company = `Umbrella ${Date.now() % 100000} AG`;
  await run.step(`${desktop.label}: create a lead and convert it with a deal`, desktop, async () => {
    const { page } = desktop;
    await desktop.goto('/leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('Name').fill('Alice Wesker');
    await page.getByLabel('Company').fill(company);
    await page.getByLabel('Email').fill(`alice@${company.split(' ')[1]}.test`);
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { name: 'Alice Wesker' }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Convert' }).click();
    await page.getByLabel('Deal name').fill(`${company} rollout`);
    await page.getByLabel('Expected close date').fill('2026-12-20');
    await page.getByLabel('Amount').fill('12000.00');
    await page.getByRole('dialog').getByRole('button', { name: 'Convert' }).click();
    await page.getByText('Converted to a customer').waitFor({ timeout: TIMEOUT });
    await desktop.shot('crm-lead-converted');
  });

  await run.step(`${desktop.label}: drag the deal across the board to won`, desktop, async () => {
    const { page } = desktop;
    await desktop.goto('/pipeline');
    const card = page.getByTestId('deal-card').filter({ hasText: `${company} rollout` });
    await card.waitFor({ timeout: TIMEOUT });
    assert(
      await page.getByTestId('stage-Prospecting').getByText(`${company} rollout`).isVisible(),
      'the new deal starts in Prospecting',
    );
    await card.dragTo(page.getByTestId('stage-Negotiation'));
    await page.getByTestId('stage-Negotiation').getByText(`${company} rollout`).waitFor({ timeout: TIMEOUT });
    await desktop.shot('crm-board');
    await page
      .getByTestId('deal-card')
      .filter({ hasText: `${company} rollout` })
      .dragTo(page.getByTestId('stage-Closed Won'));
    await page.getByTestId('stage-Closed Won').getByText(`${company} rollout`).waitFor({ timeout: TIMEOUT });
  });

  await run.step(`${desktop.label}: the won deal is on the customer`, desktop, async () => {
    const { page } = desktop;
    await desktop.goto('/customers');
    await page.getByText(company).first().click();
    await page.getByRole('tab', { name: 'Deals' }).click();
    const deals = page.getByTestId('customer-deals');
    await deals.getByText(`${company} rollout`).waitFor({ timeout: TIMEOUT });
    assert(await deals.getByText('Won').isVisible(), 'the deal shows as won');
    await desktop.shot('crm-customer-deals');
  });

  await run.step(`${phone.label}: the board as a stage-by-stage list, moving a deal by menu`, phone, async () => {
    const { page } = phone;
    await phone.goto('/leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('Company').fill(`${company} Mobile`);
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('button', { name: 'Convert' }).click();
    await page.getByLabel('Expected close date').fill('2026-12-24');
    await page.getByLabel('Amount').fill('500.00');
    await page.getByRole('dialog').getByRole('button', { name: 'Convert' }).click();
    await page.getByText('Converted to a customer').waitFor({ timeout: TIMEOUT });
    await phone.goto('/pipeline');
    const card = page.getByTestId('deal-card').filter({ hasText: `${company} Mobile` });
    await card.waitFor({ timeout: TIMEOUT });
    await card.getByLabel(/Move /).click();
    await page.getByRole('option', { name: 'Proposal' }).click();
    await page.getByText(/moved to Proposal/).waitFor({ timeout: TIMEOUT });
    await phone.assertNoHorizontalScroll();
    await phone.shot('crm-board-phone');
  });
}
