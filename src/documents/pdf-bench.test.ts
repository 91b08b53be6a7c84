import { expect, test } from 'vitest';
import { benchPdf } from './pdf-bench';

test('the PDF benchmark measures both workloads', async () => {
  const { ours, baseline } = await benchPdf(3);
  expect(ours).toBeGreaterThan(0);
  expect(baseline).toBeGreaterThan(0);
  expect(Number.isFinite(ours) && Number.isFinite(baseline)).toBe(true);
});
