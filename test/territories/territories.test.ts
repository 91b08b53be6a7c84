import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { customer, ok, territory, user } from './fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const address = (country: string, postal_code = '10115') => ({
  line1: 'Street 1',
  city: 'City',
  postal_code,
  country,
});

describe('territories', () => {
  let org: OrgClient;
  beforeAll(async () => {
    org = await server.newOrg();
  });

  test('a hierarchy without cycles; members and manager are users of the organization', async () => {
    const world = await territory(org, { name: 'World' });
    const eu = await territory(org, { name: 'EU', parent: world.id, rules: [{ field: 'country', value: 'DE' }] });
    const cycle = await org.patch(`/api/v1/territories/${world.id}`, { parent: eu.id });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error).toMatchObject({ code: 'territory_cycle', param: 'parent' });
    const other = await server.newOrg();
    const stranger = await user(other);
    const bad = await org.post('/api/v1/territories', { name: 'X', members: [stranger.id] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.param).toBe('members[0]');
    const badRule = await org.post('/api/v1/territories', {
      name: 'X',
      rules: [{ field: 'employees_gte', value: 'many' }],
    });
    expect(badRule.status).toBe(400);
    const got = await ok(org.get(`/api/v1/territories/${eu.id}`));
    expect(got).toMatchObject({ name: 'EU', parent: world.id, priority: 0, members: [], manager: null });
    expect((await org.delete(`/api/v1/territories/${world.id}`)).status).toBe(409);
    expect((await org.delete(`/api/v1/territories/${eu.id}`)).status).toBe(204);
    expect((await other.get(`/api/v1/territories/${world.id}`)).status).toBe(404);
  });

  test('customers get their territory from the rules and an owner by round robin', async () => {
    const [a, b, c] = [await user(org), await user(org), await user(org)];
    const de = await territory(org, {
      name: 'Germany',
      priority: 5,
      rules: [{ field: 'country', value: 'de' }],
      members: [a.id, b.id, c.id],
    });
    const berlin = await territory(org, {
      name: 'Berlin',
      priority: 1,
      rules: [
        { field: 'country', value: 'DE' },
        { field: 'postal_code_prefix', value: '1' },
      ],
    });
    await ok(org.patch(`/api/v1/users/${b.id}`, { active: false }));
    const owners: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const cus = await customer(org, { name: `Munich ${i}`, billing_address: address('DE', '80331') });
      expect(cus).toMatchObject({ territory: de.id, territory_source: 'rules' });
      owners.push(cus.owner);
    }
    expect(owners).toEqual([a.id, c.id, a.id, c.id]);
    const inBerlin = await customer(org, { name: 'Berlin AG', billing_address: address('DE', '10115') });
    expect(inBerlin).toMatchObject({ territory: berlin.id, owner: null });
    const nowhere = await customer(org, { name: 'Paris SA', billing_address: address('FR') });
    expect(nowhere.territory).toBeNull();
    const byHand = await customer(org, { name: 'Hand', billing_address: address('FR'), territory: de.id, owner: a.id });
    expect(byHand).toMatchObject({ territory: de.id, territory_source: 'manual', owner: a.id });
    const sales = await org.keyWithRole('sales');
    expect((await sales.post('/api/v1/customers', { name: 'X', currency: 'EUR' })).status).toBe(403);
    const patched = await ok(
      org.patch(`/api/v1/customers/${nowhere.id}`, { territory: berlin.id, industry: 'Retail', employees: 12 }),
    );
    expect(patched).toMatchObject({
      territory: berlin.id,
      territory_source: 'manual',
      industry: 'Retail',
      employees: 12,
    });
    const foreign = await territory(await server.newOrg(), { name: 'Theirs' });
    const refused = await org.post('/api/v1/customers', { name: 'Y', currency: 'EUR', territory: foreign.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error.param).toBe('territory');
  });
});

describe('realignment', () => {
  test('the dry run changes nothing; the real one moves exactly what it said', async () => {
    const org = await server.newOrg();
    const [a, b] = [await user(org), await user(org)];
    const north = await territory(org, {
      name: 'North',
      rules: [{ field: 'postal_code_prefix', value: '2' }],
      members: [a.id],
    });
    const c1 = await customer(org, { name: 'One', billing_address: address('DE', '20095') });
    const c2 = await customer(org, { name: 'Two', billing_address: address('DE', '50667') });
    const c3 = await customer(org, { name: 'Three', billing_address: address('DE', '20095'), territory: north.id });
    expect([c1.territory, c2.territory]).toEqual([north.id, null]);
    // The rules change: the north moves to the south's postal codes and a new west takes the 5s.
    await ok(org.patch(`/api/v1/territories/${north.id}`, { rules: [{ field: 'postal_code_prefix', value: '9' }] }));
    const west = await territory(org, {
      name: 'West',
      rules: [{ field: 'postal_code_prefix', value: '5' }],
      members: [b.id],
    });
    const dry = await ok(org.post('/api/v1/territories/realign', { dry_run: true, reassign_owners: true }));
    const expected = [
      { territory_from: null, territory_to: west.id, customers: 1, leads: 0, opportunities: 0, open_pipeline: [] },
      { territory_from: north.id, territory_to: null, customers: 1, leads: 0, opportunities: 0, open_pipeline: [] },
    ];
    expect(dry.moved).toEqual(expected);
    expect(dry.unchanged).toBe(1);
    expect((await ok(org.get(`/api/v1/customers/${c2.id}`))).territory).toBeNull();
    const real = await ok(org.post('/api/v1/territories/realign', { dry_run: false, reassign_owners: true }));
    expect(real.moved).toEqual(expected);
    expect(await ok(org.get(`/api/v1/customers/${c1.id}`))).toMatchObject({ territory: null, owner: a.id });
    expect(await ok(org.get(`/api/v1/customers/${c2.id}`))).toMatchObject({ territory: west.id, owner: b.id });
    expect(await ok(org.get(`/api/v1/customers/${c3.id}`))).toMatchObject({ territory: north.id });
    const again = await ok(org.post('/api/v1/territories/realign', { dry_run: true }));
    expect(again).toEqual({ dry_run: true, moved: [], unchanged: 3 });
  });
});

describe('quotas', () => {
  test('PUT upserts by owner or territory, period and currency; refuses another organization\u2019s owner', async () => {
    const org = await server.newOrg();
    const rep = await user(org);
    const first = await ok(
      org.put('/api/v1/quotas', { owner: rep.id, period: '2026-Q4', amount: '1000.00', currency: 'EUR' }),
    );
    expect(first).toMatchObject({
      owner: rep.id,
      territory: null,
      period: '2026-Q4',
      amount: '1000.00',
      won_amount: '0.00',
      attainment: '0.0000',
    });
    const second = await ok(
      org.put('/api/v1/quotas', { owner: rep.id, period: '2026-Q4', amount: 1500, currency: 'EUR' }),
    );
    expect(second.id).toBe(first.id);
    expect(second.amount).toBe('1500.00');
    expect(
      (await org.put('/api/v1/quotas', { owner: rep.id, period: '2026-Q4', amount: '0', currency: 'EUR' })).status,
    ).toBe(400);
    expect(
      (await org.put('/api/v1/quotas', { owner: rep.id, period: '2026-13', amount: '1', currency: 'EUR' })).status,
    ).toBe(400);
    const list = await ok(org.get(`/api/v1/quotas?owner=${rep.id}`));
    expect(list.data).toHaveLength(1);
    const stranger = await user(await server.newOrg());
    const refused = await org.put('/api/v1/quotas', {
      owner: stranger.id,
      period: '2026',
      amount: '1',
      currency: 'EUR',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.param).toBe('owner');
    const listRefused = await org.get(`/api/v1/quotas?owner=${stranger.id}`);
    expect(listRefused.status).toBe(422);
  });
});
