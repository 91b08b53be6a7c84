import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTaxRate } from '../../src/catalog/service';
import { createCustomer } from '../../src/crm/service';
import { setupOrganization, systemContext } from '../../src/organizations/service';
import { ShiftedClock } from '../../src/platform/clock';
import { openDatabase } from '../../src/platform/db';
import { createSubscription } from '../../src/subscriptions/service';
import { TEST_NOW } from '../helpers/server';

// `arbor bill-run` on the embedded database: the command opens the data folder itself. The child never sees
// DATABASE_URL, so this runs the same in the PostgreSQL run of the suite.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/arbor.js');
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-bill-run-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function arbor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ARBOR_DATA_DIR: dataDir, ARBOR_NOW: TEST_NOW, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('arbor bill-run --date bills what is due once; a second run bills nothing', { timeout: 240_000 }, async () => {
  const database = await openDatabase({ databaseUrl: null, dataDir });
  try {
    const { organization } = await setupOrganization(
      { db: database.db, clock: new ShiftedClock(new Date(TEST_NOW)) },
      {
        orgName: 'Bill Run GmbH',
        currency: 'EUR',
        email: 'bill-run@test.arbor',
        password: 'correct horse battery',
        add: true,
      },
    );
    const ctx = await systemContext(
      { db: database.db, clock: new ShiftedClock(new Date(TEST_NOW)), publicUrl: 'http://localhost:3000' },
      organization.id,
    );
    const vat = await createTaxRate(ctx, { name: 'VAT 19%', percentage: '19', category: 'S' } as never);
    const customer = await createCustomer(ctx, { name: 'Globex', currency: 'EUR' } as never);
    for (let i = 0; i < 5; i++)
      await createSubscription(ctx, {
        customer: customer.id,
        interval: 'month',
        interval_count: 1,
        start_date: '2026-01-15',
        billing_day: 1,
        items: [{ description: `Plan ${i}`, unit_price: '30.00', tax_rate: vat.id }],
      });
  } finally {
    await database.close();
  }

  const bad = await arbor(['bill-run', '--date', '2026-02-30']);
  expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--date')]);
  const first = await arbor(['bill-run', '--date', '2026-02-01', '--json']);
  expect(first.code, first.stderr).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual([
    expect.objectContaining({ status: 'completed', trigger: 'cli', processed: 5, invoices_created: 10 }),
  ]);
  const again = await arbor(['bill-run', '--date', '2026-02-01']);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toContain('0 invoices from 0 subscriptions due by 2026-02-01 (completed');
});
