import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { firstUnknownField } from '../../src/platform/strict-body';
import { expectError } from '../foundation/helpers';
import { startTestServer, type TestServer } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';

// API.md "Additions…": a misspelt or unknown body field is refused with 400 unknown_field naming it, and nothing is
// written; public routes ignore what they do not know.

const v1 = (path: string) => `/api/v1${path}`;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('unknown body fields', () => {
  test('a misspelt field on create, nested in a line, and on a patch: 400 naming it, nothing written', async () => {
    const org = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    const before = (await org.get(v1('/customers?limit=200'))).body.data.length;
    expectError(
      await org.post(v1('/customers'), { name: 'Initech', currency: 'EUR', emial: 'ap@initech.test' }),
      400,
      'invalid_request',
      'unknown_field',
      'emial',
    );
    expect((await org.get(v1('/customers?limit=200'))).body.data).toHaveLength(before);

    const line = { description: 'Consulting', quantity: '1', unit_price: '100.00', tax_rate: vat19.id };
    expectError(
      await org.post(v1('/invoices'), { customer: customer.id, lines: [line, { ...line, discout_percent: '5' }] }),
      400,
      'invalid_request',
      'unknown_field',
      'lines[1].discout_percent',
    );
    expect((await org.get(v1(`/invoices?customer=${customer.id}`))).body.data).toHaveLength(0);

    expectError(
      await org.patch(v1(`/customers/${customer.id}`), { nmae: 'Globex AG' }),
      400,
      'invalid_request',
      'unknown_field',
      'nmae',
    );
    expect((await org.get(v1(`/customers/${customer.id}`))).body.name).toBe('Globex GmbH');
    // The same request without the stray field works.
    expect((await org.post(v1('/invoices'), { customer: customer.id, lines: [line] })).status).toBe(201);
  });

  test('the schema walk: optional, nullable, arrays, unions and open objects', () => {
    const schema = z.object({
      a: z.string().optional(),
      b: z.object({ c: z.string() }).nullable(),
      list: z.array(z.object({ x: z.number() })).default([]),
      either: z.union([z.object({ kind: z.literal('p'), p: z.string() }), z.object({ kind: z.literal('q') })]),
      metadata: z.record(z.string(), z.string()).optional(),
      open: z.object({}).passthrough().optional(),
    });
    const ok = { a: 'x', b: { c: 'y' }, list: [{ x: 1 }], either: { kind: 'p', p: 'z' }, metadata: { any: 'v' } };
    expect(firstUnknownField(schema, ok)).toBeNull();
    expect(firstUnknownField(schema, { ...ok, open: { whatever: 1 } })).toBeNull();
    expect(firstUnknownField(schema, { ...ok, b: { c: 'y', d: 1 } })).toBe('b.d');
    expect(firstUnknownField(schema, { ...ok, list: [{ x: 1 }, { x: 2, y: 3 }] })).toBe('list[1].y');
    expect(firstUnknownField(schema, { ...ok, either: { kind: 'q', p: 'z' } })).toBe('either.p');
    expect(firstUnknownField(schema, { ...ok, zz: 1 })).toBe('zz');
  });
});
