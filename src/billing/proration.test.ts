import { describe, expect, test } from 'vitest';
import { duePeriods } from './due-periods';
import { item, monthly, usageItem } from './fixtures';
import { prorateCancellation, prorateChange } from './proration';
import type { BillingLine, SubscriptionTerms } from './terms';

function billedLines(terms: SubscriptionTerms, through: string): BillingLine[] {
  return duePeriods(terms, null, through, []).flatMap((o) => o.lines);
}

function brief(lines: BillingLine[]) {
  return lines.map((l) => ({
    kind: l.kind,
    item: l.itemId,
    amount: l.amount.toFixed(2),
    period: `${l.period.start}..${l.period.end}`,
  }));
}

describe('changes', () => {
  const terms = monthly();
  const billed = billedLines(terms, '2026-03-01');
  const upgrade = { effectiveDate: '2026-03-11', items: [item('pro', '60.00')] };

  test('an upgrade on 2026-03-11 from 30.00 to 60.00 in a billed March credits 20.32 and debits 40.65', () => {
    const result = prorateChange(terms, '2026-03-31', billed, { ...upgrade, prorationBehavior: 'create_prorations' });
    expect(brief(result.lines)).toEqual([
      { kind: 'proration_credit', item: 'plan', amount: '-20.32', period: '2026-03-11..2026-03-31' },
      { kind: 'proration_debit', item: 'pro', amount: '40.65', period: '2026-03-11..2026-03-31' },
    ]);
    expect(result.placement).toBe('next_invoice');
    expect(result.billingDate).toBe('2026-04-01');
    expect(result.terms.items).toEqual(upgrade.items);
  });

  test('always_invoice bills the same lines at once; none bills nothing for the rest of the period', () => {
    const now = prorateChange(terms, '2026-03-31', billed, { ...upgrade, prorationBehavior: 'always_invoice' });
    expect(now.placement).toBe('new_invoice');
    expect(now.billingDate).toBe('2026-03-11');
    expect(brief(now.lines).map((l) => l.amount)).toEqual(['-20.32', '40.65']);
    const none = prorateChange(terms, '2026-03-31', billed, { ...upgrade, prorationBehavior: 'none' });
    expect(none).toMatchObject({ placement: 'none', billingDate: null, lines: [] });
    expect(duePeriods(none.terms, '2026-03-31', '2026-04-01', [])[0]?.lines[0]?.amount.toFixed(2)).toBe('60.00');
  });

  test('a second change in the same period credits only what is still billed', () => {
    const first = prorateChange(terms, '2026-03-31', billed, { ...upgrade, prorationBehavior: 'always_invoice' });
    const second = prorateChange(first.terms, '2026-03-31', [...billed, ...first.lines], {
      effectiveDate: '2026-03-20',
      items: [item('max', '90.00')],
      prorationBehavior: 'always_invoice',
    });
    expect(brief(second.lines)).toEqual([
      { kind: 'proration_credit', item: 'pro', amount: '-23.23', period: '2026-03-20..2026-03-31' },
      { kind: 'proration_debit', item: 'max', amount: '34.84', period: '2026-03-20..2026-03-31' },
    ]);
  });

  test('a change reaching into periods billed ahead prorates each period on its own', () => {
    const ahead = billedLines(terms, '2026-04-01');
    const result = prorateChange(terms, '2026-04-30', ahead, { ...upgrade, prorationBehavior: 'create_prorations' });
    expect(brief(result.lines)).toEqual([
      { kind: 'proration_credit', item: 'plan', amount: '-20.32', period: '2026-03-11..2026-03-31' },
      { kind: 'proration_credit', item: 'plan', amount: '-30.00', period: '2026-04-01..2026-04-30' },
      { kind: 'proration_debit', item: 'pro', amount: '40.65', period: '2026-03-11..2026-03-31' },
      { kind: 'proration_debit', item: 'pro', amount: '60.00', period: '2026-04-01..2026-04-30' },
    ]);
    expect(result.billingDate).toBe('2026-05-01');
  });

  test('in arrears the open period will bill the new items, so the days before the change are corrected', () => {
    const arrears = monthly({ timing: 'in_arrears' });
    const result = prorateChange(arrears, '2026-02-28', billedLines(arrears, '2026-03-01'), {
      ...upgrade,
      prorationBehavior: 'create_prorations',
    });
    expect(brief(result.lines)).toEqual([
      { kind: 'proration_debit', item: 'plan', amount: '9.68', period: '2026-03-01..2026-03-10' },
      { kind: 'proration_credit', item: 'pro', amount: '-19.35', period: '2026-03-01..2026-03-10' },
    ]);
    expect(result.billingDate).toBe('2026-04-01');
    const april = duePeriods(result.terms, '2026-02-28', '2026-04-01', [])[0]!;
    expect(april.lines[0]?.amount.toFixed(2)).toBe('60.00');
  });

  test('a change after the end is refused', () => {
    expect(() =>
      prorateChange(monthly({ endDate: '2026-03-31' }), '2026-03-31', billed, {
        effectiveDate: '2026-04-02',
        items: [],
        prorationBehavior: 'none',
      }),
    ).toThrow(/ended/);
  });
});

describe('cancellations', () => {
  test('a yearly 1,200.00 started 2026-01-01, cancelled from 2026-07-01, credits 184 of 365 days: 604.93', () => {
    const yearly = monthly({ interval: 'year', items: [item('plan', '1200.00')] });
    const billed = billedLines(yearly, '2026-01-01');
    const result = prorateCancellation(
      yearly,
      '2026-12-31',
      billed,
      { effectiveDate: '2026-07-01', prorate: true },
      [],
    );
    expect(brief(result.credits)).toEqual([
      { kind: 'proration_credit', item: 'plan', amount: '-604.93', period: '2026-07-01..2026-12-31' },
    ]);
    expect(result.terms.endDate).toBe('2026-06-30');
    expect(result.occurrences).toEqual([]);
    const kept = prorateCancellation(yearly, '2026-12-31', billed, { effectiveDate: '2026-07-01', prorate: false }, []);
    expect(kept.credits).toEqual([]);
  });

  test('in arrears the last partial period is billed at cancellation, by days only with prorate', () => {
    const arrears = monthly({ timing: 'in_arrears' });
    const billed = billedLines(arrears, '2026-03-01');
    const cancel = { effectiveDate: '2026-03-11', prorate: true };
    const prorated = prorateCancellation(arrears, '2026-02-28', billed, cancel, []);
    expect(prorated.credits).toEqual([]);
    expect(prorated.occurrences.map((o) => [o.billingDate, o.lines[0]?.amount.toFixed(2), o.billedThrough])).toEqual([
      ['2026-03-11', '9.68', '2026-03-10'],
    ]);
    const full = prorateCancellation(arrears, '2026-02-28', billed, { ...cancel, prorate: false }, []);
    expect(full.occurrences[0]?.lines[0]?.amount.toFixed(2)).toBe('30.00');
    expect(duePeriods(prorated.terms, '2026-03-10', '2026-12-31', [])).toEqual([]);
  });

  test('in advance the last period’s usage is billed at cancellation', () => {
    const terms = monthly({ items: [item('plan', '30.00'), usageItem('api', '0.10')] });
    const usage = [
      { itemId: 'api', quantity: '50', date: '2026-03-05' },
      { itemId: 'api', quantity: '50', date: '2026-03-25' },
    ];
    const billed = duePeriods(terms, null, '2026-03-01', usage).flatMap((o) => o.lines);
    const result = prorateCancellation(
      terms,
      '2026-03-31',
      billed,
      { effectiveDate: '2026-03-11', prorate: true },
      usage,
    );
    expect(brief(result.credits).map((l) => l.amount)).toEqual(['-20.32']);
    expect(result.occurrences.map((o) => [o.billingDate, brief(o.lines)])).toEqual([
      ['2026-03-11', [{ kind: 'usage', item: 'api', amount: '5.00', period: '2026-03-01..2026-03-10' }]],
    ]);
  });

  test('a cancellation in a period not billed yet needs no credit: the cut period is billed by days', () => {
    const terms = monthly();
    const result = prorateCancellation(
      terms,
      '2026-02-28',
      billedLines(terms, '2026-02-01'),
      {
        effectiveDate: '2026-03-11',
        prorate: true,
      },
      [],
    );
    expect(result.credits).toEqual([]);
    expect(result.occurrences.map((o) => [o.billingDate, o.lines[0]?.amount.toFixed(2)])).toEqual([
      ['2026-03-01', '9.68'],
    ]);
  });

  test('a cancellation from the start credits everything billed', () => {
    const terms = monthly({ startDate: '2026-01-15' });
    const result = prorateCancellation(
      terms,
      '2026-01-31',
      billedLines(terms, '2026-01-15'),
      {
        effectiveDate: '2026-01-15',
        prorate: true,
      },
      [],
    );
    expect(brief(result.credits).map((l) => l.amount)).toEqual(['-16.45']);
    expect(result.terms.endDate).toBe('2026-01-14');
    expect(result.occurrences).toEqual([]);
  });
});
