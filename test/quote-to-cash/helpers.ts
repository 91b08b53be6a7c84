import { expect } from 'vitest';
import type { OrgClient } from '../helpers/server';
import { billingSetup } from '../invoicing/fixtures';

export const v1 = (path: string) => `/api/v1${path}`;

/** A customer and VAT rates (19 %, 7 %), ready to subscribe. */
export async function subscriptionSetup(org: OrgClient) {
  return billingSetup(org);
}

/** Creates a subscription; `item` overrides the one 30.00 item. */
export async function subscribe(
  org: OrgClient,
  customer: string,
  taxRate: string,
  body: Record<string, unknown> = {},
  items?: Record<string, unknown>[],
) {
  const res = await org.post(v1('/subscriptions'), {
    customer,
    interval: 'month',
    start_date: '2026-01-01',
    billing_day: 1,
    items: items ?? [{ description: 'Plan', unit_price: '30.00', tax_rate: taxRate }],
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** POST /bill_runs (202), then waits until the run is completed. */
export async function billRun(org: OrgClient, body: Record<string, unknown>, timeoutMs = 120_000) {
  const started = await org.post(v1('/bill_runs'), body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return waitForRun(org, started.body.id, timeoutMs);
}

export async function waitForRun(org: OrgClient, id: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await org.get(v1(`/bill_runs/${id}`));
    if (run.body.status === 'completed' || run.body.status === 'completed_with_errors') return run.body;
    if (Date.now() > until) throw new Error(`bill run ${id} did not finish: ${JSON.stringify(run.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Invoices of a customer, oldest first. */
export async function invoicesOf(org: OrgClient, customer: string) {
  const all: any[] = [];
  let after: string | undefined;
  for (;;) {
    const res = await org.get(v1(`/invoices?customer=${customer}&limit=200${after ? `&starting_after=${after}` : ''}`));
    all.push(...res.body.data);
    if (!res.body.has_more) break;
    after = res.body.data.at(-1).id;
  }
  return all.reverse();
}

export const amounts = (invoice: { lines: { amount: string }[] }) => invoice.lines.map((l) => l.amount);
