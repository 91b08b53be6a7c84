import { describe, expect, test } from 'vitest';
import { suggestAllocations } from './allocation';

// Run with `npx vitest run --root web` (pure functions, no DOM).
describe('suggestAllocations', () => {
  const invoices = [
    { id: 'a', amount_due: '100.10' },
    { id: 'b', amount_due: '0.20' },
    { id: 'c', amount_due: '50.00' },
  ];

  test('pays invoices in the given order, each at most what it owes', () => {
    const { allocations, unapplied } = suggestAllocations('100.30', invoices, 2);
    expect([...allocations]).toEqual([
      ['a', '100.10'],
      ['b', '0.20'],
    ]);
    expect(unapplied).toBe('0.00');
  });

  test('what is left over is unapplied, to the cent (no float drift)', () => {
    const { allocations, unapplied } = suggestAllocations('150.40', invoices, 2);
    expect(allocations.get('c')).toBe('50.00');
    expect(unapplied).toBe('0.10');
  });

  test('a partial amount stops inside the first invoice', () => {
    const { allocations, unapplied } = suggestAllocations('0.3', invoices, 2);
    expect([...allocations]).toEqual([['a', '0.30']]);
    expect(unapplied).toBe('0.00');
  });

  test('uses the currency digits (JPY 0, KWD 3)', () => {
    expect(suggestAllocations('1500', [{ id: 'x', amount_due: '1000' }], 0).unapplied).toBe('500');
    expect(suggestAllocations('1.2505', [{ id: 'x', amount_due: '1.250' }], 3).allocations.get('x')).toBe('1.250');
  });

  test('text that is not a number allocates nothing', () => {
    expect(suggestAllocations('abc', invoices, 2).allocations.size).toBe(0);
  });
});
