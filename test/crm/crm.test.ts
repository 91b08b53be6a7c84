import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ShiftedClock } from '../../src/platform/clock';
import { expectError, signedInUser } from '../foundation/helpers';
import { apiRequest, type OrgClient, startIsolatedServer, startTestServer, type TestServer } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';

// Issue 10 (CRM): pipeline stages, opportunities with their stage history, the pipeline report, leads with
// duplicates, scoring, the web form and conversion; over HTTP on both databases.

const v1 = (path: string) => `/api/v1${path}`;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function stages(org: OrgClient) {
  const data: { id: string; name: string; kind: string }[] = (await org.get(v1('/pipeline_stages'))).body.data;
  const by = (name: string) => data.find((s) => s.name === name)!.id;
  return { data, by };
}

describe('pipeline stages', () => {
  test('every organization starts with the six defaults; the won and lost guards hold', async () => {
    const org = await server.newOrg();
    const { data, by } = await stages(org);
    expect(data.map((s: any) => [s.name, s.probability, s.forecast_category, s.kind])).toEqual([
      ['Prospecting', 10, 'pipeline', 'open'],
      ['Qualification', 25, 'pipeline', 'open'],
      ['Proposal', 50, 'best_case', 'open'],
      ['Negotiation', 75, 'commit', 'open'],
      ['Closed Won', 100, 'closed', 'won'],
      ['Closed Lost', 0, 'omitted', 'lost'],
    ]);
    expectError(
      await org.patch(v1(`/pipeline_stages/${by('Closed Won')}`), { active: false }),
      409,
      'conflict',
      'won_stage_required',
    );
    expectError(
      await org.post(v1('/pipeline_stages'), {
        name: 'Won 2',
        probability: 90,
        forecast_category: 'closed',
        kind: 'won',
      }),
      409,
      'conflict',
      'won_stage_required',
    );
    // A new won-kind stage is forced to 100 / closed; an added open stage lands at the end.
    const demo = await org.post(v1('/pipeline_stages'), {
      name: 'Demo',
      probability: 40,
      forecast_category: 'best_case',
      kind: 'open',
    });
    expect(demo.status).toBe(201);
    const { customer } = await billingSetup(org);
    await org.post(v1('/opportunities'), {
      name: 'Deal',
      customer: customer.id,
      amount: '100.00',
      stage: demo.body.id,
    });
    expectError(
      await org.patch(v1(`/pipeline_stages/${demo.body.id}`), { active: false }),
      409,
      'conflict',
      'stage_in_use',
    );
    const viewer = await org.keyWithRole('finance');
    expect(
      (
        await viewer.post(v1('/pipeline_stages'), {
          name: 'X',
          probability: 1,
          forecast_category: 'pipeline',
          kind: 'open',
        })
      ).status,
    ).toBe(403);
  });
});

describe('opportunities', () => {
  test('amount and MRR from lines (monthly, yearly, discount), expected revenue, and no amount beside lines', async () => {
    const org = await server.newOrg();
    const { customer } = await billingSetup(org);
    const res = await org.post(v1('/opportunities'), {
      name: 'Platform deal',
      customer: customer.id,
      close_date: '2026-12-15',
      lines: [
        { description: 'Setup', quantity: '1', unit_price: '1000.00' },
        {
          description: 'Seats',
          quantity: '10',
          unit_price: '30.00',
          discount_percent: '10',
          recurring: { interval: 'month' },
        },
        {
          description: 'Support',
          quantity: '1',
          unit_price: '1200.00',
          recurring: { interval: 'year', interval_count: 1 },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Seats: base 300.00 − 30.00 = 270.00 a month → 3,240.00 a year; support 1,200.00; setup 1,000.00.
    expect(res.body).toMatchObject({
      amount: '5440.00',
      mrr: '370.00',
      currency: 'EUR',
      status: 'open',
      probability: 10,
      forecast_category: 'pipeline',
      expected_revenue: '544.00',
    });
    expect(res.body.lines.map((l: any) => l.amount)).toEqual(['1000.00', '3240.00', '1200.00']);
    expect(res.body.stage_history).toHaveLength(1);
    expectError(
      await org.patch(v1(`/opportunities/${res.body.id}`), { amount: '1.00' }),
      409,
      'conflict',
      'amount_from_lines',
      'amount',
    );
    expectError(
      await org.post(v1('/opportunities'), { name: 'No amount', customer: customer.id }),
      400,
      'invalid_request',
      'amount_required',
      'amount',
    );
    const before = (await org.get(v1('/opportunities?limit=200'))).body.data.length;
    expectError(
      await org.post(v1('/opportunities'), { name: 'X', customer: 'cus_nope', amount: '1' }),
      422,
      'invalid_request',
      'customer_not_found',
      'customer',
    );
    expect((await org.get(v1('/opportunities?limit=200'))).body.data).toHaveLength(before);
  });

  test('stage changes: one history entry per change, lost needs a reason, won closes, reopen clears', async () => {
    const org = await server.newOrg();
    const { by } = await stages(org);
    const { customer } = await billingSetup(org);
    const opp = (
      await org.post(v1('/opportunities'), {
        name: 'Deal',
        customer: customer.id,
        amount: '1000.00',
        close_date: '2026-12-01',
      })
    ).body;
    const proposal = await org.patch(v1(`/opportunities/${opp.id}`), { stage: by('Proposal'), probability: 60 });
    expect(proposal.body).toMatchObject({
      probability: 60,
      forecast_category: 'best_case',
      expected_revenue: '600.00',
    });
    expect(proposal.body.stage_history).toHaveLength(2);
    expect(proposal.body.stage_history[0].to).toBe(proposal.body.stage_history[1].from);
    // A change of another field appends nothing.
    expect((await org.patch(v1(`/opportunities/${opp.id}`), { next_step: 'Call' })).body.stage_history).toHaveLength(2);
    expectError(
      await org.patch(v1(`/opportunities/${opp.id}`), { stage: by('Closed Lost') }),
      400,
      'invalid_request',
      'lost_reason_required',
      'lost_reason',
    );
    expectError(
      await org.patch(v1(`/opportunities/${opp.id}`), { stage: by('Closed Won'), closed_on: '2026-12-30' }),
      400,
      'invalid_request',
      'closed_on_in_future',
      'closed_on',
    );
    const won = await org.patch(v1(`/opportunities/${opp.id}`), { stage: by('Closed Won') });
    expect(won.body).toMatchObject({
      status: 'won',
      probability: 100,
      closed_on: '2026-11-16',
      forecast_category: 'closed',
    });
    expectError(
      await org.patch(v1(`/opportunities/${opp.id}`), { probability: 50 }),
      409,
      'conflict',
      'opportunity_closed',
      'probability',
    );
    expectError(await org.delete(v1(`/opportunities/${opp.id}`)), 409, 'conflict', 'opportunity_closed');
    const reopened = await org.patch(v1(`/opportunities/${opp.id}`), { stage: by('Negotiation') });
    expect(reopened.body).toMatchObject({
      status: 'open',
      closed_on: null,
      probability: 75,
      forecast_category: 'commit',
    });
    const types = (await org.get(v1(`/events?object=${opp.id}`))).body.data.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'opportunity.created',
        'opportunity.stage_changed',
        'opportunity.won',
        'opportunity.reopened',
      ]),
    );
  });

  test('a quote made from the lines wins the opportunity once when accepted', async () => {
    const org = await server.newOrg();
    const { customer, vat19 } = await billingSetup(org);
    const product = (
      await org.post(v1('/products'), { name: 'Seat', unit_price: '30.00', currency: 'EUR', tax_rate: vat19.id })
    ).body;
    const bare = (await org.post(v1('/products'), { name: 'Bare', unit_price: '5.00', currency: 'EUR' })).body;
    const opp = (
      await org.post(v1('/opportunities'), {
        name: 'Seats',
        customer: customer.id,
        lines: [{ product: product.id, quantity: '5', recurring: { interval: 'month' } }],
      })
    ).body;
    expect(opp).toMatchObject({ amount: '1800.00', mrr: '150.00' });
    const empty = (await org.post(v1('/opportunities'), { name: 'Empty', customer: customer.id, amount: '5.00' })).body;
    expectError(await org.post(v1(`/opportunities/${empty.id}/quote`)), 409, 'conflict', 'opportunity_has_no_lines');
    const noTax = (
      await org.post(v1('/opportunities'), {
        name: 'No tax',
        customer: customer.id,
        lines: [{ product: bare.id, quantity: '1' }],
      })
    ).body;
    expectError(
      await org.post(v1(`/opportunities/${noTax.id}/quote`)),
      409,
      'conflict',
      'tax_rate_missing',
      'lines[0]',
    );

    const quote = await org.post(v1(`/opportunities/${opp.id}/quote`));
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    expect(quote.body.opportunity).toBe(opp.id);
    expect((await org.get(v1(`/opportunities/${opp.id}`))).body.quote).toBe(quote.body.id);
    // The customer is offered 8 seats instead: the quote's lines become the opportunity's.
    await org.patch(v1(`/quotes/${quote.body.id}`), {
      lines: [
        {
          product: product.id,
          quantity: '8',
          unit_price: '30.00',
          tax_rate: vat19.id,
          recurring: { interval: 'month', interval_count: 1 },
        },
      ],
    });
    await org.post(v1(`/quotes/${quote.body.id}/send`), { to: ['ap@globex.test'] });
    expect((await org.post(v1(`/quotes/${quote.body.id}/accept`))).status).toBe(200);
    const won = (await org.get(v1(`/opportunities/${opp.id}`))).body;
    expect(won).toMatchObject({ status: 'won', amount: '2880.00', mrr: '240.00', closed_on: '2026-11-16' });
    const wins = (await org.get(v1(`/events?object=${opp.id}&type=opportunity.won`))).body.data;
    expect(wins).toHaveLength(1);
  });

  test('a sales rep changes only their own deals; another organization sees a 404', async () => {
    const org = await server.newOrg();
    const { customer } = await billingSetup(org);
    const rep = await signedInUser(org, 'sales');
    const other = await signedInUser(org, 'sales');
    const mine = await rep.post(v1('/opportunities'), { name: 'Mine', customer: customer.id, amount: '10.00' });
    expect(mine.status).toBe(201);
    expect(mine.body.owner).toBe(rep.user.id);
    expectError(
      await other.patch(v1(`/opportunities/${mine.body.id}`), { name: 'Taken' }),
      403,
      'permission',
      'forbidden',
    );
    expect((await other.get(v1(`/opportunities/${mine.body.id}`))).status).toBe(200);
    expectError(
      await rep.post(v1('/opportunities'), {
        name: 'For him',
        customer: customer.id,
        amount: '1',
        owner: other.user.id,
      }),
      403,
      'permission',
      'forbidden',
    );
    const salesKey = await org.keyWithRole('sales');
    expect((await salesKey.patch(v1(`/opportunities/${mine.body.id}`), { name: 'Key' })).status).toBe(403);
    const stranger = await server.newOrg();
    expect((await stranger.get(v1(`/opportunities/${mine.body.id}`))).status).toBe(404);
    expect((await stranger.patch(v1(`/opportunities/${mine.body.id}`), { name: 'x' })).status).toBe(404);
  });
});

describe('the pipeline report', () => {
  test('as of a past day it shows the pipeline as it stood, ignoring later changes', async () => {
    const clock = new ShiftedClock(new Date('2026-10-01T09:00:00Z'));
    const own = await startIsolatedServer({}, { clock });
    try {
      const org = await own.newOrg();
      const { by } = await stages(org);
      const { customer } = await billingSetup(org);
      const a = (await org.post(v1('/opportunities'), { name: 'A', customer: customer.id, amount: '1000.00' })).body;
      const b = (
        await org.post(v1('/opportunities'), {
          name: 'B',
          customer: customer.id,
          amount: '333.33',
          stage: by('Negotiation'),
        })
      ).body;
      const usd = await org.post(v1('/customers'), { name: 'Acme Inc', currency: 'USD' });
      await org.post(v1('/opportunities'), {
        name: 'C',
        customer: usd.body.id,
        amount: '50.00',
        stage: by('Proposal'),
      });
      clock.set(new Date('2026-10-10T09:00:00Z'));
      await org.patch(v1(`/opportunities/${a.id}`), { stage: by('Proposal'), amount: '2000.00' });
      await org.patch(v1(`/opportunities/${b.id}`), { stage: by('Closed Won') });

      const then = (await org.get(v1('/reports/pipeline?as_of=2026-10-05'))).body;
      const eur = then.currencies.find((c: any) => c.currency === 'EUR');
      const line = (name: string) => eur.stages.find((s: any) => s.name === name);
      expect(eur.stages.map((s: any) => s.name)).toEqual(['Prospecting', 'Qualification', 'Proposal', 'Negotiation']);
      expect(line('Prospecting')).toMatchObject({ count: 1, amount: '1000.00', weighted_amount: '100.00' });
      expect(line('Negotiation')).toMatchObject({ count: 1, amount: '333.33', weighted_amount: '250.00' });
      expect(eur).toMatchObject({ total_amount: '1333.33', total_weighted: '350.00' });
      expect(then.currencies.map((c: any) => c.currency)).toEqual(['EUR', 'USD']);

      const now = (await org.get(v1('/reports/pipeline?as_of=2026-10-10'))).body;
      const eurNow = now.currencies.find((c: any) => c.currency === 'EUR');
      expect(eurNow.stages.find((s: any) => s.name === 'Proposal')).toMatchObject({
        count: 1,
        amount: '2000.00',
        weighted_amount: '1000.00',
      });
      expect(eurNow.stages.find((s: any) => s.name === 'Negotiation')).toMatchObject({ count: 0, amount: '0.00' });
      // Before anything existed there is no currency block.
      expect((await org.get(v1('/reports/pipeline?as_of=2026-09-30'))).body.currencies).toEqual([]);
      const stranger = await own.newOrg();
      const strangerUser = (await stranger.get(v1('/users'))).body.data[0].id;
      expectError(
        await org.get(v1(`/reports/pipeline?owner=${strangerUser}`)),
        422,
        'invalid_request',
        'owner_not_found',
        'owner',
      );
      expectError(
        await org.get(v1('/reports/pipeline?territory=ter_nope')),
        422,
        'invalid_request',
        'territory_not_found',
        'territory',
      );
    } finally {
      await own.stop();
    }
  });
});

describe('leads', () => {
  test('duplicates by email and by company, scoring with reasons, and a score recomputed when rules change', async () => {
    const org = await server.newOrg();
    const { customer } = await billingSetup(org);
    const rules = await org.put(v1('/settings/lead_scoring'), {
      rules: [
        { field: 'country', operator: 'in', value: ['DE', 'AT'], points: 30 },
        { field: 'employees', operator: 'gte', value: 50, points: 40 },
        { field: 'email', operator: 'contains', value: 'gmail', points: -20 },
        { id: 'has-phone', field: 'phone', operator: 'present', points: 10 },
      ],
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    expect(rules.body.rules[3].id).toBe('has-phone');
    expect(rules.body.rules[0].id).toMatch(/^rule_/);
    const lead = await org.post(v1('/leads'), {
      name: 'Jane Roe',
      company: 'Globex GmbH',
      email: 'AP@globex.test',
      country: 'DE',
      employees: 80,
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    expect(lead.body).toMatchObject({ score: 70, source: 'manual', status: 'new' });
    expect(lead.body.score_reasons).toEqual([
      { rule: rules.body.rules[0].id, points: 30 },
      { rule: rules.body.rules[1].id, points: 40 },
    ]);
    // The customer of billingSetup has ap@globex.test: a duplicate, reported not refused.
    expect(lead.body.possible_duplicates).toEqual([{ type: 'customer', id: customer.id }]);
    const again = await org.post(v1('/leads'), { company: 'globex  gmbh', country: 'FR' });
    expect(again.body.possible_duplicates).toEqual([
      { type: 'lead', id: lead.body.id },
      { type: 'customer', id: customer.id },
    ]);
    expect(again.body.score).toBe(0);
    await org.put(v1('/settings/lead_scoring'), {
      rules: [{ field: 'country', operator: 'equals', value: 'fr', points: 15 }],
    });
    expect((await org.get(v1(`/leads/${again.body.id}`))).body.score).toBe(15);
    expect((await org.get(v1('/leads?min_score=10&search=globex'))).body.data.map((l: any) => l.id)).toEqual([
      again.body.id,
    ]);
    expectError(
      await org.post(v1('/leads'), { email: 'x@y.test' }),
      400,
      'invalid_request',
      'parameter_invalid',
      'name',
    );
  });

  test('convert to a new customer, contact and opportunity; twice is 409; a disqualified lead is 409', async () => {
    const org = await server.newOrg();
    const { by } = await stages(org);
    const lead = (
      await org.post(v1('/leads'), {
        name: 'Max Muster',
        company: 'Initech AG',
        email: 'max@initech.test',
        phone: '+49 30 1',
        title: 'CFO',
        country: 'DE',
        estimated_value: '5000.00',
        currency: 'EUR',
      })
    ).body;
    const converted = await org.post(v1(`/leads/${lead.id}/convert`), {
      opportunity: { name: 'Initech rollout', close_date: '2026-12-31' },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.status).toBe('converted');
    const { customer, contact, opportunity } = converted.body.converted;
    expect((await org.get(v1(`/customers/${customer}`))).body).toMatchObject({
      name: 'Initech AG',
      email: 'max@initech.test',
      currency: 'EUR',
      billing_address: { country: 'DE' },
    });
    expect((await org.get(v1(`/customers/${customer}/contacts`))).body.data[0]).toMatchObject({
      id: contact,
      name: 'Max Muster',
      role: 'CFO',
      receives_invoices: true,
    });
    expect((await org.get(v1(`/opportunities/${opportunity}`))).body).toMatchObject({
      amount: '5000.00',
      stage: by('Prospecting'),
      contact,
    });
    // What the conversion made is not a duplicate of the lead.
    expect(converted.body.possible_duplicates).toEqual([]);
    expectError(await org.post(v1(`/leads/${lead.id}/convert`), {}), 409, 'conflict', 'lead_already_converted');
    expectError(await org.delete(v1(`/leads/${lead.id}`)), 409, 'conflict', 'lead_already_converted');

    const bad = (await org.post(v1('/leads'), { name: 'Spam' })).body;
    expect((await org.post(v1(`/leads/${bad.id}/disqualify`), { reason: 'Spam' })).body.status).toBe('disqualified');
    expectError(await org.post(v1(`/leads/${bad.id}/convert`), {}), 409, 'conflict', 'lead_disqualified');
  });

  test('converting into an existing customer fills only its empty fields and keeps its currency', async () => {
    const org = await server.newOrg();
    const existing = (await org.post(v1('/customers'), { name: 'Hooli', currency: 'USD', email: 'ar@hooli.test' }))
      .body;
    const lead = (
      await org.post(v1('/leads'), {
        name: 'Gavin',
        email: 'gavin@hooli.test',
        phone: '+1 555',
        country: 'US',
        estimated_value: '900.00',
        currency: 'EUR',
      })
    ).body;
    const res = await org.post(v1(`/leads/${lead.id}/convert`), {
      customer: existing.id,
      opportunity: { name: 'Upsell', close_date: '2026-12-31' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await org.get(v1(`/customers/${existing.id}`))).body).toMatchObject({
      email: 'ar@hooli.test',
      phone: '+1 555',
      currency: 'USD',
      billing_address: { country: 'US' },
    });
    // The estimated value is in EUR, the customer's currency is USD: the opportunity starts at 0.
    expect((await org.get(v1(`/opportunities/${res.body.converted.opportunity}`))).body).toMatchObject({
      amount: '0.00',
      currency: 'USD',
    });
  });

  test('concurrent converts of one lead make one customer', async () => {
    const org = await server.newOrg();
    const lead = (await org.post(v1('/leads'), { company: 'Race Ltd', email: 'race@race.test' })).body;
    const results = await Promise.all(Array.from({ length: 4 }, () => org.post(v1(`/leads/${lead.id}/convert`), {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const customers = (await org.get(v1('/customers?search=Race&limit=50'))).body.data;
    expect(customers).toHaveLength(1);
  });

  test('the public web form: JSON and form posts, honeypot, redirect, rate limit, and a rotated key', async () => {
    const org = await server.newOrg();
    const settings = (await org.get(v1('/settings'))).body;
    const key: string = settings.lead_form_key;
    expect(key).toMatch(/^[\w-]{20,}$/);
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      apiRequest(server.url, 'POST', v1(`/public/leads/${key}`), body, { 'x-test': key, ...headers });
    const json = await post({
      name: 'Web Person',
      email: 'web@example.test',
      company: 'Web Co',
      favourite_colour: 'blue',
    });
    expect([json.status, json.body]).toEqual([202, { received: true }]);
    const honeypot = await post({ name: 'Bot', website_url: 'http://spam.test' });
    expect(honeypot.status).toBe(202);
    const leads = (await org.get(v1('/leads?source=web_form'))).body.data;
    expect(leads.map((l: any) => l.name)).toEqual(['Web Person']);
    // Read-only in PATCH /settings: accepted unchanged, refused changed.
    expect(
      (await org.patch(v1('/settings'), { lead_form_key: key, lead_form_redirect_url: 'https://example.test/thanks' }))
        .status,
    ).toBe(200);
    expectError(
      await org.patch(v1('/settings'), { lead_form_key: 'mine' }),
      400,
      'invalid_request',
      'read_only_field',
      'lead_form_key',
    );
    const form = await fetch(`${server.url}${v1(`/public/leads/${key}`)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Form+Person&company=Form+Co&website_url=',
    });
    expect([form.status, form.headers.get('location')]).toEqual([303, 'https://example.test/thanks']);
    const names = (await org.get(v1('/leads?source=web_form'))).body.data.map((l: any) => l.name);
    expect(names).toEqual(['Form Person', 'Web Person']);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post({ name: `Flood ${i}` })).status);
    expect(statuses).toContain(429);
    const rotated = (await org.post(v1('/settings/lead_form_key/rotate'))).body.lead_form_key;
    expect(rotated).not.toBe(key);
    const fresh = await apiRequest(server.url, 'POST', v1(`/public/leads/${rotated}`), { name: 'New key' });
    expect(fresh.status).toBe(202);
    expect((await apiRequest(server.url, 'POST', v1('/public/leads/not-a-key'), { name: 'Nobody' })).status).toBe(404);
  });
});
