/**
 * Browser tests: the built web app (npm run build:web) served by a real Arbor server on a fresh embedded database,
 * driven in Debian's chromium at desktop and phone width. Prints one line per step and "N passed, M failed" last;
 * exits non-zero on any failure. Screenshots go to test/e2e/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Config } from '../../src/platform/config';
import { startServer } from '../../src/platform/server';
import { StripeStandIn } from '../online-payments/stripe-stand-in';
import { DESKTOP, mainFlow, PHONE } from './flows';
import { activitiesFlow } from './flows-activities';
import { bankFlow } from './flows-bank';
import { crmFlow } from './flows-crm';
import { onlinePaymentsFlow } from './flows-online-payments';
import { quoteToCashFlow } from './flows-quote-to-cash';
import { rolesFlow } from './flows-roles';
import { workingDayFlow } from './flows-webday';
import { webhooksFlow } from './flows-webhooks';
import { Browser, FlowAborted, Run, SCREENSHOTS } from './harness';
import { SEEDED_INVOICES, seedVolume, timePages } from './perf';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) {
  console.error('web/dist is missing: run `npm run build:web` first.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
fs.rmSync(SCREENSHOTS, { recursive: true, force: true });

// Stripe Checkout is a local stand-in here (no live Stripe): "Pay now" must lead to its URL.
const stripe = new StripeStandIn();
await stripe.start();
const config: Config = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: null,
  dataDir: 'memory',
  publicUrl: 'http://localhost:3000',
  smtpUrl: null,
  logLevel: 'silent',
  stripeApiBase: stripe.url,
  // The webhooks flow's receiver listens on 127.0.0.1.
  webhooksAllowPrivate: true,
};

const run = new Run();
const server = await startServer(config, { logger: false, schedule: false });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
});

async function open(label: string, viewport: { width: number; height: number }, phone: boolean): Promise<Browser> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  return new Browser(context, await context.newPage(), server.url, label);
}

// E2E_ONLY=<part of a flow's name> runs the first desktop and phone flows (they set up and sign in) and the flows named.
const only = process.env.E2E_ONLY;

async function flow(name: string, body: () => Promise<void>): Promise<void> {
  if (only && !name.includes(only) && !name.startsWith('Desktop') && !name.startsWith('Phone')) return;
  console.log(name);
  try {
    await body();
  } catch (err) {
    if (!(err instanceof FlowAborted)) {
      run.failed++;
      run.failures.push(`${name}: ${err instanceof Error ? err.stack : String(err)}`);
      console.log(`  ✗ ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

const desktop = await open('desktop', { width: 1280, height: 860 }, false);
const phone = await open('phone', { width: 375, height: 812 }, true);
try {
  await flow('Desktop (1280 px)', () => mainFlow(run, desktop, DESKTOP, { first: true, phone: false }));
  await flow('Phone (375 px)', () => mainFlow(run, phone, PHONE, { first: false, phone: true }));
  await flow('Quote to cash (1280 px)', () => quoteToCashFlow(run, desktop, DESKTOP.customer, DESKTOP.product.name));
  const viewer = await open('viewer', { width: 1280, height: 860 }, false);
  await flow('Roles', () => rolesFlow(run, desktop, viewer));
  await flow('Online payments', () => onlinePaymentsFlow(run, desktop, phone, server, stripe));
  await flow('CRM', () => crmFlow(run, desktop, phone));
  await flow('Webhooks', () => webhooksFlow(run, desktop, phone));
  const rep = await open('rep', { width: 375, height: 812 }, true);
  await flow('Activities and collections', () => activitiesFlow(run, desktop, phone, rep, server));
  await flow('Working day', () => workingDayFlow(run, desktop, phone, DESKTOP.customer));
  await flow('Bank', () => bankFlow(run, desktop, phone, server));
  await flow(`Volume (${SEEDED_INVOICES} invoices)`, async () => {
    let invoiceId = '';
    await run.step('seed invoices and customers by bulk SQL', null, async () => {
      await desktop.goto('/invoices?status=posted');
      await desktop.page.getByRole('row').nth(1).click();
      await desktop.page.getByRole('heading', { name: /Invoice INV-/ }).waitFor();
      invoiceId = new URL(desktop.page.url()).pathname.split('/').pop()!;
      await seedVolume(server.database.db, invoiceId);
    });
    await timePages(run, desktop, [
      '/',
      '/customers',
      '/customers/cus_seed_1',
      '/invoices',
      '/invoices?overdue=true',
      '/invoices?q=Seed%20customer%200042',
      `/invoices/inv_seed_1`,
      '/payments',
      '/credit-notes',
      '/reports/aging',
      '/reports/summary',
      '/settings/products',
    ]);
    await run.step('screenshots at volume', desktop, async () => {
      for (const [path, name] of [
        ['/', 'volume-dashboard'],
        ['/invoices', 'volume-invoices'],
        ['/reports/aging', 'volume-aging'],
      ] as const) {
        await desktop.goto(path);
        await desktop.page.getByRole('heading', { level: 2 }).first().waitFor();
        await desktop.apiIdle();
        await desktop.shot(name);
      }
    });
  });
} finally {
  await browser.close().catch(() => {});
  await server.stop().catch(() => {});
  await stripe.stop().catch(() => {});
}

if (run.failures.length) {
  console.log('\nFailures:');
  for (const f of run.failures) console.log(`  - ${f}`);
}
console.log(`\n${run.passed} passed, ${run.failed} failed`);
process.exit(run.failed === 0 ? 0 : 1);
