import { expect, test } from 'vitest';
import { formatNumber, seriesOf } from './number-format';

test('fills the year from the issue date and pads the sequence', () => {
  expect(formatNumber(seriesOf('INV-{YYYY}-{seq:6}', '2026-03-01'), 42)).toBe('INV-2026-000042');
  expect(formatNumber(seriesOf('{seq}', '2026-03-01'), 7)).toBe('7');
  expect(seriesOf('INV-{YYYY}-{seq:6}', '2027-01-01')).not.toBe(seriesOf('INV-{YYYY}-{seq:6}', '2026-12-31'));
});
