import { expect, test } from 'vitest';
import { planReminder } from './policy';

const steps = [{ offset_days: 7 }, { offset_days: -3 }, { offset_days: 1 }];

test('sends the latest due step and skips earlier unsent ones', () => {
  expect(planReminder(steps, '2026-03-10', '2026-03-06', new Set())).toEqual({ send: null, skip: [] });
  expect(planReminder(steps, '2026-03-10', '2026-03-07', new Set())).toEqual({ send: 1, skip: [] });
  expect(planReminder(steps, '2026-03-10', '2026-03-18', new Set())).toEqual({ send: 0, skip: [1, 2] });
  expect(planReminder(steps, '2026-03-10', '2026-03-18', new Set([1]))).toEqual({ send: 0, skip: [2] });
});

test('a step is never sent twice', () => {
  expect(planReminder(steps, '2026-03-10', '2026-03-12', new Set([1, 2]))).toEqual({ send: null, skip: [] });
});
