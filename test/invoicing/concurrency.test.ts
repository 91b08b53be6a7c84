import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { billingSetup } from './fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

// Real concurrency on PostgreSQL (PGlite runs one transaction at a time, so there it checks the same outcome serially).
test('50 concurrent postings get 50 consecutive numbers, no gap and no duplicate; a second post of each is refused', async () => {
  const org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const drafts = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      org.post('/api/v1/invoices', {
        customer: customer.id,
        issue_date: '2026-06-01',
        lines: [{ description: `Item ${i}`, quantity: '1', unit_price: '10', tax_rate: vat19.id }],
      }),
    ),
  );
  const ids = drafts.map((d) => d.body.id as string);
  // Every draft is posted twice at the same moment: exactly one of each pair may succeed.
  const results = await Promise.all([...ids, ...ids].map((id) => org.post(`/api/v1/invoices/${id}/post`)));
  expect(results.filter((r) => r.status === 200)).toHaveLength(50);
  expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'invoice_not_draft')).toBe(true);
  const numbers = results.filter((r) => r.status === 200).map((r) => r.body.number as string);
  const expected = Array.from({ length: 50 }, (_, i) => `INV-2026-${String(i + 1).padStart(6, '0')}`);
  expect([...numbers].sort()).toEqual(expected);
  const check = await org.get('/api/v1/admin/check');
  expect(check.body).toMatchObject({ ok: true, violations: [] });
});
