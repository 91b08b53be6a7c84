import type { SubscriptionItem, SubscriptionTerms } from './terms';

/** Test fixtures: a monthly in-advance subscription of one 30.00 item, changed by `overrides`. */
export function monthly(overrides: Partial<SubscriptionTerms> = {}): SubscriptionTerms {
  return {
    startDate: '2026-01-01',
    endDate: null,
    interval: 'month',
    intervalCount: 1,
    billingDay: 1,
    timing: 'in_advance',
    proration: 'day',
    currency: 'EUR',
    items: [item('plan', '30.00')],
    ...overrides,
  };
}

export function item(id: string, unitPrice: string, quantity: string | null = '1'): SubscriptionItem {
  return { id, description: `Item ${id}`, quantity, unitPrice, usage: false, taxRateId: null, productId: null };
}

export function usageItem(id: string, unitPrice: string): SubscriptionItem {
  return { id, description: `Usage ${id}`, quantity: null, unitPrice, usage: true, taxRateId: null, productId: null };
}
