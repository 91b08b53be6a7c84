import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emails } from '../../src/email/tables';
import { addUser, expectError, login, PASSWORD } from '../foundation/helpers';
import { apiRequest, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup, postedInvoice } from '../invoicing/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function lastResetLink(orgId: string, to: string): Promise<string> {
  const [mail] = await server.db
    .select()
    .from(emails)
    .where(eq(emails.orgId, orgId))
    .orderBy(desc(emails.createdAt), desc(emails.id));
  expect(mail?.to).toEqual([to]);
  expect(mail?.kind).toBe('password_reset');
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail?.textBody ?? '')?.[1];
  expect(token).toBeTruthy();
  return token as string;
}

describe('password reset', () => {
  test('202 for any email; the emailed token sets the password once, within an hour; only its hash is stored', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'finance');
    const session = await login(org.baseUrl, user.email);
    const unknown = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset', { email: 'nobody@x.test' });
    expect(unknown.status).toBe(202);
    const res = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset', { email: user.email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(unknown.body);
    const token = await lastResetLink(org.orgId, user.email);
    const stored = await server.db.execute(`select token_hash from password_resets where user_id = '${user.id}'`);
    const rows = (stored as unknown as { rows: { token_hash: string }[] }).rows;
    expect(rows.map((r) => r.token_hash)).not.toContain(token);

    const short = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset/confirm', {
      token,
      password: 'x',
    });
    expectError(short, 400, 'invalid_request', expect.any(String), 'password');
    const ok = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset/confirm', {
      token,
      password: 'a new long password',
    });
    expect(ok.status).toBe(200);
    // The old session ended; the old password no longer works, the new one does.
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
    const old = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/login', { email: user.email, password: PASSWORD });
    expect(old.status).toBe(401);
    await login(org.baseUrl, user.email, 'a new long password');
    const again = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset/confirm', {
      token,
      password: 'yet another password',
    });
    expectError(again, 422, 'invalid_request', 'invalid_reset_token', 'token');
    const events = await org.get(`/api/v1/events?object=${user.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['user.password_reset_requested', 'user.password_changed']),
    );
  });

  test('a token older than an hour is refused', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'viewer');
    await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset', { email: user.email });
    const token = await lastResetLink(org.orgId, user.email);
    await server.db.execute(
      `update password_resets set expires_at = expires_at - interval '61 minutes' where user_id = '${user.id}'`,
    );
    const res = await apiRequest(org.baseUrl, 'POST', '/api/v1/auth/password_reset/confirm', {
      token,
      password: 'a new long password',
    });
    expectError(res, 422, 'invalid_request', 'invalid_reset_token', 'token');
  });

  test('an admin sets a user’s password; others may not', async () => {
    const org = await server.newOrg();
    const user = await addUser(org, 'sales');
    const finance = await org.keyWithRole('finance');
    expect((await finance.patch(`/api/v1/users/${user.id}`, { password: 'by finance 123' })).status).toBe(403);
    const res = await org.patch(`/api/v1/users/${user.id}`, { password: 'set by the admin' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('sales');
    await login(org.baseUrl, user.email, 'set by the admin');
    expectError(
      await org.patch(`/api/v1/users/${user.id}`, { password: 'short' }),
      400,
      'invalid_request',
      expect.any(String),
      'password',
    );
  });
});

describe('global search', () => {
  test('customers, invoices, credit notes, quotes and payments of the caller’s organization', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    await billingSetup(other);
    const invoice = await postedInvoice(org, {
      customer: customer.id,
      lines: [{ description: 'Work', quantity: '1', unit_price: '100', tax_rate: vat19.id }],
    });
    const note = (
      await org.post('/api/v1/credit_notes', { invoice: invoice.id, amount: '10.00', credit_to: 'invoice' })
    ).body;
    const quote = (
      await org.post('/api/v1/quotes', {
        customer: customer.id,
        valid_until: '2026-12-31',
        lines: [{ description: 'Offer', quantity: '1', unit_price: '5', tax_rate: vat19.id }],
      })
    ).body;
    const payment = (
      await org.post('/api/v1/payments', {
        customer: customer.id,
        amount: '2000.00',
        date: '2026-11-10',
        method: 'bank_transfer',
        reference: 'Globex remittance 4711',
      })
    ).body;
    const res = await org.get('/api/v1/search?q=globex');
    expect(res.status).toBe(200);
    const found = res.body.data.map((h: { type: string; id: string }) => `${h.type}:${h.id}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `customer:${customer.id}`,
        `invoice:${invoice.id}`,
        `credit_note:${note.id}`,
        `quote:${quote.id}`,
        `payment:${payment.id}`,
      ]),
    );
    expect(found).toHaveLength(5);
    const label = res.body.data.find((h: { type: string }) => h.type === 'invoice').label;
    expect(label).toBe(`${invoice.number} · Globex GmbH · 119.00 EUR`);
    const byNumber = await org.get(`/api/v1/search?q=${encodeURIComponent(invoice.number)}`);
    expect(byNumber.body.data.map((h: { id: string }) => h.id)).toContain(invoice.id);
    const byAmount = await org.get('/api/v1/search?q=2000');
    expect(byAmount.body.data.map((h: { id: string }) => h.id)).toEqual([payment.id]);
    expect((await org.get('/api/v1/search?q=%25')).body.data).toEqual([]);
    expectError(await org.get('/api/v1/search?q='), 400, 'invalid_request', expect.any(String), 'q');
  });
});
