import type { AgingBuckets } from '../api/types';

export const BUCKETS = [
  'current',
  'd1_30',
  'd31_60',
  'd61_90',
  'd90_plus',
] as const satisfies readonly (keyof AgingBuckets)[];

export const BUCKET_LABELS: Record<keyof AgingBuckets, string> = {
  current: 'Not yet due',
  d1_30: '1–30 days',
  d31_60: '31–60 days',
  d61_90: '61–90 days',
  d90_plus: 'Over 90 days',
};

export const BUCKET_SHORT: Record<keyof AgingBuckets, string> = {
  current: 'Current',
  d1_30: '1–30',
  d31_60: '31–60',
  d61_90: '61–90',
  d90_plus: '90+',
};
