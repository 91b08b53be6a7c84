import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectError, listAll } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
// A real 543-byte JPEG (pdfkit must be able to read an uploaded logo).
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);

test('a new organization has the documented defaults', async () => {
  const org = await server.newOrg({ currency: 'CHF', timeZone: 'Europe/Zurich' });
  const res = await org.get('/api/v1/settings');
  expect(res.status).toBe(200);
  const me = await org.get('/api/v1/auth/me');
  expect(res.body).toMatchObject({
    legal_name: me.body.organization.name,
    base_currency: 'CHF',
    time_zone: 'Europe/Zurich',
    invoice_number_format: 'INV-{YYYY}-{seq:6}',
    credit_note_number_format: 'CN-{YYYY}-{seq:6}',
    invoice_number_start: 1,
    enforce_chronological_numbering: false,
    iban: null,
    address: null,
  });
  expect(Object.keys(res.body)).toEqual(
    expect.arrayContaining(['branding', 'ledger_accounts', 'payment_terms_days', 'locale', 'peppol_id', 'bic']),
  );
  const utc = await server.newOrg();
  expect((await utc.get('/api/v1/settings')).body.time_zone).toBe('UTC');
});

test('PATCH changes only what it names, merges nested objects, and is kept', async () => {
  const org = await server.newOrg();
  const before = (await org.get('/api/v1/settings')).body;
  const res = await org.patch('/api/v1/settings', {
    legal_name: 'Arbor Test GmbH',
    address: { line1: 'Hauptstr. 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
    iban: 'de89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
    email: 'billing@arbor.example',
    invoice_number_format: 'RE-{YYYY}/{seq:4}',
    invoice_number_start: 1000,
    enforce_chronological_numbering: true,
    branding: { footer: 'Thank you' },
    ledger_accounts: { revenue: '8400' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({
    legal_name: 'Arbor Test GmbH',
    iban: 'DE89370400440532013000',
    invoice_number_format: 'RE-{YYYY}/{seq:4}',
    invoice_number_start: 1000,
    enforce_chronological_numbering: true,
    credit_note_number_format: before.credit_note_number_format,
    base_currency: before.base_currency,
    branding: { footer: 'Thank you', accent_color: before.branding.accent_color },
    ledger_accounts: { ...before.ledger_accounts, revenue: '8400' },
  });
  expect(res.body.address).toMatchObject({ line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' });
  expect((await org.get('/api/v1/settings')).body).toEqual(res.body);
  // The organization's name follows the legal name.
  expect((await org.get('/api/v1/auth/me')).body.organization.name).toBe('Arbor Test GmbH');
  const events = await listAll(org, '/api/v1/events?type=settings.updated');
  expect(events).toHaveLength(1);
  expect(events[0].data.changed).toEqual(expect.arrayContaining(['legal_name', 'iban', 'branding']));
});

test('invalid settings are 400 with the field and change nothing', async () => {
  const org = await server.newOrg();
  const before = (await org.get('/api/v1/settings')).body;
  const cases: [body: unknown, param: string][] = [
    [{ iban: 'DE00 1234 5678 9012 3456 78' }, 'iban'],
    [{ iban: 'not an iban' }, 'iban'],
    [{ bic: 'XYZ' }, 'bic'],
    [{ email: 'billing-at-example' }, 'email'],
    [{ base_currency: 'EURO' }, 'base_currency'],
    [{ address: { country: 'ZZ' } }, 'address.country'],
    [{ time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
    [{ invoice_number_format: 'INV-{YYYY}' }, 'invoice_number_format'],
    [{ credit_note_number_format: 'CN-fixed' }, 'credit_note_number_format'],
    [{ invoice_number_start: 0 }, 'invoice_number_start'],
    [{ invoice_number_start: '5' }, 'invoice_number_start'],
    [{ enforce_chronological_numbering: 'yes' }, 'enforce_chronological_numbering'],
    [{ payment_terms_days: -3 }, 'payment_terms_days'],
    [{ branding: { accent_color: 'red' } }, 'branding.accent_color'],
    [{ peppol_id: { scheme: 'GLN', id: '123' } }, 'peppol_id.scheme'],
    [{ legal_name: '' }, 'legal_name'],
  ];
  for (const [body, param] of cases) {
    expectError(await org.patch('/api/v1/settings', body), 400, 'invalid_request', 'parameter_invalid', param);
  }
  // One bad field spoils the whole patch.
  expectError(
    await org.patch('/api/v1/settings', { legal_name: 'Changed', iban: 'DE00' }),
    400,
    'invalid_request',
    'parameter_invalid',
    'iban',
  );
  expect((await org.get('/api/v1/settings')).body).toEqual(before);
  expect(await listAll(org, '/api/v1/events?type=settings.updated')).toEqual([]);
});

test('logo: PNG and JPEG are accepted; other types, non-images and files over 512 KB are refused', async () => {
  const org = await server.newOrg();
  const put = (body: Uint8Array | string, type: string) =>
    org.request('PUT', '/api/v1/settings/logo', body, { 'content-type': type });

  const png = await put(PNG, 'image/png');
  expect(png.status, JSON.stringify(png.body)).toBe(204);
  const jpeg = await put(JPEG, 'image/jpeg');
  expect(jpeg.status, JSON.stringify(jpeg.body)).toBe(204);
  const uploads = await listAll(org, '/api/v1/events?type=settings.logo_updated');
  expect(uploads.map((e) => e.data.bytes)).toEqual([JPEG.length, PNG.length]);
  // A JPEG header with nothing readable after it is refused: documents could not print it.
  expectError(
    await put(Buffer.concat([JPEG_HEAD, Buffer.alloc(100)]), 'image/jpeg'),
    422,
    'invalid_request',
    'logo_unreadable',
  );

  // Not an image: a text body, or bytes that are not what the content type says.
  expectError(await put('just some text', 'text/plain'), 400, 'invalid_request', 'logo_type', 'content-type');
  expectError(
    await put(Buffer.from('GIF89a not a png at all'), 'image/png'),
    422,
    'invalid_request',
    'logo_unreadable',
  );
  expectError(await put(PNG, 'image/jpeg'), 422, 'invalid_request', 'logo_unreadable');
  expectError(await put(Buffer.from('GIF89a'), 'image/gif'), 400, 'invalid_request', 'unsupported_media_type');

  // Too large: just over the limit, and far over it.
  const justOver = Buffer.concat([PNG, Buffer.alloc(512 * 1024 + 1 - PNG.length)]);
  expectError(await put(justOver, 'image/png'), 400, 'invalid_request', 'logo_too_large');
  const farOver = Buffer.concat([PNG, Buffer.alloc(700 * 1024)]);
  expectError(await put(farOver, 'image/png'), 400, 'invalid_request');
  const exactly = Buffer.concat([PNG, Buffer.alloc(512 * 1024 - PNG.length)]);
  expect((await put(exactly, 'image/png')).status).toBe(204);

  const after = await listAll(org, '/api/v1/events?type=settings.logo_updated');
  expect(after.map((e) => e.data.bytes)).toEqual([512 * 1024, JPEG.length, PNG.length]);
});
