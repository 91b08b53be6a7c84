import { byPaymentOrder } from '@arbor/receivables/spend';
import { describe, expect, test } from 'vitest';
import { suggestAllocations } from './allocation';
import { currencyDigits } from './money';

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

describe('the server rules, shared', () => {
  test('currency digits come from ISO 4217, not the browser: HUF owing 1234.50 is suggested 1234.50', () => {
    expect([currencyDigits('HUF'), currencyDigits('JPY'), currencyDigits('KWD')]).toEqual([2, 0, 3]);
    const { allocations } = suggestAllocations('1234.50', [{ id: 'h', amount_due: '1234.50' }], currencyDigits('HUF'));
    expect(allocations.get('h')).toBe('1234.50');
  });

  test('open invoices in payment order: INV-9 before INV-10, oldest due first', () => {
    const inv = (id: string, number: string, dueDate = '2026-01-31') => ({
      id,
      number,
      dueDate,
      issueDate: '2026-01-01',
    });
    const sorted = [inv('a', 'INV-10'), inv('b', 'INV-9'), inv('c', 'INV-11', '2026-01-15')].sort(byPaymentOrder);
    expect(sorted.map((i) => i.number)).toEqual(['INV-11', 'INV-9', 'INV-10']);
  });
});
