import { Receiver } from '../webhooks/receiver';
import { ADMIN } from './flows';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;

/**
 * The admin adds a webhook endpoint in settings (the secret is shown once), sends a test event and sees it delivered
 * in the log; a failing endpoint shows the 500 and can be retried; rotate, disable, enable and delete; the page at
 * phone width. The receiver is a local server on 127.0.0.1 (the run allows private addresses).
 */
export async function webhooksFlow(run: Run, admin: Browser, phone: Browser) {
  const receiver = await new Receiver().start();
  const confirmAll = (b: Browser) => b.page.on('dialog', (d) => void d.accept());
  confirmAll(admin);
  try {
    await run.step(`${admin.label}: add an endpoint; the secret is shown once`, admin, async () => {
      const { page } = admin;
      await admin.goto('/settings/webhooks');
      await page.getByRole('button', { name: 'New endpoint' }).click();
      await page.getByLabel('URL').fill(`${receiver.url}/ok/e2e`);
      await page.getByLabel('Description').fill('Accounting sync');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.getByTestId('webhook-secret').innerText({ timeout: TIMEOUT })).trim();
      assert(/^whsec_[A-Za-z0-9+/=]{40,}$/.test(secret), `secret shown: ${secret}`);
      await admin.shot('webhooks-secret');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByText(`${receiver.url}/ok/e2e`).first().waitFor({ timeout: TIMEOUT });
      assert(!(await page.getByText(secret).isVisible()), 'the secret is not shown again');
    });

    await run.step(`${admin.label}: a test event is delivered and logged`, admin, async () => {
      const { page } = admin;
      await page.getByRole('button', { name: 'Send test' }).first().click();
      const log = page.getByTestId('webhook-deliveries');
      await log.getByText('webhook_endpoint.test').waitFor({ timeout: TIMEOUT });
      await log.getByText('Delivered').waitFor({ timeout: TIMEOUT });
      assert(receiver.at('/ok/e2e').length === 1, `the receiver got ${receiver.at('/ok/e2e').length} requests`);
      assert(/^v1,/.test(String(receiver.at('/ok/e2e')[0]!.headers['webhook-signature'])), 'signed');
      await admin.shot('webhooks-delivered');
    });

    await run.step(
      `${admin.label}: a failing endpoint shows the 500; retry, rotate, disable, enable, delete`,
      admin,
      async () => {
        const { page } = admin;
        await page.getByRole('button', { name: 'New endpoint' }).click();
        await page.getByLabel('URL').fill(`${receiver.url}/fail/e2e`);
        await page.getByRole('button', { name: 'Add endpoint' }).click();
        await page.getByRole('button', { name: 'Done' }).click();
        const row = page.getByRole('row', { name: /\/fail\/e2e/ });
        await row.getByRole('button', { name: 'Send test' }).click();
        const log = page.getByTestId('webhook-deliveries');
        await log.getByText(/· 500 ·/).waitFor({ timeout: TIMEOUT });
        await log.getByText('Pending').waitFor({ timeout: TIMEOUT });
        await admin.shot('webhooks-failing');
        await log.getByRole('button', { name: 'Retry' }).click();
        await log
          .getByText(/· 500 ·/)
          .nth(1)
          .waitFor({ timeout: TIMEOUT });
        assert(
          receiver.at('/fail/e2e').length === 2,
          `two attempts reached the receiver: ${receiver.at('/fail/e2e').length}`,
        );

        await row.getByRole('button', { name: 'Rotate secret' }).click();
        await page.getByText('New signing secret').waitFor({ timeout: TIMEOUT });
        await page.getByRole('button', { name: 'Done' }).click();
        await row.getByRole('button', { name: 'Disable' }).click();
        await row.getByText('Disabled').waitFor({ timeout: TIMEOUT });
        await row.getByRole('button', { name: 'Enable' }).click();
        await row.getByText('Enabled').waitFor({ timeout: TIMEOUT });
        await row.getByRole('button', { name: 'Delete' }).click();
        await row.waitFor({ state: 'detached', timeout: TIMEOUT });
      },
    );

    await run.step(`${phone.label}: the webhooks page at 375 px`, phone, async () => {
      const { page } = phone;
      await phone.goto('/settings/webhooks');
      // With E2E_ONLY the phone flow that signs in did not run.
      const signIn = page.getByRole('heading', { name: 'Sign in to Arbor' });
      const url = page.getByText(`${receiver.url}/ok/e2e`).first();
      await Promise.race([signIn.waitFor({ timeout: TIMEOUT }), url.waitFor({ timeout: TIMEOUT })]);
      if (await signIn.isVisible()) {
        await page.getByLabel('Email').fill(ADMIN.email);
        await page.getByLabel('Password').fill(ADMIN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'detached', timeout: TIMEOUT });
        await phone.goto('/settings/webhooks');
      }
      await page.getByText(`${receiver.url}/ok/e2e`).first().waitFor({ timeout: TIMEOUT });
      await page.getByText(`${receiver.url}/ok/e2e`).first().click();
      await page.getByText('webhook_endpoint.test').first().waitFor({ timeout: TIMEOUT });
      await phone.assertNoHorizontalScroll();
      await phone.shot('webhooks-phone');
    });
  } finally {
    await receiver.stop();
  }
}
