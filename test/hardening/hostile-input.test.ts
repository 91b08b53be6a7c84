import { Writable } from 'node:stream';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from '../../src/platform/db';
import { einvoiceSetup } from '../einvoice/helpers';
import { expectError, PASSWORD, uniqueEmail } from '../foundation/helpers';
import { apiRequest, type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { postedInvoice } from '../invoicing/fixtures';

// Issue 13: hostile input never gives a 500, secrets never reach the log, forged addresses do not escape limits.

const v1 = (path: string) => `/api/v1${path}`;
let server: TestServer;
let logged = '';
const logStream = new Writable({
  write(chunk, _enc, done) {
    logged += chunk.toString();
    done();
  },
});

beforeAll(async () => {
  server = await startTestServer({}, { logger: { level: 'info', stream: logStream } });
});
afterAll(async () => {
  await server?.stop();
});

async function customerCount(org: OrgClient): Promise<number> {
  const res = await org.get(v1('/customers?limit=200'));
  return res.body.data.length;
}

describe('NUL and control characters', () => {
  test('in body strings: 400 invalid_characters naming the field, nothing written', async () => {
    const org = await server.newOrg();
    const bodies: [Record<string, unknown>, string][] = [
      [{ name: 'Acme\u0000 GmbH', currency: 'EUR' }, 'name'],
      [{ name: 'Acme', currency: 'EUR', metadata: { note: 'a\u0000b' } }, 'metadata.note'],
      [{ name: 'Acme', currency: 'EUR', metadata: { 'k\u0000': 'v' } }, 'metadata.k\u0000'],
      [{ name: 'Esc \u001b[31m red', currency: 'EUR' }, 'name'],
      [{ name: 'Bell \u0001', currency: 'EUR' }, 'name'],
      [{ name: 'Lone \ud800 surrogate', currency: 'EUR' }, 'name'],
    ];
    for (const [body, param] of bodies) {
      const res = await org.post(v1('/customers'), body);
      expectError(res, 400, 'invalid_request', 'invalid_characters', param);
    }
    expect(await customerCount(org)).toBe(0);
    // Tabs and line breaks are text, and an emoji's surrogate pair is fine.
    const ok = await org.post(v1('/customers'), { name: 'Tab\tand\nline 😀', currency: 'EUR' });
    expect(ok.status).toBe(201);
  });

  test('in a user name, a line description and a credit note reason', async () => {
    const org = await server.newOrg();
    const user = await org.post(v1('/users'), {
      email: uniqueEmail(),
      password: PASSWORD,
      name: 'x\u0000',
      role: 'viewer',
    });
    expectError(user, 400, 'invalid_request', 'invalid_characters', 'name');
    const customer = (await org.post(v1('/customers'), { name: 'Acme', currency: 'EUR' })).body;
    const draft = await org.post(v1('/invoices'), {
      customer: customer.id,
      lines: [
        { description: 'ok', quantity: '1', unit_price: '1' },
        { description: 'a\u0000b', quantity: '1' },
      ],
    });
    expectError(draft, 400, 'invalid_request', 'invalid_characters', 'lines[1].description');
    const credit = await org.post(v1('/credit_notes'), { invoice: 'inv_x', reason: '\u0000' });
    expectError(credit, 400, 'invalid_request', 'invalid_characters', 'reason');
  });

  test('in URLs (path, search, cursor, filters): 400 in the error shape, never 500', async () => {
    const org = await server.newOrg();
    for (const [path, param] of [
      ['/customers/cus_%00x', 'path'],
      ['/customers?search=a%00b', 'search'],
      ['/customers?starting_after=cus_1%00', 'starting_after'],
      ['/events?type=%00', 'type'],
      ['/invoices?customer=%1b', 'customer'],
    ] as const) {
      const res = await org.get(v1(path));
      expectError(res, 400, 'invalid_request', 'invalid_characters', param);
    }
  });

  test('a name stored with a control character (before this gate) still gives parseable UBL and CII', async () => {
    const org = await server.newOrg();
    const { buyer, vat19 } = await einvoiceSetup(org);
    await server.db.execute(sql`update customers set name = ${'Client\u0001 \u001bBV'} where id = ${buyer.id}`);
    const invoice = await postedInvoice(org, {
      customer: buyer.id,
      lines: [{ description: 'Support', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const ubl = await org.get(v1(`/invoices/${invoice.id}/ubl`));
    expect(ubl.status).toBe(200);
    expect(XMLValidator.validate(String(ubl.body))).toBe(true);
    expect(String(ubl.body)).toContain('Client BV');
  });
});

describe('framework errors in the error shape', () => {
  test('over-long path parameter, bad URL encoding, bad JSON, too large, too deep', async () => {
    const org = await server.newOrg();
    expectError(await org.get(v1(`/customers/${'x'.repeat(300)}`)), 400, 'invalid_request', 'parameter_too_long');
    expectError(await org.get(v1('/customers/%E0%A4%A')), 400, 'invalid_request');
    expectError(
      await org.request('POST', v1('/customers'), '{"name": ', { 'content-type': 'application/json' }),
      400,
      'invalid_request',
      'invalid_json',
    );
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), currency: 'EUR' });
    expectError(
      await org.request('POST', v1('/customers'), big, { 'content-type': 'application/json' }),
      400,
      'invalid_request',
      'body_too_large',
    );
    const deep = `${'['.repeat(50_000)}"x"${']'.repeat(50_000)}`;
    const res = await org.request('POST', v1('/customers'), `{"name": "A", "currency": "EUR", "deep": ${deep}}`, {
      'content-type': 'application/json',
      'idempotency-key': 'deep-1',
    });
    expectError(res, 400, 'invalid_request', 'json_too_deep');
    expect(await customerCount(org)).toBe(0);
  });
});

describe('digit limits: exact or refused', () => {
  test('30-digit quantities and prices, and a product beyond 15 digits, are refused (400)', async () => {
    const org = await server.newOrg();
    const customer = (await org.post(v1('/customers'), { name: 'Acme', currency: 'EUR' })).body;
    const rate = (await org.post(v1('/tax_rates'), { name: 'VAT', percentage: '19', category: 'S' })).body;
    const tax_rate = rate.id;
    const huge = '123456789012345678901234567890';
    const tooMany = await org.post(v1('/invoices'), {
      customer: customer.id,
      lines: [{ description: 'x', quantity: huge, unit_price: huge, tax_rate }],
    });
    expectError(tooMany, 400, 'invalid_request', undefined, 'lines[0].quantity');
    const places = await org.post(v1('/invoices'), {
      customer: customer.id,
      lines: [{ description: 'x', quantity: '1.12345678901', unit_price: '1', tax_rate }],
    });
    expectError(places, 400, 'invalid_request', undefined, 'lines[0].quantity');
    const product = await org.post(v1('/invoices'), {
      customer: customer.id,
      lines: [{ description: 'x', quantity: '999999999999', unit_price: '999999999999', tax_rate }],
    });
    expectError(product, 400, 'invalid_request', 'amount_too_large', 'lines[0].amount');
    // The largest amount that fits is kept exactly.
    const fits = await org.post(v1('/invoices'), {
      customer: customer.id,
      lines: [{ description: 'x', quantity: '1', unit_price: '800000000000000.01', tax_rate }],
    });
    expect(fits.status, JSON.stringify(fits.body)).toBe(201);
    expect(fits.body.subtotal).toBe('800000000000000.01');
    expect(fits.body.total).toBe('952000000000000.01');
  });
});

describe('customers other records refer to', () => {
  test('deleting a customer with only a quote or only a subscription is 409, never 500', async () => {
    const org = await server.newOrg();
    const rate = (await org.post(v1('/tax_rates'), { name: 'VAT', percentage: '19', category: 'S' })).body;
    const withQuote = (await org.post(v1('/customers'), { name: 'Q', currency: 'EUR' })).body;
    const quote = await org.post(v1('/quotes'), {
      customer: withQuote.id,
      valid_until: '2099-12-31',
      lines: [{ description: 'x', quantity: '1', unit_price: '1', tax_rate: rate.id }],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    expectError(await org.delete(v1(`/customers/${withQuote.id}`)), 409, 'conflict', 'customer_has_documents');
    const withSub = (await org.post(v1('/customers'), { name: 'S', currency: 'EUR' })).body;
    const sub = await org.post(v1('/subscriptions'), {
      customer: withSub.id,
      interval: 'month',
      start_date: '2026-01-01',
      billing_day: 1,
      items: [{ description: 'Plan', unit_price: '30.00', tax_rate: rate.id }],
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expectError(await org.delete(v1(`/customers/${withSub.id}`)), 409, 'conflict', 'customer_has_documents');
    expect((await org.get(v1(`/customers/${withSub.id}`))).status).toBe(200);
  });
});

describe('sign-in', () => {
  test('forged X-Forwarded-For addresses do not escape the limit: 10 tries per account', async () => {
    const org = await server.newOrg();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await apiRequest(
        org.baseUrl,
        'POST',
        v1('/auth/login'),
        { email: org.adminEmail, password: `wrong ${i}` },
        { 'x-forwarded-for': `203.0.113.${i + 1}` },
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test('users are unique per organization; login asks which organization after a correct password', async () => {
    const a = await server.newOrg();
    const b = await server.newOrg();
    const email = uniqueEmail('both');
    for (const org of [a, b]) {
      const res = await org.post(v1('/users'), { email, password: PASSWORD, role: 'viewer' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    expectError(
      await a.post(v1('/users'), { email: email.toUpperCase(), password: PASSWORD, role: 'viewer' }),
      409,
      'conflict',
      'email_taken',
    );
    const wrong = await apiRequest(a.baseUrl, 'POST', v1('/auth/login'), { email, password: 'not it at all' });
    expectError(wrong, 401, 'authentication', 'invalid_credentials');
    const ambiguous = await apiRequest(a.baseUrl, 'POST', v1('/auth/login'), { email, password: PASSWORD });
    expectError(ambiguous, 409, 'conflict', 'organization_required', 'organization');
    expect(ambiguous.body.error.organizations.map((o: { id: string }) => o.id).sort()).toEqual(
      [a.orgId, b.orgId].sort(),
    );
    const chosen = await apiRequest(a.baseUrl, 'POST', v1('/auth/login'), {
      email,
      password: PASSWORD,
      organization: b.orgId,
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    const cookie = (chosen.headers.get('set-cookie') ?? '').split(';')[0]!;
    const me = await apiRequest(a.baseUrl, 'GET', v1('/auth/me'), undefined, { cookie });
    expect(me.body.organization.id).toBe(b.orgId);
  });

  test('concurrent creation of one user: one 201, the others 409 email_taken, never 500', async () => {
    const org = await server.newOrg();
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => org.post(v1('/users'), { email, password: PASSWORD, role: 'viewer' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, 'conflict', 'email_taken');
  });
});

describe('the log', () => {
  test('holds no password, password hash or email, whatever failed', async () => {
    const org = await server.newOrg();
    const email = uniqueEmail('secret');
    const secret = 'my very secret password';
    await org.post(v1('/users'), { email, password: secret, role: 'viewer' });
    await org.post(v1('/users'), { email, password: secret, role: 'viewer' });
    await apiRequest(org.baseUrl, 'POST', v1('/auth/login'), { email, password: 'wrong password here' });
    await org.post(v1('/customers'), { name: 'x\u0000', currency: 'EUR', email });
    // A database error that is our side's fault: a user row whose id exists, through the service layer's own path.
    const { databaseErrorOf, safeErrorSerializer } = await import('../../src/platform/db-errors');
    const failure = await server.db
      .execute(sql`insert into users (id, org_id, email, password_hash, role, created_at)
                   values (${org.adminUserId}, ${org.orgId}, ${email}, ${'scrypt$16384$8$1$leak$leak'}, 'viewer', ${server.clock.now()})`)
      .catch((e: unknown) => e);
    expect(databaseErrorOf(failure)?.code).toBe('23505');
    const serialized = JSON.stringify(safeErrorSerializer(failure));
    expect(serialized).not.toContain(email);
    expect(serialized).not.toContain('scrypt$');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(email);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('scrypt$');
  });
});
