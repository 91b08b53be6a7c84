import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dec, sum } from '../money/money';
import { autoApply, type OpenInvoice } from './spend';

const invoice = (
  id: string,
  amountDue: string,
  dueDate: string,
  issueDate = '2026-01-01',
  number = id,
): OpenInvoice => ({
  id,
  amountDue: dec(amountDue),
  dueDate,
  issueDate,
  number,
});

const show = (result: ReturnType<typeof autoApply>) => ({
  allocations: result.allocations.map((a) => `${a.invoice} ${a.amount.toFixed(2)}`),
  unapplied: result.unapplied.toFixed(2),
});

describe('autoApply', () => {
  test('pays the oldest due date first, then the earliest issue date, then the lowest number', () => {
    const open = [
      invoice('inv_c', '50.00', '2026-03-01'),
      invoice('inv_b', '30.00', '2026-02-01', '2026-01-15', 'INV-10'),
      invoice('inv_a', '30.00', '2026-02-01', '2026-01-15', 'INV-9'),
      invoice('inv_d', '40.00', '2026-02-01', '2026-01-02'),
    ];
    expect(show(autoApply(dec('100.00'), open))).toEqual({
      allocations: ['inv_d 40.00', 'inv_a 30.00', 'inv_b 30.00'],
      unapplied: '0.00',
    });
  });

  test('the last invoice reached is paid in part', () => {
    const open = [invoice('inv_1', '60.00', '2026-01-10'), invoice('inv_2', '60.00', '2026-01-20')];
    expect(show(autoApply(dec('100.00'), open))).toEqual({
      allocations: ['inv_1 60.00', 'inv_2 40.00'],
      unapplied: '0.00',
    });
  });

  test('money beyond all open invoices stays unapplied', () => {
    const open = [invoice('inv_1', '10.00', '2026-01-10'), invoice('inv_paid', '0.00', '2026-01-01')];
    expect(show(autoApply(dec('25.00'), open))).toEqual({ allocations: ['inv_1 10.00'], unapplied: '15.00' });
    expect(show(autoApply(dec('5.00'), []))).toEqual({ allocations: [], unapplied: '5.00' });
  });

  test('refuses a negative payment', () => {
    expect(() => autoApply(dec('-1'), [])).toThrow(RangeError);
  });

  test('never loses or invents a cent and never over-applies', () => {
    const openArb = fc.array(
      fc.record({
        id: fc.uuid(),
        amountDue: fc.integer({ min: 0, max: 1_000_000 }).map((n) => dec(n).div(100)),
        dueDate: fc.constantFrom('2026-01-01', '2026-01-15', '2026-02-01'),
        issueDate: fc.constantFrom('2025-12-01', '2025-12-15'),
        number: fc.integer({ min: 1, max: 999 }).map((n) => `INV-${n}`),
      }),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), openArb, (cents, open) => {
        const amount = dec(cents).div(100);
        const { allocations, unapplied } = autoApply(amount, open);
        expect(
          sum(allocations.map((a) => a.amount))
            .plus(unapplied)
            .eq(amount),
        ).toBe(true);
        expect(unapplied.isNegative()).toBe(false);
        for (const a of allocations) {
          const due = open.find((o) => o.id === a.invoice)!.amountDue;
          expect(a.amount.gt(0) && a.amount.lte(due)).toBe(true);
        }
        // Only the last allocation may be partial, and money is unapplied only when every invoice is paid.
        allocations.slice(0, -1).forEach((a) => {
          expect(a.amount.eq(open.find((o) => o.id === a.invoice)!.amountDue)).toBe(true);
        });
        if (unapplied.gt(0))
          expect(sum(allocations.map((a) => a.amount)).eq(sum(open.map((o) => o.amountDue)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
