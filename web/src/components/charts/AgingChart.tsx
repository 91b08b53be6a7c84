import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AgingBuckets } from '../../api/types';
import { BUCKET_LABELS, BUCKET_SHORT, BUCKETS } from '../../lib/aging';
import { formatMoney } from '../../lib/money';

const BUCKET_COLORS: Record<keyof AgingBuckets, string> = {
  current: '#2f9e44',
  d1_30: '#fab005',
  d31_60: '#fd7e14',
  d61_90: '#f03e3e',
  d90_plus: '#a61e4d',
};

/** Open receivables by days past due. Bar heights need numbers; the labels keep the exact decimal strings. */
export function AgingChart({
  buckets,
  currency,
  height = 220,
}: {
  buckets: AgingBuckets;
  currency: string;
  height?: number;
}) {
  const data = BUCKETS.map((b) => ({
    bucket: BUCKET_SHORT[b],
    label: BUCKET_LABELS[b],
    key: b,
    value: Number(buckets[b]),
    text: formatMoney(buckets[b], currency),
    fill: BUCKET_COLORS[b],
  }));
  return (
    <div style={{ width: '100%', height }} data-testid="aging-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" tick={{ fontSize: 11 }} interval={0} />
          <YAxis
            tick={{ fontSize: 11 }}
            width={64}
            tickFormatter={(v: number) => formatMoney(String(v), currency).replace(/[.,]00(?=\D*$)/, '')}
          />
          <Tooltip
            labelFormatter={(_l, items) => (items[0]?.payload as { label?: string } | undefined)?.label ?? ''}
            formatter={(_v, _n, item) => [(item.payload as { text: string }).text, 'Open']}
          />
          <Bar dataKey="value" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.key} fill={d.fill} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
