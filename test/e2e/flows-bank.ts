import { createApiKeyFor } from '../../src/organizations/service';
import { rows, sql } from '../../src/platform/db';
import type { RunningServer } from '../../src/platform/server';
import { apiRequest } from '../helpers/server';
import { ADMIN } from './flows';
import { assert, type Browser, type Run } from './harness';

const TIMEOUT = 10_000;
const IBAN = 'DE02100100109307118603';

function camt(entries: { amount: string; ref: string; name: string; svc: string }[]): string {
  const ntry = (e: (typeof entries)[number]) =>
    `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-12</Dt></BookgDt><AcctSvcrRef>${e.svc}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>${e.name}</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>${e.ref}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>E2E</MsgId><CreDtTm>2026-11-12T06:00:00Z</CreDtTm></GrpHdr><Stmt><Id>E2E-1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id></Acct>${entries.map(ntry).join('')}</Stmt></BkToCstmrStmt></Document>`;
}

/** A clerk adds a bank account, imports a CAMT.053 file, sees one line matched and accepts a suggestion with "a". */
export async function bankFlow(run: Run, admin: Browser, phone: Browser, server: RunningServer) {
  const [org] = await rows<{ id: string }>(
    server.database.db,
    sql`select id from organizations order by created_at limit 1`,
  );
  assert(org, 'an organization exists');
  const { secret } = await createApiKeyFor(
    { db: server.database.db, clock: server.clock },
    org.id,
    'e2e bank',
    'admin',
  );
  const auth = { authorization: `Bearer ${secret}` };
  const post = async (path: string, body: unknown) => (await apiRequest(server.url, 'POST', path, body, auth)).body;
  const customer = await post('/api/v1/customers', { name: 'Bank Flow AG', currency: 'EUR' });
  const rate = await post('/api/v1/tax_rates', { name: 'Zero (bank e2e)', percentage: '0', category: 'Z' });
  const invoice = async (price: string) => {
    const draft = await post('/api/v1/invoices', {
      customer: customer.id,
      lines: [{ description: 'Work', quantity: '1', unit_price: price, tax_rate: rate.id }],
    });
    return post(`/api/v1/invoices/${draft.id}/post`, {});
  };
  const exact = await invoice('123.45');
  const partial = await invoice('900.00');

  await run.step(`${admin.label}: add a bank account`, admin, async () => {
    const { page } = admin;
    await admin.goto('/bank');
    await page.getByRole('tab', { name: 'Bank accounts' }).click();
    await page.getByLabel('Name').fill('Operating account');
    await page.getByLabel('IBAN').fill(IBAN);
    await page.getByRole('button', { name: 'Add bank account' }).click();
    await page.getByRole('cell', { name: IBAN }).waitFor({ timeout: TIMEOUT });
    await admin.shot('bank-accounts');
  });

  await run.step(`${admin.label}: import a CAMT.053 statement`, admin, async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Import statement' }).click();
    const file = camt([
      { amount: '123.45', ref: exact.payment_reference, name: 'Bank Flow AG', svc: 'E2E-A' },
      { amount: '300.00', ref: partial.number, name: 'Bank Flow AG', svc: 'E2E-B' },
    ]);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'statement.xml', mimeType: 'application/xml', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: TIMEOUT });
    const text = await result.innerText();
    assert(text.includes('2 lines imported'), `import result: ${text}`);
    assert(text.includes('1 matched automatically'), `auto match: ${text}`);
    await admin.shot('bank-import');
  });

  await run.step(`${admin.label}: reconcile with the keyboard`, admin, async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Reconcile' }).click();
    await page.getByTestId('suggestion').first().waitFor({ timeout: TIMEOUT });
    const reasons = await page.getByTestId('suggestion').first().innerText();
    assert(reasons.includes(partial.number), `the suggestion names the invoice: ${reasons}`);
    await admin.shot('bank-reconcile');
    // The suggested line is the second: j moves to it, a accepts.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const lines = page.getByTestId('bank-line');
    const suggestedIndex = (await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).indexOf(
      'suggested',
    );
    for (let i = 0; i < suggestedIndex; i++) await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page
      .locator('[data-testid=bank-line][data-status=suggested]')
      .waitFor({ state: 'detached', timeout: TIMEOUT });
    assert((await page.locator('[data-testid=bank-line][data-status=matched]').count()) === 2, 'both lines matched');
    await admin.shot('bank-reconciled');
  });

  await run.step(`${phone.label}: the workspace as cards`, phone, async () => {
    const { page } = phone;
    // With E2E_ONLY the phone flow that signs the phone in does not run: sign in when asked.
    await phone.goto('/bank');
    const signIn = page.getByRole('heading', { name: 'Sign in to Arbor' });
    if (await signIn.isVisible().catch(() => false)) {
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Bank', exact: true }).waitFor({ timeout: TIMEOUT });
    }
    await page.getByTestId('bank-line').first().waitFor({ timeout: TIMEOUT });
    const overflow = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
    assert(!overflow, 'no horizontal scrolling at 375 px');
    await phone.shot('bank-reconcile');
  });
}
