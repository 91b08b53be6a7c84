import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { customer, ok, territory, user } from './fixtures';

// Leads, a customer and opportunities in Germany, under Europe (today 2026-11-16).
let server: TestServer;
let org: OrgClient;
let a: { id: string };
let b: { id: string };
let eu: { id: string };
let de: { id: string };
let leads: { id: string; owner: string; territory: string }[];
beforeAll(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  [a, b] = [await user(org), await user(org)];
  eu = await territory(org, { name: 'Europe' });
  de = await territory(org, {
    name: 'Germany',
    parent: eu.id,
    rules: [{ field: 'country', value: 'DE' }],
    members: [a.id, b.id],
  });
  leads = [
    await ok(org.post('/api/v1/leads', { name: 'Lea', company: 'Lea KG', country: 'DE' }), 201),
    await ok(org.post('/api/v1/leads', { name: 'Max', company: 'Max AG', country: 'DE' }), 201),
  ];
  const x = await customer(org, { name: 'X GmbH', billing_address: { country: 'DE' } });
  const stages = (await ok(org.get('/api/v1/pipeline_stages'))).data as { id: string; name: string }[];
  const stage = (name: string) => stages.find((s) => s.name === name)!.id;
  const opportunity = (name: string, amount: string, close_date: string) =>
    ok(org.post('/api/v1/opportunities', { name, customer: x.id, amount, close_date }), 201);
  await opportunity('Pipeline deal', '1000.00', '2026-12-10');
  const commit = await opportunity('Commit deal', '2000.00', '2026-12-20');
  await ok(org.patch(`/api/v1/opportunities/${commit.id}`, { stage: stage('Negotiation') }));
  const won = await opportunity('Won deal', '500.00', '2026-11-30');
  await ok(org.patch(`/api/v1/opportunities/${won.id}`, { stage: stage('Closed Won') }));
  const lost = await opportunity('Lost deal', '300.00', '2026-11-30');
  await ok(org.patch(`/api/v1/opportunities/${lost.id}`, { stage: stage('Closed Lost'), lost_reason: 'Price' }));
});
afterAll(() => server?.stop());

describe('assignment of leads and opportunities', () => {
  test('leads by the rules and the round robin; the opportunity takes its customer\u2019s territory', async () => {
    expect(leads.map((l) => [l.territory, l.owner])).toEqual([
      [de.id, a.id],
      [de.id, b.id],
    ]);
    const opps = (await ok(org.get('/api/v1/opportunities'))).data as { territory: string; owner: string }[];
    expect(new Set(opps.map((o) => `${o.territory}/${o.owner}`))).toEqual(new Set([`${de.id}/${a.id}`]));
  });
});

describe('reports over a territory and its descendants', () => {
  test('forecast: closed won, commit, best case, pipeline, weighted', async () => {
    const r = await ok(org.get(`/api/v1/reports/forecast?from=2026-11&months=2&territory=${eu.id}`));
    const f = ['closed_won', 'commit', 'best_case', 'pipeline', 'weighted_pipeline'];
    expect(r.currencies[0].months.map((m: Record<string, string>) => [m.month, ...f.map((k) => m[k])])).toEqual([
      ['2026-11', '500.00', '0.00', '0.00', '0.00', '0.00'],
      ['2026-12', '0.00', '2000.00', '0.00', '1000.00', '1600.00'],
    ]);
  });

  test('quota attainment from won opportunities, by owner and by territory with descendants', async () => {
    const byOwner = await ok(
      org.put('/api/v1/quotas', { owner: a.id, period: '2026-Q4', amount: '1000.00', currency: 'EUR' }),
    );
    expect([byOwner.won_amount, byOwner.attainment]).toEqual(['500.00', '0.5000']);
    const byTerritory = await ok(
      org.put('/api/v1/quotas', { territory: eu.id, period: '2026-11', amount: '400.00', currency: 'EUR' }),
    );
    expect([byTerritory.won_amount, byTerritory.attainment]).toEqual(['500.00', '1.2500']);
    const none = await ok(org.put('/api/v1/quotas', { owner: b.id, period: '2026', amount: '10.00', currency: 'EUR' }));
    expect([none.won_amount, none.attainment]).toEqual(['0.00', '0.0000']);
  });

  test('pipeline report: the parent territory includes its children\u2019s opportunities', async () => {
    const r = await ok(org.get(`/api/v1/reports/pipeline?territory=${eu.id}`));
    expect([r.currencies[0].total_amount, r.currencies[0].total_weighted]).toEqual(['3000.00', '1600.00']);
    const csv = await org.get(`/api/v1/reports/pipeline?territory=${eu.id}&format=csv`);
    expect(String(csv.body)).toContain('Negotiation');
  });

  test('sales: lead conversion, win rates, deal size, cycle, stage conversion', async () => {
    const r = await ok(org.get(`/api/v1/reports/sales?from=2026-11-01&to=2026-11-16&territory=${de.id}`));
    expect(r.currencies).toHaveLength(1);
    const c = r.currencies[0];
    expect(c).toMatchObject({
      currency: 'EUR',
      leads_created: 2,
      leads_converted: 0,
      lead_conversion_rate: '0.0000',
      opportunities_created: 4,
      won_count: 1,
      lost_count: 1,
      won_amount: '500.00',
      lost_amount: '300.00',
      win_rate: '0.5000',
      win_rate_by_amount: '0.6250',
      average_deal_size: '500.00',
      average_cycle_days: '0.0',
    });
    // Prospecting: 4 entered, 2 moved on (Negotiation, won); Qualification and Proposal: none entered.
    expect(c.stage_conversion.map((s: Record<string, unknown>) => [s.entered, s.advanced, s.rate])).toEqual([
      [4, 2, '0.5000'],
      [0, 0, null],
      [0, 0, null],
    ]);
  });

  test('another organization\u2019s owner or territory: 422 naming the parameter', async () => {
    const other = await server.newOrg();
    for (const path of ['/reports/sales', '/reports/pipeline', '/reports/forecast'])
      for (const [param, id] of [
        ['owner', a.id],
        ['territory', de.id],
      ]) {
        const res = await other.get(`/api/v1${path}?${param}=${id}`);
        expect([path, res.status, res.body.error?.param]).toEqual([path, 422, param]);
      }
  });
});

describe('realignment of leads and opportunities', () => {
  test('the dry run counts leads, open opportunities and their pipeline; the real run moves exactly that', async () => {
    const other = await server.newOrg();
    expect((await other.post('/api/v1/territories/realign', { dry_run: true })).body).toEqual({
      dry_run: true,
      moved: [],
      unchanged: 0,
    });
    await ok(org.patch(`/api/v1/territories/${de.id}`, { rules: [{ field: 'country', value: 'AT' }] }));
    const expected = [
      {
        territory_from: de.id,
        territory_to: null,
        customers: 1,
        leads: 2,
        opportunities: 2,
        open_pipeline: [{ currency: 'EUR', amount: '3000.00' }],
      },
    ];
    const dry = await ok(org.post('/api/v1/territories/realign', { dry_run: true, reassign_owners: false }));
    expect(dry).toEqual({ dry_run: true, moved: expected, unchanged: 0 });
    expect((await ok(org.get(`/api/v1/leads/${leads[0]!.id}`))).territory).toBe(de.id);
    const real = await ok(org.post('/api/v1/territories/realign', { dry_run: false }));
    expect(real.moved).toEqual(expected);
    expect((await ok(org.get(`/api/v1/leads/${leads[0]!.id}`))).territory).toBeNull();
    const open = (await ok(org.get('/api/v1/opportunities?status=open'))).data as { territory: string | null }[];
    expect(open.map((o) => o.territory)).toEqual([null, null]);
  });
});
