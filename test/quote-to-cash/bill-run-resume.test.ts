import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { noJobs, startTestServer } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';
import { invoicesOf, subscribe, v1, waitForRun } from './helpers';

// Issue 13, finding 12: on the embedded database a bill run cut off by a stop or crash (its jobs lived in memory) is
// taken up again by the next process, instead of staying `running` until a daily job an hour later. Embedded only
// (vitest.config.ts): PostgreSQL keeps its jobs in pg-boss.

test('a bill run left unfinished by a stopped embedded process is finished by the next one, billing once', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbor-resume-'));
  try {
    // The first process accepts the run but dies before any of its jobs ran.
    const first = await startTestServer({ dataDir }, { jobs: noJobs });
    const org = await first.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    await subscribe(org, customer.id, vat19.id, { start_date: '2026-01-01' });
    const started = await org.post(v1('/bill_runs'), { target_date: '2026-03-01' });
    expect(started.status).toBe(202);
    expect((await org.get(v1(`/bill_runs/${started.body.id}`))).body.status).toBe('pending');
    await first.stop();

    const second = await startTestServer({ dataDir });
    try {
      const again = org.withBaseUrl(second.url);
      const run = await waitForRun(again, started.body.id);
      expect(run).toMatchObject({ status: 'completed', invoices_created: 3 });
      // One invoice per period, each once (dated the run's day: a catch-up run does not back-date).
      const invoices = await invoicesOf(again, customer.id);
      expect(invoices.map((i) => i.service_period.start).sort()).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    } finally {
      await second.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
