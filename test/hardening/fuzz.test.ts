import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from '../../src/platform/db';
import { apiRequest, type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

// Issue 13: a fuzz test of the API. Hostile JSON (every control character, huge and over-precise numbers, deep
// nesting, wrong types and ids) against the routes that write: never a 5xx, always the error shape, and a refused
// request writes nothing (every change writes an event, so the organization's event count must not move).
// A fixed seed and a fixed number of runs keep it reproducible and bounded.

const SEED = Number(process.env.FUZZ_SEED ?? 20261116);
const RUNS = 600;

let server: TestServer;
let org: OrgClient;
let ids: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  const { customer, vat19 } = await billingSetup(org);
  const posted = await postedInvoice(org, {
    customer: customer.id,
    lines: [{ description: 'Seed', quantity: '1', unit_price: '100.00', tax_rate: vat19.id }],
  });
  const draft = (await org.post('/api/v1/invoices', { customer: customer.id })).body;
  ids = { customer: customer.id, tax_rate: vat19.id, posted: posted.id, draft: draft.id };
});
afterAll(() => server.stop());

const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(['\u007f', '\ud800', '\udfff']);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...controls), fc.string({ maxLength: 10 }))
    .map((p) => p.join('')),
  fc.constantFrom('', ' ', 'x'.repeat(5000), '1e400', 'NaN', '-0', '0x10', '١٢٣', '12,5', '1.450,00'),
  fc.constantFrom('9'.repeat(40), `0.${'1'.repeat(30)}`, '-99999999999999999.99', '1'.repeat(16), '1.00000000001'),
  fc.constantFrom('inv_00000000000000000000000000000000', 'cus_%00', "'; drop table invoices; --", '../../etc/passwd'),
);
const leaf = fc.oneof(
  hostileString,
  fc.double(),
  fc.integer(),
  fc.bigInt().map((b) => Number(b)),
  fc.boolean(),
  fc.constant(null),
);
const deep = fc.integer({ min: 20, max: 60 }).map((depth) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
});
const value = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), leaf, { maxKeys: 3 }) },
  { weight: 1, arbitrary: deep },
);

/** A body that uses the route's real field names (so input reaches deep validation), sometimes with a stray key. */
function body(fields: string[]) {
  return fc
    .tuple(
      fc.subarray(fields, { minLength: 1 }),
      fc.array(value, { minLength: fields.length, maxLength: fields.length }),
      fc.option(fc.string({ maxLength: 8 }), { freq: 4 }),
    )
    .map(([chosen, values, stray]) => {
      const b: Record<string, unknown> = {};
      chosen.forEach((f, i) => {
        b[f] = values[i];
      });
      if (stray) b[stray] = 'stray';
      return b;
    });
}

const line = ['description', 'quantity', 'unit_price', 'tax_rate', 'discount_percent', 'unit'];
type Target = { method: string; path: () => string; fields: string[] };
const targets: Target[] = [
  { method: 'POST', path: () => '/customers', fields: ['name', 'currency', 'email', 'billing_address', 'metadata'] },
  { method: 'PATCH', path: () => `/customers/${ids.customer}`, fields: ['name', 'email', 'payment_terms_days'] },
  { method: 'POST', path: () => '/invoices', fields: ['customer', 'lines', 'issue_date', 'currency', 'notes'] },
  { method: 'PATCH', path: () => `/invoices/${ids.draft}`, fields: ['lines', 'due_date', 'po_number'] },
  { method: 'POST', path: () => '/payments', fields: ['customer', 'amount', 'currency', 'date', 'allocations'] },
  { method: 'POST', path: () => '/tax_rates', fields: ['name', 'percentage', 'category'] },
  { method: 'POST', path: () => '/products', fields: ['name', 'unit_price', 'tax_rate', 'currency'] },
  { method: 'PATCH', path: () => '/settings', fields: ['legal_name', 'iban', 'write_off_limit', 'locale'] },
  { method: 'POST', path: () => '/credit_notes', fields: ['invoice', 'amount', 'lines', 'reason'] },
  { method: 'POST', path: () => `/invoices/${ids.posted}/write_off`, fields: ['amount', 'reason'] },
  { method: 'POST', path: () => '/quotes', fields: ['customer', 'lines', 'valid_until'] },
];

async function eventCount(): Promise<number> {
  const result = (await server.db.execute(
    sql`select count(*)::int as n from events where org_id = ${org.orgId}`,
  )) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]!.n);
}

test('hostile bodies never give a 5xx, always the error shape, and a refusal writes nothing', async () => {
  const request = fc.oneof(
    ...targets.map((t) => body(t.fields).map((b) => ({ target: t, body: b }))),
    // Line-shaped objects with hostile values, on every route (most refuse `lines`, the invoice routes parse them).
    fc
      .tuple(fc.constantFrom(...targets), fc.array(fc.dictionary(fc.constantFrom(...line), value), { maxLength: 3 }))
      .map(([target, lines]) => ({ target, body: { customer: ids.customer, lines } as Record<string, unknown> })),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ target, body }) => {
      const before = await eventCount();
      const res = await org.request(target.method, `/api/v1${target.path()}`, body);
      expect(res.status, `${target.method} ${target.path()} ${JSON.stringify(body).slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.body).toMatchObject({
          error: { type: expect.any(String), code: expect.any(String), message: expect.any(String) },
        });
        expect(await eventCount()).toBe(before);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

/** Percent-encoded; a lone surrogate (which has no UTF-8) becomes the bytes of an encoded surrogate. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

test('hostile paths and queries never give a 5xx', async () => {
  const segment = fc.oneof(hostileString, fc.constantFrom('inv_x', 'cus_', '%', '%zz', '%00', '..', '0'));
  const paths = fc.oneof(
    segment.map((s) => `/api/v1/customers/${enc(s)}`),
    segment.map((s) => `/api/v1/invoices/${enc(s)}/pdf`),
    segment.map((s) => `/api/v1/invoices?search=${enc(s)}&starting_after=${enc(s)}`),
    segment.map((s) => `/api/v1/events?type=${enc(s)}&limit=${enc(s)}`),
    segment.map((s) => `/api/v1/reports/aging?as_of=${enc(s)}`),
    segment.map((s) => `/api/v1/customers?owner=${s}`),
  );
  await fc.assert(
    fc.asyncProperty(paths, async (path) => {
      const res = await apiRequest(server.url, 'GET', path, undefined, { authorization: `Bearer ${org.apiKey}` });
      expect(res.status, path).toBeLessThan(500);
      if (res.status >= 400 && typeof res.body === 'object') expect(res.body).toHaveProperty('error.code');
    }),
    { seed: SEED, numRuns: 300 },
  );
});
