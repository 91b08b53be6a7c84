import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { createCustomer, expectError, listAll } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** What a set of refused requests must leave untouched: the collection and the event log. */
async function snapshot(org: OrgClient, path: string) {
  return { items: await listAll(org, path), events: await listAll(org, '/api/v1/events') };
}

describe('customers', () => {
  test('schema violations are 400 invalid_request with the field, and write nothing', async () => {
    const org = await server.newOrg();
    await createCustomer(org, { name: 'Existing' });
    const before = await snapshot(org, '/api/v1/customers');

    const cases: [body: unknown, param: string][] = [
      [{ name: 42, currency: 'EUR' }, 'name'],
      [{ currency: 'EUR' }, 'name'],
      [{ name: '   ', currency: 'EUR' }, 'name'],
      [{ name: 'No currency' }, 'currency'],
      [{ name: 'Bad currency', currency: 'EURO' }, 'currency'],
      [{ name: 'Lower case currency', currency: 'eur' }, 'currency'],
      [{ name: 'Unknown currency', currency: 'XYZ' }, 'currency'],
      [{ name: 'Bad email', currency: 'EUR', email: 'not-an-email' }, 'email'],
      [{ name: 'Bad country', currency: 'EUR', billing_address: { country: 'XX' } }, 'billing_address.country'],
      [{ name: 'Lower country', currency: 'EUR', billing_address: { country: 'de' } }, 'billing_address.country'],
      [{ name: 'Bad terms', currency: 'EUR', payment_terms_days: -1 }, 'payment_terms_days'],
      [{ name: 'Fraction terms', currency: 'EUR', payment_terms_days: 1.5 }, 'payment_terms_days'],
      [{ name: 'Terms as text', currency: 'EUR', payment_terms_days: '30' }, 'payment_terms_days'],
      [{ name: 'Bad peppol', currency: 'EUR', peppol_id: { scheme: '88', id: 'x' } }, 'peppol_id.scheme'],
      [{ name: 'Bad paused', currency: 'EUR', reminders_paused: 'yes' }, 'reminders_paused'],
      [{ name: 'Bad metadata', currency: 'EUR', metadata: { k: 1 } }, 'metadata.k'],
    ];
    for (const [body, param] of cases) {
      const res = await org.post('/api/v1/customers', body);
      expectError(res, 400, 'invalid_request', 'parameter_invalid', param);
    }
    expect(await snapshot(org, '/api/v1/customers')).toEqual(before);
  });

  test('malformed JSON is 400 invalid_json', async () => {
    const org = await server.newOrg();
    const res = await org.request('POST', '/api/v1/customers', '{"name": "Broken", ', {
      'content-type': 'application/json',
    });
    expectError(res, 400, 'invalid_request', 'invalid_json');
    expect(await listAll(org, '/api/v1/customers')).toEqual([]);
  });

  test('an unknown owner in the body is 422 owner_not_found; another organization\u2019s user too', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    const before = await snapshot(org, '/api/v1/customers');
    expectError(
      await org.post('/api/v1/customers', { name: 'X', currency: 'EUR', owner: 'usr_doesnotexist' }),
      422,
      'invalid_request',
      'owner_not_found',
      'owner',
    );
    expectError(
      await org.post('/api/v1/customers', { name: 'X', currency: 'EUR', owner: other.adminUserId }),
      422,
      'invalid_request',
      'owner_not_found',
      'owner',
    );
    expect(await snapshot(org, '/api/v1/customers')).toEqual(before);
  });

  test('PATCH with invalid fields is refused and the customer keeps its values', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    const customer = await createCustomer(org, { name: 'Keep me', email: 'keep@example.com' });
    const eventsBefore = await listAll(org, '/api/v1/events');
    expectError(
      await org.patch(`/api/v1/customers/${customer.id}`, { email: 'nope' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'email',
    );
    expectError(
      await org.patch(`/api/v1/customers/${customer.id}`, { name: 'Renamed', currency: 'EU' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'currency',
    );
    expectError(
      await org.patch(`/api/v1/customers/${customer.id}`, { name: 'Renamed', owner: other.adminUserId }),
      422,
      'invalid_request',
      'owner_not_found',
      'owner',
    );
    const after = await org.get(`/api/v1/customers/${customer.id}`);
    expect(after.body).toEqual(customer);
    expect(await listAll(org, '/api/v1/events')).toEqual(eventsBefore);
  });

  test('contacts: bad email and missing name are 400', async () => {
    const org = await server.newOrg();
    const customer = await createCustomer(org);
    expectError(
      await org.post(`/api/v1/customers/${customer.id}/contacts`, { name: 'Ann', email: 'ann-at-example' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'email',
    );
    expectError(
      await org.post(`/api/v1/customers/${customer.id}/contacts`, { email: 'ann@example.com' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'name',
    );
    expectError(
      await org.post(`/api/v1/customers/${customer.id}/contacts`, { name: 'Ann', receives_invoices: 'true' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'receives_invoices',
    );
    expect(await listAll(org, `/api/v1/customers/${customer.id}/contacts`)).toEqual([]);
  });
});

describe('unknown ids in the path are 404 not_found', () => {
  test('GET, PATCH, DELETE of unknown customers, contacts, products and tax rates', async () => {
    const org = await server.newOrg();
    const before = await listAll(org, '/api/v1/events');
    const cases: [method: string, path: string, body?: unknown][] = [
      ['GET', '/api/v1/customers/cus_unknown'],
      ['PATCH', '/api/v1/customers/cus_unknown', { name: 'X' }],
      ['DELETE', '/api/v1/customers/cus_unknown'],
      ['GET', '/api/v1/customers/cus_unknown/contacts'],
      ['POST', '/api/v1/customers/cus_unknown/contacts', { name: 'Ann' }],
      ['PATCH', '/api/v1/contacts/con_unknown', { name: 'Ann' }],
      ['DELETE', '/api/v1/contacts/con_unknown'],
      ['GET', '/api/v1/products/prod_unknown'],
      ['PATCH', '/api/v1/products/prod_unknown', { name: 'X' }],
      ['GET', '/api/v1/tax_rates/txr_unknown'],
      ['PATCH', '/api/v1/tax_rates/txr_unknown', { name: 'X' }],
      ['PATCH', '/api/v1/users/usr_unknown', { role: 'viewer' }],
      ['DELETE', '/api/v1/api_keys/key_unknown'],
    ];
    for (const [method, path, body] of cases) {
      const res = await org.request(method, path, body);
      expectError(res, 404, 'not_found', 'resource_missing', 'id');
    }
    expect(await listAll(org, '/api/v1/events')).toEqual(before);
  });

  test('an unknown route is 404 route_not_found', async () => {
    const org = await server.newOrg();
    expectError(await org.get('/api/v1/nothing_here'), 404, 'not_found', 'route_not_found');
  });
});

describe('tax rates', () => {
  test('UNCL5305 rules, percentage range and decimals are 400 with the field; nothing written', async () => {
    const org = await server.newOrg();
    const before = await snapshot(org, '/api/v1/tax_rates');
    const cases: [body: unknown, code: string, param: string][] = [
      [{ name: 'Std zero', percentage: '0', category: 'S' }, 'standard_rate_zero', 'percentage'],
      [{ name: 'Too high', percentage: '100.5', category: 'S' }, 'percentage_out_of_range', 'percentage'],
      [{ name: 'Negative', percentage: '-19', category: 'S' }, 'parameter_invalid', 'percentage'],
      [{ name: 'Decimals', percentage: '19.12345', category: 'S' }, 'parameter_invalid', 'percentage'],
      [{ name: 'Not a number', percentage: 'nineteen' }, 'parameter_invalid', 'percentage'],
      [{ name: 'Zero rated', percentage: '7', category: 'Z' }, 'category_requires_zero_percentage', 'percentage'],
      [{ name: 'Exempt', percentage: '0', category: 'E' }, 'exemption_reason_required', 'exemption_reason'],
      [
        { name: 'Reverse', percentage: '0', category: 'AE', exemption_reason: ' ' },
        'exemption_reason_required',
        'exemption_reason',
      ],
      [{ name: 'Bad category', percentage: '0', category: 'X' }, 'parameter_invalid', 'category'],
      [{ name: 'Bad country', percentage: '19', country: 'Germany' }, 'parameter_invalid', 'country'],
      [{ percentage: '19' }, 'parameter_invalid', 'name'],
    ];
    for (const [body, code, param] of cases) {
      expectError(await org.post('/api/v1/tax_rates', body), 400, 'invalid_request', code, param);
    }
    expect(await snapshot(org, '/api/v1/tax_rates')).toEqual(before);
  });

  test('valid rates are created with the exact percentage; category defaults to S', async () => {
    const org = await server.newOrg();
    const std = await org.post('/api/v1/tax_rates', { name: 'VAT 19', percentage: '19', country: 'DE' });
    expect(std.status).toBe(201);
    expect(std.body).toMatchObject({ name: 'VAT 19', percentage: '19', category: 'S', country: 'DE', active: true });
    const reduced = await org.post('/api/v1/tax_rates', { name: 'VAT 5.5', percentage: 5.5 });
    expect(reduced.body.percentage).toBe('5.5');
    const exempt = await org.post('/api/v1/tax_rates', {
      name: 'Exempt',
      percentage: '0',
      category: 'E',
      exemption_reason: 'Article 132',
    });
    expect(exempt.status).toBe(201);
    expect(exempt.body).toMatchObject({ category: 'E', percentage: '0', exemption_reason: 'Article 132' });
    // Removing the reason of an exempt rate is refused.
    expectError(
      await org.patch(`/api/v1/tax_rates/${exempt.body.id}`, { exemption_reason: null }),
      400,
      'invalid_request',
      'exemption_reason_required',
      'exemption_reason',
    );
    expect((await org.get(`/api/v1/tax_rates/${exempt.body.id}`)).body.exemption_reason).toBe('Article 132');
  });
});

describe('products', () => {
  test('negative price, too many decimals, bad currency, bad unit: 400 with the field; nothing written', async () => {
    const org = await server.newOrg();
    const before = await snapshot(org, '/api/v1/products');
    const cases: [body: unknown, param: string][] = [
      [{ name: 'Negative', unit_price: '-1.00', currency: 'EUR' }, 'unit_price'],
      [{ name: 'Negative number', unit_price: -5, currency: 'EUR' }, 'unit_price'],
      [{ name: 'Seven decimals', unit_price: '1.1234567', currency: 'EUR' }, 'unit_price'],
      [{ name: 'Too precise number', unit_price: 0.1234567890123456, currency: 'EUR' }, 'unit_price'],
      [{ name: 'Text price', unit_price: 'ten', currency: 'EUR' }, 'unit_price'],
      [{ name: 'Boolean price', unit_price: true, currency: 'EUR' }, 'unit_price'],
      [{ name: 'No price', currency: 'EUR' }, 'unit_price'],
      [{ name: 'Bad currency', unit_price: '1', currency: 'EURO' }, 'currency'],
      [{ name: 'Bad unit', unit_price: '1', currency: 'EUR', unit: 'pieces' }, 'unit'],
      [{ unit_price: '1', currency: 'EUR' }, 'name'],
    ];
    for (const [body, param] of cases) {
      expectError(await org.post('/api/v1/products', body), 400, 'invalid_request', 'parameter_invalid', param);
    }
    expect(await snapshot(org, '/api/v1/products')).toEqual(before);
  });

  test('unit prices with up to 6 decimals are echoed exactly; JSON numbers become their decimal text', async () => {
    const org = await server.newOrg();
    const six = await org.post('/api/v1/products', { name: 'Six', unit_price: '0.123456', currency: 'EUR' });
    expect(six.status).toBe(201);
    expect(six.body).toMatchObject({ unit_price: '0.123456', unit: 'C62', tax_rate: null, active: true });
    const trailing = await org.post('/api/v1/products', { name: 'Trailing', unit_price: '10.50', currency: 'EUR' });
    expect(trailing.body.unit_price).toBe('10.50');
    expect((await org.get(`/api/v1/products/${trailing.body.id}`)).body.unit_price).toBe('10.50');
    const num = await org.post('/api/v1/products', { name: 'Number', unit_price: 0.1, currency: 'EUR' });
    expect(num.body.unit_price).toBe('0.1');
    const free = await org.post('/api/v1/products', { name: 'Free', unit_price: 0, currency: 'EUR' });
    expect(free.status).toBe(201);
  });

  test('a tax rate that is unknown or of another organization is 422 tax_rate_not_found', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg();
    const foreignRate = await other.post('/api/v1/tax_rates', { name: 'Foreign VAT', percentage: '20' });
    expect(foreignRate.status).toBe(201);
    const ownRate = await org.post('/api/v1/tax_rates', { name: 'Own VAT', percentage: '19' });
    const product = await org.post('/api/v1/products', {
      name: 'Widget',
      unit_price: '5',
      currency: 'EUR',
      tax_rate: ownRate.body.id,
    });
    expect(product.status).toBe(201);
    expect(product.body.tax_rate).toBe(ownRate.body.id);
    const before = await snapshot(org, '/api/v1/products');

    for (const taxRate of [foreignRate.body.id, 'txr_unknown']) {
      expectError(
        await org.post('/api/v1/products', { name: 'Gadget', unit_price: '5', currency: 'EUR', tax_rate: taxRate }),
        422,
        'invalid_request',
        'tax_rate_not_found',
        'tax_rate',
      );
      expectError(
        await org.patch(`/api/v1/products/${product.body.id}`, { tax_rate: taxRate, name: 'Changed' }),
        422,
        'invalid_request',
        'tax_rate_not_found',
        'tax_rate',
      );
    }
    expect(await snapshot(org, '/api/v1/products')).toEqual(before);
    expect((await org.get(`/api/v1/products/${product.body.id}`)).body).toEqual(product.body);
  });
});
