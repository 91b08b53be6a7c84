import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sum } from '../money/money';
import { addDays, fromDay, toDay } from './dates';
import { duePeriods } from './due-periods';
import { periodsOf } from './periods';
import { prorateCancellation, prorateChange } from './proration';
import type { SubscriptionItem, SubscriptionTerms } from './terms';

const FIRST = toDay('2020-01-01');
const date = (from = FIRST, to = toDay('2030-12-31')) => fc.integer({ min: from, max: to }).map(fromDay);
const price = fc.integer({ min: 0, max: 500_000 }).map((cents) => (cents / 100).toFixed(2));

const fixedItem = (id: string): fc.Arbitrary<SubscriptionItem> =>
  fc.record({ unitPrice: price, quantity: fc.integer({ min: 1, max: 7 }) }).map(({ unitPrice, quantity }) => ({
    id,
    description: `Item ${id}`,
    quantity: String(quantity),
    unitPrice,
    usage: false,
    taxRateId: null,
    productId: null,
  }));

const usageItem: SubscriptionItem = {
  id: 'u',
  description: 'Usage',
  quantity: null,
  unitPrice: '0.25',
  usage: true,
  taxRateId: null,
  productId: null,
};

const terms = (withUsage: boolean): fc.Arbitrary<SubscriptionTerms> =>
  fc
    .record({
      startDate: date(),
      length: fc.option(fc.integer({ min: -1, max: 1500 }), { nil: null }),
      interval: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
      intervalCount: fc.integer({ min: 1, max: 3 }),
      billingDay: fc.integer({ min: 1, max: 31 }),
      timing: fc.constantFrom('in_advance' as const, 'in_arrears' as const),
      proration: fc.constantFrom('day' as const, 'none' as const),
      currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
      items: fc.tuple(fixedItem('a'), fc.option(fixedItem('b'), { nil: null })),
      usage: withUsage ? fc.boolean() : fc.constant(false),
    })
    .map(({ length, items, usage, ...rest }) => ({
      ...rest,
      endDate: length === null ? null : addDays(rest.startDate, length),
      items: [...items.filter((i): i is SubscriptionItem => i !== null), ...(usage ? [usageItem] : [])],
    }));

const usageRecords = fc.array(
  fc.record({ itemId: fc.constant('u'), quantity: fc.integer({ min: 0, max: 1000 }).map(String), date: date() }),
  { maxLength: 20 },
);

describe('properties', () => {
  test('consecutive periods never overlap or leave a gap, and stay inside their full period', () => {
    fc.assert(
      fc.property(terms(false), fc.integer({ min: -60, max: 60 }), (t, shift) => {
        const from = addDays(t.startDate, shift);
        const periods = periodsOf(t, from, addDays(from, 1200));
        for (const [i, p] of periods.entries()) {
          expect(p.start <= p.end).toBe(true);
          expect(p.full.start <= p.start && p.end <= p.full.end).toBe(true);
          const next = periods[i + 1];
          if (next) {
            expect(next.start).toBe(addDays(p.end, 1));
            expect(next.full.start).toBe(addDays(p.full.end, 1));
          }
        }
        if (shift <= 0 && periods.length > 0) expect(periods[0]?.start).toBe(t.startDate);
        if (t.endDate !== null && periods.length > 0 && t.endDate <= addDays(from, 1200)) {
          expect(periods.at(-1)?.end).toBe(t.endDate);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('billing a range twice yields nothing, and billing in steps equals billing at once', () => {
    fc.assert(
      fc.property(
        terms(true),
        usageRecords,
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 900 }),
        (t, usage, a, b) => {
          const first = addDays(t.startDate, Math.min(a, b));
          const second = addDays(t.startDate, Math.max(a, b));
          const once = duePeriods(t, null, second, usage);
          const step1 = duePeriods(t, null, first, usage);
          const through = step1.at(-1)?.billedThrough ?? null;
          const step2 = duePeriods(t, through, second, usage);
          expect([...step1, ...step2]).toEqual(once);
          expect(duePeriods(t, once.at(-1)?.billedThrough ?? null, second, usage)).toEqual([]);
          for (const [i, o] of once.entries()) {
            const next = once[i + 1];
            if (next) {
              expect(next.billingDate > o.billingDate).toBe(true);
              expect(next.billedThrough >= o.billedThrough).toBe(true);
            }
          }
          // The fixed items' periods, in billing order, cover the service days with no gap and no overlap.
          const covered = once.flatMap((o) => o.lines.filter((l) => l.itemId === 'a').map((l) => l.period));
          for (const [i, p] of covered.entries()) {
            const next = covered[i + 1];
            if (next) expect(next.start).toBe(addDays(p.end, 1));
          }
          if (covered.length > 0) expect(covered[0]?.start).toBe(t.startDate);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a credit never exceeds what was billed for the same item and period', () => {
    fc.assert(
      fc.property(
        terms(false),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 1000 }),
        fixedItem('c'),
        (t, ahead, at, newItem) => {
          const billed = duePeriods(t, null, addDays(t.startDate, ahead), []);
          const through = billed.at(-1)?.billedThrough;
          if (through === undefined) return;
          const lines = billed.flatMap((o) => o.lines);
          const span = toDay(through) - toDay(t.startDate);
          const effectiveDate = addDays(t.startDate, at % (span + 1));
          const change = prorateChange(t, through, lines, {
            effectiveDate,
            items: [newItem],
            prorationBehavior: 'create_prorations',
          });
          const cancellation = prorateCancellation(t, through, lines, { effectiveDate, prorate: true }, []);
          for (const credit of [
            ...change.lines.filter((l) => l.kind === 'proration_credit'),
            ...cancellation.credits,
          ]) {
            const charged = lines.filter(
              (l) =>
                l.itemId === credit.itemId &&
                l.period.start <= credit.period.end &&
                credit.period.start <= l.period.end,
            );
            expect(charged.length).toBe(1);
            expect(credit.amount.isNegative() || credit.amount.isZero()).toBe(true);
            expect(credit.amount.abs().lte(charged[0]!.amount)).toBe(true);
          }
          const totalCredit = sum(cancellation.credits.map((c) => c.amount)).abs();
          expect(totalCredit.lte(sum(lines.map((l) => l.amount)))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
