import { describe, expect, test } from 'vitest';
import { dec } from '../money/money';
import { averageDays, averageDealSize, rate, stageConversion } from './sales';

const stages = [
  { id: 'p', position: 1, kind: 'open' as const },
  { id: 'q', position: 2, kind: 'open' as const },
  { id: 'n', position: 3, kind: 'open' as const },
  { id: 'w', position: 4, kind: 'won' as const },
  { id: 'l', position: 5, kind: 'lost' as const },
];
const h = (opportunity: string, stage: string, day: string, seq: number) => ({ opportunity, stage, day, seq });

describe('sales metrics', () => {
  test('rates have 4 decimals and are null over zero', () => {
    expect(rate(1, 3)).toBe('0.3333');
    expect(rate(2, 3)).toBe('0.6667');
    expect(rate(0, 0)).toBeNull();
  });
  test('average deal size and cycle length', () => {
    expect(averageDealSize(dec('100.00'), 3, 'EUR')).toBe('33.33');
    expect(averageDealSize(dec('0'), 0, 'EUR')).toBeNull();
    expect(averageDays([10, 11, 11])).toBe('10.7');
    expect(averageDays([])).toBeNull();
  });
  test('stage conversion: entered once per opportunity, advanced to a higher stage or won by the end', () => {
    const history = [
      h('a', 'p', '2026-11-02', 1),
      h('a', 'q', '2026-11-05', 2),
      h('a', 'w', '2026-11-09', 3),
      h('b', 'p', '2026-11-03', 1),
      h('b', 'p', '2026-11-04', 2), // an amount change in the same stage is no new entry
      h('b', 'l', '2026-11-06', 3),
      h('c', 'q', '2026-10-20', 1), // entered before the period
      h('c', 'n', '2026-11-30', 2), // advanced after its end
    ];
    expect(stageConversion(stages, history, '2026-11-01', '2026-11-15')).toEqual([
      { from_stage: 'p', to_stage: 'q', entered: 2, advanced: 1, rate: '0.5000' },
      { from_stage: 'q', to_stage: 'n', entered: 1, advanced: 1, rate: '1.0000' },
    ]);
  });
});
